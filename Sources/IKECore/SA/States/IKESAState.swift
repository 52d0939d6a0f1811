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
    /// Responder: the initiator asked for virtual IPs; waiting for the host to lease them.
    case awaitingAddressAssignment(AwaitingAddressAssignmentState)
    case established(EstablishedState)
    case closed(IKECloseReason)

    var isClosed: Bool {
        if case .closed = self { true } else { false }
    }

    /// The Child SAs of an established SA; none otherwise.
    var children: [ChildSA] {
        if case .established(let state) = self { state.children } else { [] }
    }

    var isEstablished: Bool {
        if case .established = self { true } else { false }
    }
}
