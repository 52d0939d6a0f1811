/// The life of an IKE SA. Names say what was sent or is expected.
enum IKESAState: Sendable {
    case sentSAInitRequest(SentSAInitRequestState)
    /// Initiator: waiting for the host to sign our IKE_AUTH request's AUTH.
    case awaitingSignatureForAuthRequest(AwaitingSignatureForAuthRequestState)
    case sentAuthRequest(SentAuthRequestState)
    /// Initiator: the IKE_AUTH response arrived; waiting for the host to validate the
    /// responder's certificates.
    case awaitingValidationOfAuthResponse(AwaitingValidationOfAuthResponseState)
    case awaitingAuthRequest(AwaitingAuthRequestState)
    /// Responder: the IKE_AUTH request arrived; waiting for the host to validate the
    /// initiator's certificates. A retransmission of the request is outside the window
    /// by now and dropped, so it is never processed twice.
    case awaitingValidationOfAuthRequest(AwaitingValidationOfAuthRequestState)
    /// Responder: the initiator is authenticated; waiting for the host to sign our AUTH.
    case awaitingSignatureForAuthResponse(AwaitingSignatureForAuthResponseState)
    /// Responder (RFC 7296 §2.16): waiting for the host's EAP method to say what to send
    /// next. A retransmission of the request being answered is outside the window and
    /// dropped.
    case awaitingEAPAnswerAsAuthenticator(AwaitingEAPAnswerAsAuthenticatorState)
    /// Responder: an EAP Request sent; waiting for the IKE_AUTH request with the Response.
    case sentEAPRequest(EAPAuthenticatorSession)
    /// Responder: EAP Success sent; waiting for the IKE_AUTH request with the AUTH.
    case sentEAPSuccess(SentEAPSuccessState)
    /// Initiator: waiting for the host's EAP method to answer the responder's message.
    case awaitingEAPAnswerAsPeer(AwaitingEAPAnswerAsPeerState)
    /// Initiator: an IKE_AUTH request with our EAP Response outstanding.
    case sentEAPResponse(EAPPeerSession)
    /// Initiator: the IKE_AUTH request with our AUTH computed from the MSK outstanding.
    case sentEAPAuthentication(EAPPeerSession)
    case established(EstablishedState)
    case closed(IKECloseReason)

    var isClosed: Bool {
        if case .closed = self { true } else { false }
    }

    /// The Child SAs of an established SA; none otherwise.
    var children: [ChildSA] {
        if case .established(let state) = self { state.children } else { [] }
    }

    /// Responder: an IKE_AUTH request is due, the first or one of the EAP rounds.
    var isAwaitingAuthRequest: Bool {
        switch self {
        case .awaitingAuthRequest, .sentEAPRequest, .sentEAPSuccess: true
        case .sentSAInitRequest, .awaitingSignatureForAuthRequest, .sentAuthRequest, .awaitingValidationOfAuthResponse,
            .awaitingValidationOfAuthRequest, .awaitingSignatureForAuthResponse, .awaitingEAPAnswerAsAuthenticator,
            .awaitingEAPAnswerAsPeer, .sentEAPResponse, .sentEAPAuthentication, .established, .closed:
            false
        }
    }

    var isEstablished: Bool {
        if case .established = self { true } else { false }
    }
}
