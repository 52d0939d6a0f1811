import IKEConfig
import IKECrypto
import IKEWire

/// The EAP rounds of IKE_AUTH (RFC 7296 §2.16). The engine only carries the EAP messages:
/// the method runs in the host, reached through ``IKEEffect/eap(_:)`` and answered with
/// ``IKECompletion/eap(_:_:)``, as signing is.
///
/// ```
/// Initiator                         Responder
/// HDR, SK {IDi, [CERTREQ,] [IDr,]
///          SAi2, TSi, TSr}  -->
///                            <--  HDR, SK {IDr, [CERT,] AUTH, EAP}
/// HDR, SK {EAP}             -->
///                            <--  HDR, SK {EAP (Request)}
/// HDR, SK {EAP (Response)}  -->
///                            <--  HDR, SK {EAP (Success)}
/// HDR, SK {AUTH}            -->
///                            <--  HDR, SK {AUTH, SAr2, TSi, TSr}
/// ```
///
/// The last two AUTH payloads use the syntax for shared secrets (§2.15) with the MSK as
/// the key: "For EAP methods that create a shared key as a side effect of authentication,
/// that shared key MUST be used by both the Initiator and Responder to generate AUTH
/// payloads in messages 7 and 8 using the syntax for shared secrets specified in Section
/// 2.15." A method without one is taken only where the connection allows it
/// (`EAPMethodChoice.allowsMethodWithoutKey`): "If EAP methods that do not generate a
/// shared key are used, the AUTH payloads in messages 7 and 8 MUST be generated using
/// SK_pi and SK_pr, respectively."
extension IKEEngine {
    // MARK: Responder (the authenticator)

    /// Responder: our IDr, CERT and AUTH are ready (`head`); ask the host for the first
    /// EAP Request to send with them. The first request's payloads wait for the last round.
    mutating func startEAPAsAuthenticator(
        _ sa: inout IKESA, _ previous: AwaitingAuthRequestState, _ payloads: [IKEPayload], messageID: UInt32,
        head: [IKEPayload], now: IKEInstant
    ) {
        guard let identification = payloads.identificationInitiator else { return }
        let session = EAPAuthenticatorSession(previous: previous, firstRequest: payloads, identification: identification)
        requestEAPAnswerAsAuthenticator(&sa, session, messageID: messageID, head: head, message: nil, now: now)
    }

    /// Responder: EAP-only authentication (RFC 5998), both our sides EAP. Only where the
    /// initiator asked for it: "If the responder supports this notification and chooses
    /// to use it, it omits the public-key-based AUTH payload and CERT payloads from
    /// message 4" (§3). An initiator that did not ask gets AUTHENTICATION_FAILED, as from
    /// strongSwan: we have nothing else to authenticate with.
    mutating func startEAPOnlyAsAuthenticator(
        _ sa: inout IKESA, _ previous: AwaitingAuthRequestState, _ payloads: [IKEPayload], messageID: UInt32,
        identity: IKEIdentity, now: IKEInstant
    ) {
        guard payloads.hasNotification(.eapOnlyAuthentication) else {
            return refuseAuthRequest(
                &sa, messageID: messageID, .eapOnlyNotOffered,
                "connection '\(sa.peer.name)' authenticates us with EAP only (RFC 5998), but '\(identity)' did not send EAP_ONLY_AUTHENTICATION")
        }
        guard let identification = payloads.identificationInitiator else { return }
        var session = EAPAuthenticatorSession(previous: previous, firstRequest: payloads, identification: identification)
        session.isEAPOnly = true
        requestEAPAnswerAsAuthenticator(
            &sa, session, messageID: messageID, head: [.identificationResponder(sa.peer.localIdentity.payload)],
            message: nil, now: now)
    }

    private mutating func requestEAPAnswerAsAuthenticator(
        _ sa: inout IKESA, _ session: EAPAuthenticatorSession, messageID: UInt32, head: [IKEPayload], message: [UInt8]?,
        now: IKEInstant
    ) {
        guard case .eap(let method) = sa.peer.remoteAuthentication else { return }
        let id = IKECompletionID(localSPI: sa.localSPI, step: .eapAuthenticator)
        sa.state = .awaitingEAPAnswerAsAuthenticator(AwaitingEAPAnswerAsAuthenticatorState(
            request: id, session: session, messageID: messageID, head: head))
        sa.completionDeadline = now + configuration.completionTimeout
        let identity = IKEIdentity(session.identification)
        effects.append(.eap(EAPExchangeRequest(
            id: id, connection: sa.peer.name, role: .authenticator, peerIdentity: identity,
            eapIdentity: Self.configuredEAPIdentity(sa.peer, identity), method: method, message: message,
            isEAPOnly: session.isEAPOnly)))
    }

    /// Responder: the EAP identity `eap_id` names for the peer: its IKE identity when
    /// unset, `nil` for `%any` (the peer says it in an EAP-Identity Response).
    private static func configuredEAPIdentity(_ peer: PeerConfiguration, _ identity: IKEIdentity) -> String? {
        switch peer.remoteEAPIdentity {
        case .ikeIdentity: eapIdentityText(identity)
        case .ask: nil
        case .named(let name): name
        }
    }

    /// Responder: an IKE_AUTH request while an EAP Request of ours is out: `HDR, SK {EAP}`
    /// with the peer's Response, for the host.
    mutating func handleEAPRequest(
        _ sa: inout IKESA, _ session: EAPAuthenticatorSession, _ payloads: [IKEPayload], messageID: UInt32,
        now: IKEInstant
    ) {
        let identity = IKEIdentity(session.identification)
        guard Self.fits(payloads, .eap, isResponse: false), let eap = payloads.extensibleAuthentication,
            eap.code == .response, let message = try? eap.encodedMessage()
        else {
            return refuseAuthRequest(
                &sa, messageID: messageID, .eapOutOfOrder,
                "'\(identity)' sent \(Self.describe(payloads)) where an EAP Response was due")
        }
        var session = session
        session.lastIdentifier = eap.identifier
        session.rounds += 1
        if eap.type == .identity, !eap.data.isEmpty { session.identityResponse = String(decoding: eap.data, as: UTF8.self) }
        requestEAPAnswerAsAuthenticator(&sa, session, messageID: messageID, head: [], message: message, now: now)
    }

    /// Responder: the host's EAP method says what comes next: a Request to send, Success
    /// (the peer's AUTH comes next), or Failure (the SA ends).
    mutating func handleEAPAnswerAsAuthenticator(
        _ sa: inout IKESA, _ state: AwaitingEAPAnswerAsAuthenticatorState,
        _ result: Result<EAPExchangeAnswer, IKECompletionFailure>, now: IKEInstant
    ) {
        let session = state.session
        let identity = IKEIdentity(session.identification)
        switch result {
        case .success(.send(let message)):
            guard let request = try? EAPPayload(message: message), request.code == .request else {
                return failEAP(&sa, state, .eapFailed, "the EAP method's next message for '\(identity)' is not an EAP Request")
            }
            if session.isEAPOnly, let why = Self.eapOnlyMisfit(request) {
                return failEAP(&sa, state, .eapMethodNotAllowed, "our EAP method for '\(identity)' \(why)")
            }
            respond(&sa, exchange: .ikeAuth, messageID: state.messageID, payloads: state.head + [.extensibleAuthentication(request)])
            sa.state = .sentEAPRequest(session)
        case .success(.succeeded(let message, let msk)):
            guard session.rounds > 0 else {
                return failEAP(&sa, state, .eapFailed, "the EAP method reported success before '\(identity)' answered")
            }
            // RFC 5998 §3: "Both the initiator and responder MUST verify that the EAP
            // method actually used provided mutual authentication and established a
            // shared secret key."
            guard case .eap(let method) = sa.peer.remoteAuthentication,
                msk != nil || (method.allowsMethodWithoutKey && !session.isEAPOnly)
            else {
                return failEAP(
                    &sa, state, .eapMethodWithoutKey,
                    "the EAP method that authenticated '\(identity)' derived no MSK; only remote auth = eap-md5 allows such a method")
            }
            let success = message.flatMap { try? EAPPayload(message: $0) }
                ?? EAPPayload(code: .success, identifier: session.lastIdentifier)
            guard success.code == .success else {
                return failEAP(&sa, state, .eapFailed, "the EAP method's final message for '\(identity)' is not an EAP Success")
            }
            respond(&sa, exchange: .ikeAuth, messageID: state.messageID, payloads: state.head + [.extensibleAuthentication(success)])
            sa.remoteEAPIdentity = Self.configuredEAPIdentity(sa.peer, identity) ?? session.identityResponse
            sa.state = .sentEAPSuccess(SentEAPSuccessState(session: session, msk: msk))
        case .success(.failed(let message)):
            failEAP(&sa, state, .eapFailed, "EAP authentication of '\(identity)' failed", message: message)
        case .failure(let failure):
            failEAP(
                &sa, state, .eapFailed, "no EAP answer for '\(identity)': \(failure.reason)", completionFailure: failure.code)
        }
    }

    /// Responder: the EAP conversation failed. The peer gets EAP Failure (RFC 3748 §4.2)
    /// and AUTHENTICATION_FAILED (RFC 7296 §2.21.2), and the SA is deleted.
    private mutating func failEAP(
        _ sa: inout IKESA, _ state: AwaitingEAPAnswerAsAuthenticatorState, _ cause: IKECloseReason.Cause, _ why: String,
        message: [UInt8]? = nil, completionFailure: IKECompletionFailure.Code? = nil
    ) {
        let failure = message.flatMap { try? EAPPayload(message: $0) }.flatMap { $0.code == .failure ? $0 : nil }
            ?? EAPPayload(code: .failure, identifier: state.session.lastIdentifier)
        respond(
            &sa, exchange: .ikeAuth, messageID: state.messageID,
            payloads: [.extensibleAuthentication(failure), .notify(IKERefusal(.authenticationFailed, why).notify)])
        close(&sa, IKECloseReason(.authenticationFailed, why, cause: cause, completionFailure: completionFailure))
    }

    /// Responder: after EAP Success, `HDR, SK {AUTH}` with the initiator's AUTH computed
    /// from the MSK; ours answers it with the Child SA the first request asked for.
    mutating func handleEAPAuthenticationRequest(
        _ sa: inout IKESA, _ state: SentEAPSuccessState, _ payloads: [IKEPayload], messageID: UInt32, now: IKEInstant
    ) {
        guard let keys = sa.keys else { return }
        let session = state.session
        let identity = IKEIdentity(session.identification)
        guard Self.fits(payloads, .finalAuthentication, isResponse: false), let auth = payloads.authentication else {
            return refuseAuthRequest(
                &sa, messageID: messageID, .eapOutOfOrder, "after EAP Success, '\(identity)' sent \(Self.describe(payloads)) instead of AUTH")
        }
        guard Self.verifiesEAPAuthentication(
            auth, keys, ofInitiator: true, firstMessage: session.previous.initiatorFirstMessage,
            identification: session.identification, msk: state.msk)
        else {
            return refuseAuthRequest(
                &sa, messageID: messageID, .eapKeyMismatch, "AUTH of '\(identity)' did not verify with the key of its EAP method")
        }
        let ours = Self.eapAuthentication(
            keys, ofInitiator: false, firstMessage: session.previous.responderFirstMessage,
            identification: sa.peer.localIdentity.payload, msk: state.msk)
        let authentication = AuthenticationPayload(
            method: .sharedKeyMIC,
            data: AuthenticationOctets.sharedKeyAuthentication(
                prf: keys.schedule.prf, sharedSecret: ours.key, signedOctets: ours.octets))
        completeAuthRequest(&sa, session.firstRequest, messageID: messageID, response: [.authentication(authentication)], now: now)
    }

    // MARK: Initiator (the peer)

    /// Initiator: why the first IKE_AUTH response (with IDr and AUTH) does not fit the
    /// EAP conversation, or `nil`. With EAP it must carry an EAP Request: a Success or
    /// Failure before any method ran would let the responder skip authenticating us (the
    /// CVE-2021-45079 class of flaws). Without EAP it carries none.
    static func eapMisfit(ofFirstResponse payloads: [IKEPayload], _ peer: PeerConfiguration) -> String? {
        let eap = payloads.extensibleAuthentication
        guard peer.localAuthentication.usesEAP else {
            return eap.map { _ in
                "the IKE_AUTH response carries EAP, but connection '\(peer.name)' authenticates us with \(peer.localAuthentication)"
            }
        }
        guard let eap else {
            return "the IKE_AUTH response carries no EAP, but connection '\(peer.name)' authenticates us with \(peer.localAuthentication)"
        }
        guard eap.code == .request else { return "the IKE_AUTH response carries EAP \(eap.code) before any EAP method ran" }
        return nil
    }

    /// Initiator: the responder took up EAP-only authentication (RFC 5998): IDr and the
    /// first EAP Request, no AUTH (``eapMisfit(ofFirstResponse:_:)`` checked the EAP).
    /// The conversation is all that will authenticate it.
    mutating func startEAPOnlyAsPeer(
        _ sa: inout IKESA, _ state: SentAuthRequestState, _ payloads: [IKEPayload], identification: IdentificationPayload,
        now: IKEInstant
    ) {
        guard let eap = payloads.extensibleAuthentication else { return }
        var session = EAPPeerSession(sent: state, identification: identification)
        session.isEAPOnly = true
        requestEAPAnswerAsPeer(&sa, session, eap, now: now)
    }

    /// Initiator: hands the responder's EAP message to the host's method.
    mutating func requestEAPAnswerAsPeer(_ sa: inout IKESA, _ session: EAPPeerSession, _ eap: EAPPayload, now: IKEInstant) {
        guard case .eap(let method) = sa.peer.localAuthentication, let message = try? eap.encodedMessage() else {
            return refuseAuthResponse(&sa, .eapOutOfOrder, "the responder's EAP \(eap.code) cannot be handed to the EAP method")
        }
        // RFC 5998 §3: "When receiving message 4, the initiator MUST verify that the
        // proposed EAP method is allowed by this specification, and MUST abort the
        // protocol immediately otherwise." We check every Request, since the method
        // may follow an Identity round.
        if session.isEAPOnly, let why = Self.eapOnlyMisfit(eap) {
            return refuseAuthResponse(&sa, .eapMethodNotAllowed, "'\(session.identity)' \(why)")
        }
        let id = IKECompletionID(localSPI: sa.localSPI, step: .eapPeer)
        sa.state = .awaitingEAPAnswerAsPeer(AwaitingEAPAnswerAsPeerState(
            request: id, session: session, isSuccess: eap.code == .success))
        sa.completionDeadline = now + configuration.completionTimeout
        let eapIdentity =
            switch sa.peer.localEAPIdentity {
            case .named(let name): name
            case .ikeIdentity, .ask: Self.eapIdentityText(sa.peer.localIdentity)
            }
        effects.append(.eap(EAPExchangeRequest(
            id: id, connection: sa.peer.name, role: .peer, peerIdentity: session.identity, eapIdentity: eapIdentity,
            method: method, message: message, isEAPOnly: session.isEAPOnly)))
    }

    /// Initiator: an IKE_AUTH response during the EAP rounds. Returns `false` when the SA
    /// is not in them (the first response is `handleAuthResponse`'s).
    mutating func handleEAPRoundResponse(_ sa: inout IKESA, _ payloads: [IKEPayload], now: IKEInstant) -> Bool {
        let session: EAPPeerSession
        let isFinal: Bool
        switch sa.state {
        case .sentEAPResponse(let current): (session, isFinal) = (current, false)
        case .sentEAPAuthentication(let current): (session, isFinal) = (current, true)
        case .sentSAInitRequest, .awaitingSignatureForAuthRequest, .sentAuthRequest, .awaitingValidationOfAuthResponse,
            .awaitingAuthRequest, .awaitingValidationOfAuthRequest, .awaitingSignatureForAuthResponse,
            .awaitingAddressAssignment, .awaitingEAPAnswerAsAuthenticator, .sentEAPRequest, .sentEAPSuccess,
            .awaitingEAPAnswerAsPeer, .established, .closed:
            return false
        }
        let identity = session.identity
        let eap = payloads.extensibleAuthentication
        if eap?.code == .failure || payloads.hasNotification(.authenticationFailed) {
            close(&sa, IKECloseReason(
                .authenticationFailed,
                "'\(identity)' refused our EAP authentication as '\(sa.peer.localIdentity)': check the EAP identity and its credentials",
                cause: eap?.code == .failure ? .eapFailed : .refusedByPeer))
            return true
        }
        guard !isFinal else {
            completeEAPAuthentication(&sa, session, payloads)
            return true
        }
        guard Self.fits(payloads, .eap, isResponse: true), let eap, eap.code == .request || eap.code == .success else {
            refuseAuthResponse(
                &sa, .eapOutOfOrder, "'\(identity)' sent \(Self.describe(payloads)) where an EAP Request or Success was due")
            return true
        }
        requestEAPAnswerAsPeer(&sa, session, eap, now: now)
        return true
    }

    /// Initiator: the host's EAP method answered the responder's message: a Response to
    /// send, or, for EAP Success, the MSK that keys our AUTH.
    mutating func handleEAPAnswerAsPeer(
        _ sa: inout IKESA, _ state: AwaitingEAPAnswerAsPeerState, _ result: Result<EAPExchangeAnswer, IKECompletionFailure>,
        now: IKEInstant
    ) {
        var session = state.session
        let identity = session.identity
        switch result {
        case .success(.send(let message)):
            guard !state.isSuccess, let response = try? EAPPayload(message: message), response.code == .response else {
                return refuseAuthResponse(
                    &sa, .eapFailed,
                    "our EAP method answered '\(identity)' with something other than an EAP Response"
                        + (state.isSuccess ? " after EAP Success" : ""))
            }
            sa.state = .sentEAPResponse(session)
            sendEAPRound(&sa, [.extensibleAuthentication(response)], now: now)
        case .success(.succeeded(_, let msk)):
            guard state.isSuccess else {
                return refuseAuthResponse(&sa, .eapFailed, "our EAP method reported success before '\(identity)' sent EAP Success")
            }
            // RFC 5998 §3: "Both the initiator and responder MUST verify that the EAP
            // method actually used provided mutual authentication and established a
            // shared secret key."
            guard case .eap(let method) = sa.peer.localAuthentication,
                msk != nil || (method.allowsMethodWithoutKey && !session.isEAPOnly)
            else {
                return refuseAuthResponse(
                    &sa, .eapMethodWithoutKey,
                    "the EAP method with '\(identity)' derived no MSK; only local auth = eap-md5 allows such a method")
            }
            guard let keys = sa.keys else { return }
            session.msk = msk
            let ours = Self.eapAuthentication(
                keys, ofInitiator: true, firstMessage: session.sent.initiatorFirstMessage,
                identification: sa.peer.localIdentity.payload, msk: msk)
            let auth = AuthenticationPayload(
                method: .sharedKeyMIC,
                data: AuthenticationOctets.sharedKeyAuthentication(
                    prf: keys.schedule.prf, sharedSecret: ours.key, signedOctets: ours.octets))
            sa.state = .sentEAPAuthentication(session)
            sendEAPRound(&sa, [.authentication(auth)], now: now)
        case .success(.failed):
            refuseAuthResponse(&sa, .eapFailed, "our EAP method failed with '\(identity)'")
        case .failure(let failure):
            refuseAuthResponse(
                &sa, .eapFailed, "no EAP answer for '\(identity)': \(failure.reason)", completionFailure: failure.code)
        }
    }

    private mutating func sendEAPRound(_ sa: inout IKESA, _ payloads: [IKEPayload], now: IKEInstant) {
        do {
            try sendRequest(&sa, exchange: .ikeAuth, payloads: payloads, now: now)
        } catch {
            close(&sa, IKECloseReason(.protocolError, "could not send IKE_AUTH: \(error)"))
        }
    }

    /// Initiator: the last response, `HDR, SK {AUTH, SAr2, TSi, TSr}`: the responder's
    /// AUTH computed from the MSK, then the Child SA.
    private mutating func completeEAPAuthentication(_ sa: inout IKESA, _ session: EAPPeerSession, _ payloads: [IKEPayload]) {
        guard let keys = sa.keys else { return }
        let identity = session.identity
        guard Self.fits(payloads, .finalAuthentication, isResponse: true), let auth = payloads.authentication else {
            return refuseAuthResponse(
                &sa, .eapOutOfOrder, "after EAP Success, '\(identity)' sent \(Self.describe(payloads)) instead of AUTH")
        }
        guard Self.verifiesEAPAuthentication(
            auth, keys, ofInitiator: false, firstMessage: session.sent.responderFirstMessage,
            identification: session.identification, msk: session.msk)
        else {
            return refuseAuthResponse(&sa, .eapKeyMismatch, "AUTH of '\(identity)' did not verify with the key of our EAP method")
        }
        completeAuthResponse(&sa, session.sent, payloads, identity: identity)
    }

    // MARK: Shared

    /// What one side's AUTH after EAP covers and its key: the side's signed octets (RFC
    /// 7296 §2.15: InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI, and
    /// ResponderSignedOctets alike), keyed with the MSK, or with that side's SK_pi or
    /// SK_pr for a method that derives none (§2.16).
    private static func eapAuthentication(
        _ keys: IKESAKeys, ofInitiator: Bool, firstMessage: [UInt8], identification: IdentificationPayload,
        msk: SecretBytes?
    ) -> (octets: [UInt8], key: SecretBytes) {
        let skP = ofInitiator ? keys.material.pi : keys.material.pr
        let octets = AuthenticationOctets.signedOctets(
            prf: keys.schedule.prf, firstMessage: firstMessage,
            peerNonce: ofInitiator ? keys.responderNonce : keys.initiatorNonce, identification: identification, skP: skP)
        return (octets, msk ?? skP)
    }

    /// Whether the peer's AUTH after EAP is the shared-key MIC of its signed octets keyed
    /// as ``eapAuthentication(_:ofInitiator:firstMessage:identification:msk:)`` says.
    private static func verifiesEAPAuthentication(
        _ auth: AuthenticationPayload, _ keys: IKESAKeys, ofInitiator: Bool, firstMessage: [UInt8],
        identification: IdentificationPayload, msk: SecretBytes?
    ) -> Bool {
        let theirs = eapAuthentication(
            keys, ofInitiator: ofInitiator, firstMessage: firstMessage, identification: identification, msk: msk)
        return auth.method == .sharedKeyMIC
            && AuthenticationOctets.verifySharedKeyAuthentication(
                prf: keys.schedule.prf, sharedSecret: theirs.key, signedOctets: theirs.octets, received: auth.data)
    }

    /// Why an EAP Request does not fit EAP-only authentication (RFC 5998 §4), or `nil`:
    /// Identity and Notification (RFC 3748 §5.1, §5.2) are no method; every other type
    /// must be one of `EAPMethodChoice.eapOnlyMethods`.
    static func eapOnlyMisfit(_ request: EAPPayload) -> String? {
        guard request.code == .request, let type = request.type, type != .identity, type != .notification,
            !EAPMethodChoice.eapOnlyMethods.contains(type)
        else { return nil }
        return "proposes EAP method \(type) for EAP-only authentication, which RFC 5998 §4 does not allow (not mutual, keyless or open to dictionary attacks)"
    }

    /// Whether `payloads` keep to the rules of an IKE_AUTH round after the first.
    private static func fits(_ payloads: [IKEPayload], _ round: IKEAuthRound, isResponse: Bool) -> Bool {
        (try? IKEMessageRules.ikeAuth(round, isResponse: isResponse).check(decryptedPayloads: payloads)) != nil
    }

    /// The payload types of a message, for a close reason ("EAP, AUTH").
    private static func describe(_ payloads: [IKEPayload]) -> String {
        payloads.isEmpty ? "nothing" : payloads.map { "\($0.type)" }.joined(separator: ", ")
    }

    /// An IKE identity as the EAP identity: the text of a name or an e-mail address, as
    /// strongSwan takes it when `eap_id` is not set.
    static func eapIdentityText(_ identity: IKEIdentity) -> String {
        switch identity.type {
        case .fqdn, .rfc822Address, .keyID: String(decoding: identity.data, as: UTF8.self)
        default: identity.description
        }
    }
}
