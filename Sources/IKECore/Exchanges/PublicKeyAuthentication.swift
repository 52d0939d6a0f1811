import IKEConfig
import IKECrypto
import IKEWire

/// IKE_AUTH with certificates (RFC 7296 §2.15, §3.6–§3.8; RFC 7427): the host's answers
/// to the signing and validation requests the exchange made, and the verification of the
/// peer's AUTH signature with the public key the host vouched for.
extension IKEEngine {
    /// Hands the engine the host's answer to a ``IKEEffect/sign(_:)``,
    /// ``IKEEffect/validateCertificates(_:)`` or ``IKEEffect/eap(_:)`` request. An answer for an SA that is gone or
    /// no longer waits for it (closed, timed out, answered already) is dropped.
    public mutating func handleCompletion(_ completion: IKECompletion, now: IKEInstant) {
        defer { armLifetimes(now: now) }
        let id = completion.id
        guard var sa = sas[id.localSPI], !sa.state.isClosed else {
            return drop(.completionForUnknownSA, "answer \(id) for no IKE SA")
        }
        let deadline = sa.completionDeadline
        sa.completionDeadline = nil
        switch (completion, sa.state) {
        case (.signed(_, let result), .awaitingSignatureForAuthRequest(let state)) where state.request == id:
            switch result {
            case .success(let signature):
                finishAuthRequest(
                    &sa, state.next, authentication: AuthenticationPayload(method: signature.method, data: signature.data),
                    now: now)
            case .failure(let failure):
                close(&sa, IKECloseReason(
                    .authenticationFailed, "could not sign as '\(sa.peer.localIdentity)': \(failure.reason)",
                    cause: .signingFailed, completionFailure: failure.code))
            }
        case (.signed(_, let result), .awaitingSignatureForAuthResponse(let state)) where state.request == id:
            switch result {
            case .success(let signature):
                finishAuthResponse(
                    &sa, state.previous, state.payloads, messageID: state.messageID,
                    authentication: AuthenticationPayload(method: signature.method, data: signature.data), now: now)
            case .failure(let failure):
                refuseAuthRequest(
                    &sa, messageID: state.messageID, .signingFailed,
                    "could not sign as '\(sa.peer.localIdentity)': \(failure.reason)", completionFailure: failure.code)
            }
        case (.certificatesValidated(_, let result), .awaitingValidationOfAuthResponse(let state)) where state.request == id:
            completeValidationOfAuthResponse(&sa, state, result, now: now)
        case (.certificatesValidated(_, let result), .awaitingValidationOfAuthRequest(let state)) where state.request == id:
            if case .failure(let failure) = result, failure.code == .certificateAuthorityMismatch,
                validateForNextConnection(&sa, state, now: now)
            {
                break
            }
            completeValidationOfAuthRequest(&sa, state, result, now: now)
        case (.eap(_, let result), .awaitingEAPAnswerAsAuthenticator(let state)) where state.request == id:
            handleEAPAnswerAsAuthenticator(&sa, state, result, now: now)
        case (.eap(_, let result), .awaitingEAPAnswerAsPeer(let state)) where state.request == id:
            handleEAPAnswerAsPeer(&sa, state, result, now: now)
        default:
            sa.completionDeadline = deadline
            drop(.unexpectedCompletion, "answer \(id) that IKE SA \(HexText.string(sa.localSPI)) does not wait for")
        }
        sendQueuedRequest(&sa, now: now)
        store(sa)
    }

    /// Initiator: the responder's chain is validated (or not); verify its AUTH.
    private mutating func completeValidationOfAuthResponse(
        _ sa: inout IKESA, _ state: AwaitingValidationOfAuthResponseState, _ result: Result<PublicKey, IKECompletionFailure>,
        now: IKEInstant
    ) {
        guard let keys = sa.keys else { return }
        let identity = IKEIdentity(state.identification)
        // ResponderSignedOctets = RealMessage2 | NonceIData | MACedIDForR (RFC 7296 §2.15).
        let octets = AuthenticationOctets.signedOctets(
            prf: keys.schedule.prf, firstMessage: state.sent.responderFirstMessage, peerNonce: keys.initiatorNonce,
            identification: state.identification, skP: keys.material.pr)
        if let refusal = Self.refusal(
            of: identity, result, auth: state.authentication, octets: octets, constraints: sa.peer.remoteSignatureConstraints)
        {
            return refuseAuthResponse(&sa, refusal.cause, refusal.why, completionFailure: refusal.completionFailure)
        }
        authenticatedResponder(&sa, state.sent, state.payloads, identification: state.identification, now: now)
    }

    /// Responder: the initiator's chain is validated (or not); verify its AUTH, answer.
    private mutating func completeValidationOfAuthRequest(
        _ sa: inout IKESA, _ state: AwaitingValidationOfAuthRequestState, _ result: Result<PublicKey, IKECompletionFailure>,
        now: IKEInstant
    ) {
        guard let keys = sa.keys else { return }
        let identity = IKEIdentity(state.identification)
        // InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI.
        let octets = AuthenticationOctets.signedOctets(
            prf: keys.schedule.prf, firstMessage: state.previous.initiatorFirstMessage, peerNonce: keys.responderNonce,
            identification: state.identification, skP: keys.material.pi)
        if let refusal = Self.refusal(
            of: identity, result, auth: state.authentication, octets: octets, constraints: sa.peer.remoteSignatureConstraints)
        {
            return refuseAuthRequest(
                &sa, messageID: state.messageID, refusal.cause, refusal.why, completionFailure: refusal.completionFailure)
        }
        answerAuthRequest(
            &sa, state.previous, state.payloads, messageID: state.messageID, identity: identity, now: now)
    }

    /// Why the peer's certificate or AUTH signature is refused, or `nil` when it verifies
    /// and `remote { auth = … }` (`constraints`) allows its key and scheme.
    static func refusal(
        of identity: IKEIdentity, _ result: Result<PublicKey, IKECompletionFailure>, auth: AuthenticationPayload,
        octets: [UInt8], constraints: SignatureConstraints
    ) -> (cause: IKECloseReason.Cause, why: String, completionFailure: IKECompletionFailure.Code?)? {
        let publicKey: PublicKey
        switch result {
        case .failure(let failure):
            return (.certificateRefused, "certificate of '\(identity)' refused: \(failure.reason)", failure.code)
        case .success(let key):
            publicKey = key
        }
        guard constraints.allowsKey(publicKey.keyType) else {
            return (
                .keyNotAllowed,
                "the \(publicKey.keyType) key of '\(identity)' is not allowed by remote auth = \(constraints.text)", nil
            )
        }
        let scheme: SignatureScheme
        do {
            scheme = try AuthenticationVerifier.verify(
                octets: octets, authMethod: auth.method, authData: auth.data, publicKey: publicKey)
        } catch {
            return (
                .signatureInvalid, "AUTH signature of '\(identity)' did not verify with the key of its certificate: \(error)",
                nil
            )
        }
        guard constraints.allowsAuthentication(scheme) else {
            return (
                .signatureSchemeNotAllowed,
                "'\(identity)' signed AUTH with \(scheme), which remote auth = \(constraints.text) does not allow", nil
            )
        }
        return nil
    }
}
