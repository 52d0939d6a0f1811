import IKEConfig
import IKECrypto
import IKEWire
import NIOCore

/// IKE_AUTH (RFC 7296 §1.2, §2.15): identities, PSK authentication and the first Child
/// SA with traffic selector narrowing (§2.9). Signatures are in
/// `PublicKeyAuthentication.swift`, the EAP rounds (§2.16) in `EAPAuthentication.swift`.
extension IKEEngine {
    // MARK: Initiator

    mutating func sendAuthRequest(_ sa: inout IKESA, responderFirstMessage: [UInt8], now: IKEInstant) {
        guard let keys = sa.keys, case .sentSAInitRequest(let initState) = sa.state else { return }
        let peer = sa.peer
        let child = initState.child
        let childSPI = makeChildSPI()
        let spiBytes = childSPI.bytes
        // The first Child SA's keys come from the IKE SA: no key exchange (RFC 7296 §1.2).
        let childOffered = ProposalOffer.proposals(
            ProposalOffer.withoutKeyExchange(child?.proposals ?? []), protocolID: .esp, spi: spiBytes)
        let next = SentAuthRequestState(
            responderFirstMessage: responderFirstMessage, initiatorFirstMessage: initState.requestBytes, child: child,
            childInboundSPI: childSPI, childOffered: childOffered,
            offeredLocalSelectors: child.map { sa.localSelectors($0) } ?? [],
            offeredRemoteSelectors: child.map { sa.remoteSelectors($0) } ?? [])
        // InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI (RFC 7296 §2.15).
        let octets = AuthenticationOctets.signedOctets(
            prf: keys.schedule.prf, firstMessage: initState.requestBytes, peerNonce: keys.responderNonce,
            identification: peer.localIdentity.payload, skP: keys.material.pi)
        switch peer.localAuthentication {
        case .preSharedKey:
            guard let secret = configuration.preSharedKey(
                local: peer.localIdentity, remote: peer.remoteIdentity ?? peer.localIdentity)
            else {
                return close(
                    &sa,
                    IKECloseReason(.authenticationFailed, "no pre-shared key for '\(peer.localIdentity)'", cause: .noSharedKey))
            }
            let auth = AuthenticationPayload(
                method: .sharedKeyMIC,
                data: AuthenticationOctets.sharedKeyAuthentication(prf: keys.schedule.prf, sharedSecret: secret, signedOctets: octets))
            finishAuthRequest(&sa, next, authentication: auth, now: now)
        case .publicKey:
            // The host signs (the engine holds no private key); we wait in an explicit state.
            let id = IKECompletionID(localSPI: sa.localSPI, step: .signAuthRequest)
            sa.state = .awaitingSignatureForAuthRequest(AwaitingSignatureForAuthRequestState(request: id, next: next))
            sa.completionDeadline = now + configuration.completionTimeout
            effects.append(.sign(SigningRequest(
                id: id, connection: peer.name, identity: peer.localIdentity, octets: octets,
                peerSignatureHashes: Self.signatureHashAlgorithms(in: responderFirstMessage),
                signatureConstraints: peer.localSignatureConstraints)))
        case .eap:
            // RFC 7296 §2.16: "the initiator indicates a desire to use EAP by leaving out
            // the AUTH payload from message 3".
            finishAuthRequest(&sa, next, authentication: nil, now: now)
        }
    }

    /// Sends the IKE_AUTH request once its AUTH is known (RFC 7296 §1.2):
    /// `HDR, SK {IDi, [CERT,] [CERTREQ,] [IDr,] AUTH, SAi2, TSi, TSr}`; without AUTH when
    /// EAP authenticates us (§2.16).
    mutating func finishAuthRequest(
        _ sa: inout IKESA, _ next: SentAuthRequestState, authentication: AuthenticationPayload?, now: IKEInstant
    ) {
        let peer = sa.peer
        var payloads: [IKEPayload] = [.identificationInitiator(peer.localIdentity.payload)]
        payloads += Self.certificatePayloads(peer, peerAsked: Self.hasCertificateRequest(in: next.responderFirstMessage))
        payloads += certificateRequestPayloads([peer])
        // RFC 7296 §2.4: INITIAL_CONTACT goes only with the first IKE SA to the peer,
        // when "the peer knows it has no other SAs with the peer".
        let hasOtherSAs = (sasByRemoteAddress[sa.remote.address] ?? []).contains {
            $0 != sa.localSPI && sas[$0]?.peer.name == peer.name
        }
        if !hasOtherSAs { payloads.append(.notify(NotifyPayload(type: .initialContact))) }
        payloads += windowSizeNotify
        payloads += Self.mobikeSupported(peer)
        // RFC 5998 §3: "If the initiator does not wish to use public-key-based responder
        // authentication, it includes an EAP_ONLY_AUTHENTICATION notification payload
        // (16417) in message 3."
        if peer.isEAPOnly { payloads.append(.notify(NotifyPayload(type: .eapOnlyAuthentication))) }
        // A wildcard (`*@example.org`) only matches the IDr of the answer.
        if let remoteIdentity = peer.remoteIdentity, !remoteIdentity.hasWildcard {
            payloads.append(.identificationResponder(remoteIdentity.payload))
        }
        if let authentication { payloads.append(.authentication(authentication)) }
        payloads += Self.configurationRequest(peer)
        if next.child != nil {
            payloads += [
                .securityAssociation(SecurityAssociationPayload(proposals: next.childOffered)),
                .trafficSelectorInitiator(TrafficSelectorPayload(selectors: next.offeredLocalSelectors)),
                .trafficSelectorResponder(TrafficSelectorPayload(selectors: next.offeredRemoteSelectors)),
            ]
            if next.child?.mode == .transport { payloads.append(.notify(NotifyPayload(type: .useTransportMode))) }
        }
        sa.state = .sentAuthRequest(next)
        do {
            try sendRequest(&sa, exchange: .ikeAuth, payloads: payloads, now: now)
        } catch {
            close(&sa, IKECloseReason(.protocolError, "could not send IKE_AUTH: \(error)"))
        }
    }

    mutating func handleAuthResponse(_ sa: inout IKESA, _ payloads: [IKEPayload], now: IKEInstant) {
        if handleEAPRoundResponse(&sa, payloads, now: now) { return }
        guard case .sentAuthRequest(let state) = sa.state, let keys = sa.keys else {
            return drop(.responseMismatch, "IKE_AUTH response in the wrong state")
        }
        if payloads.hasNotification(.authenticationFailed) {
            let hint =
                switch sa.peer.localAuthentication {
                case .publicKey: "check that the peer trusts our CA and accepts our certificate for this identity"
                case .preSharedKey: "check that both sides have the same PSK for these identities"
                case .eap: "check the peer's EAP backend and our EAP identity and credentials"
                }
            // With EAP the refusal may come with EAP Failure (RFC 3748 §4.2).
            let failedEAP = payloads.extensibleAuthentication?.code == .failure
            return close(
                &sa,
                IKECloseReason(
                    .authenticationFailed, "peer rejected our authentication as '\(sa.peer.localIdentity)': \(hint)",
                    cause: failedEAP ? .eapFailed : .refusedByPeer))
        }
        // Without AUTH only where we asked for EAP-only authentication (RFC 5998).
        guard let idr = payloads.identificationResponder, payloads.authentication != nil || sa.peer.isEAPOnly else {
            return close(&sa, IKECloseReason(.protocolError, "IKE_AUTH response without IDr or AUTH", cause: .missingPayload))
        }
        if let why = Self.eapMisfit(ofFirstResponse: payloads, sa.peer) {
            return refuseAuthResponse(&sa, .eapOutOfOrder, why)
        }
        let identity = IKEIdentity(idr)
        if let expected = sa.peer.remoteIdentity, identity.match(expected) == .none {
            return refuseAuthResponse(
                &sa, .unexpectedIdentity, "peer identified as '\(identity)', but the configuration expects '\(expected)'")
        }
        guard let auth = payloads.authentication else {
            return startEAPOnlyAsPeer(&sa, state, payloads, identification: idr, now: now)
        }
        switch Self.responderAuthentication(sa.peer, auth) {
        case .preSharedKey:
            // ResponderSignedOctets = RealMessage2 | NonceIData | MACedIDForR.
            let octets = AuthenticationOctets.signedOctets(
                prf: keys.schedule.prf, firstMessage: state.responderFirstMessage, peerNonce: keys.initiatorNonce,
                identification: idr, skP: keys.material.pr)
            guard auth.method == .sharedKeyMIC,
                let secret = configuration.preSharedKey(local: sa.peer.localIdentity, remote: identity),
                AuthenticationOctets.verifySharedKeyAuthentication(
                    prf: keys.schedule.prf, sharedSecret: secret, signedOctets: octets, received: auth.data)
            else {
                return refuseAuthResponse(
                    &sa, .sharedKeyMismatch, "AUTH payload of '\(identity)' did not verify with our pre-shared key")
            }
            authenticatedResponder(&sa, state, payloads, identification: idr, now: now)
        case .publicKey:
            let certificates = Self.certificates(in: payloads)
            guard !certificates.isEmpty else {
                return refuseAuthResponse(
                    &sa, .missingCertificate,
                    "peer '\(identity)' sent no X.509 certificate, but connection '\(sa.peer.name)' authenticates it with one")
            }
            let id = IKECompletionID(localSPI: sa.localSPI, step: .validateAuthResponse)
            sa.state = .awaitingValidationOfAuthResponse(AwaitingValidationOfAuthResponseState(
                request: id, sent: state, payloads: payloads, identification: idr, authentication: auth))
            sa.completionDeadline = now + configuration.completionTimeout
            effects.append(.validateCertificates(CertificateValidationRequest(
                id: id, connection: sa.peer.name, certificates: certificates, claimedIdentity: identity,
                signatureConstraints: sa.peer.remoteSignatureConstraints,
                certificateAuthorities: sa.peer.remoteCertificateAuthorities.map(\.certificate))))
        case .eap:
            // Refused when initiating unless EAP-only, which verifies an AUTH as above.
            close(&sa, IKECloseReason(.protocolError, "connection '\(sa.peer.name)' expects EAP from the responder"))
        }
    }

    /// How the responder's AUTH is verified: as `remote { auth }` says, or, where we asked
    /// for EAP-only authentication (RFC 5998) and the responder sent AUTH anyway, by the
    /// AUTH's kind: "If the responder does not support the EAP_ONLY_AUTHENTICATION
    /// notification or does not wish to use it, it ignores the notification payload, and
    /// includes the AUTH payload in message 4. In this case, the initiator MUST verify
    /// that payload and any associated certificates" (§3).
    static func responderAuthentication(_ peer: PeerConfiguration, _ auth: AuthenticationPayload)
        -> AuthenticationConfiguration
    {
        guard peer.isEAPOnly else { return peer.remoteAuthentication }
        return auth.method == .sharedKeyMIC ? .preSharedKey : .publicKey
    }

    /// Initiator: the responder proved its identity with AUTH. Without EAP the SA is
    /// established; with EAP the conversation its response began goes to the host.
    mutating func authenticatedResponder(
        _ sa: inout IKESA, _ state: SentAuthRequestState, _ payloads: [IKEPayload], identification: IdentificationPayload,
        now: IKEInstant
    ) {
        guard sa.peer.localAuthentication.usesEAP, let eap = payloads.extensibleAuthentication else {
            return completeAuthResponse(&sa, state, payloads, identity: IKEIdentity(identification))
        }
        requestEAPAnswerAsPeer(&sa, EAPPeerSession(sent: state, identification: identification), eap, now: now)
    }

    /// Initiator: the responder's IKE_AUTH response does not authenticate it. RFC 7296
    /// §2.21.2: "If the error occurred on the initiator, the notification MAY be returned
    /// in a separate INFORMATIONAL exchange"; we send it, as strongSwan does, so the
    /// responder does not keep an SA it believes established, and close.
    mutating func refuseAuthResponse(
        _ sa: inout IKESA, _ cause: IKECloseReason.Cause, _ why: String,
        completionFailure: IKECompletionFailure.Code? = nil
    ) {
        sendFinalRequest(&sa, payloads: [.notify(IKERefusal(.authenticationFailed, why).notify)])
        close(&sa, IKECloseReason(.authenticationFailed, why, cause: cause, completionFailure: completionFailure))
    }

    /// The responder is authenticated: establish, and install the first Child SA when
    /// its answer is one we can take (RFC 7296 §1.2: the Child SA may fail while the IKE
    /// SA stands).
    mutating func completeAuthResponse(
        _ sa: inout IKESA, _ state: SentAuthRequestState, _ payloads: [IKEPayload], identity: IKEIdentity
    ) {
        sa.remoteIdentity = identity
        guard acceptConfigurationReply(&sa, payloads) else { return }
        sa.state = .established(EstablishedState(children: [], pending: nil))
        noteMOBIKE(&sa, response: payloads)
        events.append(.ikeSAEstablished(name: sa.peer.name, localSPI: sa.localSPI, remoteSPI: sa.remoteSPI, isInitiator: true))
        // The notify says why the Child SA failed.
        for case .notify(let notify) in payloads where notify.type.isError {
            events.append(.errorNotifyReceived(localSPI: sa.localSPI, type: notify.type, data: notify.data))
        }
        guard let child = state.child else { return }
        if payloads.securityAssociation == nil {
            let error = payloads.errorNotification?.type
            return events.append(.childSAFailed(
                name: child.name, localSPI: sa.localSPI,
                reason: error.map { IKEChildSAFailure(.refusedByPeer, "the peer answered \($0)", peerNotify: $0) }
                    ?? IKEChildSAFailure(.responseMismatch, "the IKE_AUTH response carries no Child SA")))
        }
        let answer = ChildSAAnswer.check(
            payloads, offered: state.childOffered, localSelectors: state.offeredLocalSelectors,
            remoteSelectors: state.offeredRemoteSelectors)
        switch answer {
        case .failure(let failure):
            refuseChildSAResponse(&sa, name: child.name, inboundSPI: state.childInboundSPI, failure)
        case .success(let answer):
            guard let keys = sa.keys,
                let installed = installChildSA(
                    sa, config: child, chosen: answer.chosen, inboundSPI: state.childInboundSPI,
                    outboundSPI: answer.outboundSPI, localSelectors: answer.localSelectors,
                    remoteSelectors: answer.remoteSelectors, sharedSecrets: [], initiatorNonce: keys.initiatorNonce,
                    responderNonce: keys.responderNonce, isExchangeInitiator: true)
            else {
                return refuseChildSAResponse(
                    &sa, name: child.name, inboundSPI: state.childInboundSPI,
                    IKEChildSAFailure(.localFailure, "could not derive the keys of the answer's proposal"))
            }
            addChild(&sa, installed, isExchangeInitiator: true)
        }
    }

    // MARK: Responder

    mutating func handleAuthRequest(
        _ sa: inout IKESA, _ state: AwaitingAuthRequestState, _ payloads: [IKEPayload], messageID: UInt32,
        now: IKEInstant
    ) {
        guard let keys = sa.keys, let idi = payloads.identificationInitiator else {
            return refuseAuthRequest(&sa, messageID: messageID, .missingPayload, "IKE_AUTH request without IDi")
        }
        let auth = payloads.authentication
        let identity = IKEIdentity(idi)
        // The connection is chosen again, now by identity (ConnectionSelection); its
        // PSK, CAs and children are the ones that count from here on.
        let choice: ConnectionSelection.Choice
        switch ConnectionSelection.byIdentity(
            configuration.peers, local: sa.local.address, remote: (sa.initialRemote ?? sa.remote).address,
            initiator: identity, responder: payloads.identificationResponder.map(IKEIdentity.init),
            authenticationMethod: auth?.method,
            negotiated: Proposal(number: 1, protocolID: .ike, transforms: sa.negotiatedTransforms))
        {
        case .success(let chosen): choice = chosen
        case .failure(let refusal): return refuseAuthRequest(&sa, messageID: messageID, refusal.cause, refusal.why)
        }
        let peer = choice.connection
        sa.peer = peer
        guard let auth else {
            guard peer.remoteAuthentication.usesEAP else {
                return refuseAuthRequest(
                    &sa, messageID: messageID, .missingPayload,
                    "IKE_AUTH request of '\(identity)' without AUTH, but connection '\(peer.name)' does not authenticate it with EAP")
            }
            // RFC 7296 §2.16: message 3 leaves out AUTH and carries no EAP; the
            // responder's answer starts the conversation.
            guard payloads.extensibleAuthentication == nil else {
                return refuseAuthRequest(
                    &sa, messageID: messageID, .eapOutOfOrder, "the first IKE_AUTH request of '\(identity)' carries EAP")
            }
            return answerAuthRequest(&sa, state, payloads, messageID: messageID, identity: identity, now: now)
        }
        guard payloads.extensibleAuthentication == nil else {
            return refuseAuthRequest(
                &sa, messageID: messageID, .eapOutOfOrder, "the IKE_AUTH request of '\(identity)' carries both AUTH and EAP")
        }
        switch peer.remoteAuthentication {
        case .preSharedKey:
            let octets = AuthenticationOctets.signedOctets(
                prf: keys.schedule.prf, firstMessage: state.initiatorFirstMessage, peerNonce: keys.responderNonce,
                identification: idi, skP: keys.material.pi)
            let secret = configuration.preSharedKey(local: peer.localIdentity, remote: identity)
            if auth.method == .sharedKeyMIC, secret == nil {
                // A connection with `auth = psk` and no secret for this peer is a gap in the
                // configuration, not a wrong key: the SA ends saying so (the peer gets
                // AUTHENTICATION_FAILED either way, RFC 7296 §2.21.2).
                return refuseAuthRequest(
                    &sa, messageID: messageID, .noSharedKey, "no pre-shared key for '\(peer.localIdentity)' and '\(identity)'")
            }
            guard auth.method == .sharedKeyMIC, let secret,
                AuthenticationOctets.verifySharedKeyAuthentication(
                    prf: keys.schedule.prf, sharedSecret: secret, signedOctets: octets, received: auth.data)
            else {
                return refuseAuthRequest(
                    &sa, messageID: messageID, .sharedKeyMismatch,
                    "AUTH of '\(identity)' did not verify with the pre-shared key for it")
            }
            answerAuthRequest(&sa, state, payloads, messageID: messageID, identity: identity, now: now)
        case .publicKey:
            let certificates = Self.certificates(in: payloads)
            guard !certificates.isEmpty else {
                return refuseAuthRequest(
                    &sa, messageID: messageID, .missingCertificate,
                    "peer '\(identity)' sent no X.509 certificate, but connection '\(peer.name)' authenticates it with one")
            }
            let validation = AwaitingValidationOfAuthRequestState(
                request: IKECompletionID(localSPI: sa.localSPI, step: .validateAuthRequest), previous: state,
                messageID: messageID, payloads: payloads, identification: idi, authentication: auth,
                alternatives: choice.alternatives.map(\.name))
            requestValidation(&sa, validation, certificates: certificates, now: now)
        case .eap:
            refuseAuthRequest(
                &sa, messageID: messageID, .eapOutOfOrder,
                "'\(identity)' sent AUTH, but connection '\(peer.name)' authenticates it with EAP")
        }
    }

    /// Asks the host to validate the initiator's chain for `sa.peer`, through its CAs.
    private mutating func requestValidation(
        _ sa: inout IKESA, _ state: AwaitingValidationOfAuthRequestState, certificates: [[UInt8]], now: IKEInstant
    ) {
        sa.state = .awaitingValidationOfAuthRequest(state)
        sa.completionDeadline = now + configuration.completionTimeout
        effects.append(.validateCertificates(CertificateValidationRequest(
            id: state.request, connection: sa.peer.name, certificates: certificates,
            claimedIdentity: IKEIdentity(state.identification), signatureConstraints: sa.peer.remoteSignatureConstraints,
            certificateAuthorities: sa.peer.remoteCertificateAuthorities.map(\.certificate))))
    }

    /// The host refused the initiator's chain because it passes through none of the CAs
    /// of the chosen connection: the next connection that accepts the identity takes its
    /// place, as strongSwan switches to its next candidate, and the chain is validated for
    /// that one. Returns whether there was one.
    mutating func validateForNextConnection(
        _ sa: inout IKESA, _ state: AwaitingValidationOfAuthRequestState, now: IKEInstant
    ) -> Bool {
        var state = state
        while !state.alternatives.isEmpty {
            guard let next = configuration.peer(named: state.alternatives.removeFirst()) else { continue }
            sa.peer = next
            requestValidation(&sa, state, certificates: Self.certificates(in: state.payloads), now: now)
            return true
        }
        return false
    }

    /// RFC 7296 §2.21.2: the responder answers AUTHENTICATION_FAILED and deletes the IKE SA.
    mutating func refuseAuthRequest(
        _ sa: inout IKESA, messageID: UInt32, _ cause: IKECloseReason.Cause, _ why: String,
        completionFailure: IKECompletionFailure.Code? = nil
    ) {
        refuse(&sa, exchange: .ikeAuth, messageID: messageID, IKERefusal(.authenticationFailed, why))
        close(&sa, IKECloseReason(.authenticationFailed, why, cause: cause, completionFailure: completionFailure))
    }

    /// The initiator is authenticated: make our AUTH (or ask the host to sign it).
    mutating func answerAuthRequest(
        _ sa: inout IKESA, _ state: AwaitingAuthRequestState, _ payloads: [IKEPayload], messageID: UInt32,
        identity: IKEIdentity, now: IKEInstant
    ) {
        guard let keys = sa.keys else { return }
        let peer = sa.peer
        sa.remoteIdentity = identity
        let initialContact = payloads.hasNotification(.initialContact)
        if peer.uniqueness == .keep, !initialContact, let existing = supersededSAs(of: sa).first {
            return refuseAuthRequest(
                &sa, messageID: messageID, .duplicateIdentity,
                "'\(identity)' already has IKE SA \(HexText.string(existing)) and connection '\(peer.name)' has unique = keep")
        }
        let responderOctets = AuthenticationOctets.signedOctets(
            prf: keys.schedule.prf, firstMessage: state.responderFirstMessage, peerNonce: keys.initiatorNonce,
            identification: peer.localIdentity.payload, skP: keys.material.pr)
        switch peer.localAuthentication {
        case .preSharedKey:
            guard let secret = configuration.preSharedKey(local: peer.localIdentity, remote: identity) else {
                return refuseAuthRequest(
                    &sa, messageID: messageID, .noSharedKey, "no pre-shared key for '\(peer.localIdentity)' and '\(identity)'")
            }
            let auth = AuthenticationPayload(
                method: .sharedKeyMIC,
                data: AuthenticationOctets.sharedKeyAuthentication(
                    prf: keys.schedule.prf, sharedSecret: secret, signedOctets: responderOctets))
            finishAuthResponse(&sa, state, payloads, messageID: messageID, authentication: auth, now: now)
        case .publicKey:
            let id = IKECompletionID(localSPI: sa.localSPI, step: .signAuthResponse)
            sa.state = .awaitingSignatureForAuthResponse(AwaitingSignatureForAuthResponseState(
                request: id, previous: state, messageID: messageID, payloads: payloads))
            sa.completionDeadline = now + configuration.completionTimeout
            effects.append(.sign(SigningRequest(
                id: id, connection: peer.name, identity: peer.localIdentity, octets: responderOctets,
                peerSignatureHashes: Self.signatureHashAlgorithms(in: state.initiatorFirstMessage),
                signatureConstraints: peer.localSignatureConstraints)))
        case .eap:
            guard peer.isEAPOnly else {
                return refuseAuthRequest(
                    &sa, messageID: messageID, .eapOutOfOrder,
                    "connection '\(peer.name)' authenticates us with EAP, which only an initiator does")
            }
            startEAPOnlyAsAuthenticator(&sa, state, payloads, messageID: messageID, identity: identity, now: now)
        }
    }

    /// Sends the IKE_AUTH response once our AUTH is known:
    /// `HDR, SK {IDr, [CERT,] AUTH, SAr2, TSi, TSr}`; with EAP (RFC 7296 §2.16)
    /// `HDR, SK {IDr, [CERT,] AUTH, EAP}`, the Child SA waiting for the last round.
    mutating func finishAuthResponse(
        _ sa: inout IKESA, _ previous: AwaitingAuthRequestState, _ payloads: [IKEPayload], messageID: UInt32,
        authentication: AuthenticationPayload, now: IKEInstant
    ) {
        let peer = sa.peer
        var response: [IKEPayload] = [.identificationResponder(peer.localIdentity.payload)]
        response += Self.certificatePayloads(peer, peerAsked: payloads.contains { $0.type == .certificateRequest })
        response.append(.authentication(authentication))
        guard !peer.remoteAuthentication.usesEAP else {
            return startEAPAsAuthenticator(&sa, previous, payloads, messageID: messageID, head: response, now: now)
        }
        completeAuthRequest(&sa, payloads, messageID: messageID, response: response, now: now)
    }

    /// Responder: the initiator is authenticated. Answers `payloads` (the IKE_AUTH request
    /// that asked for the Child SA and perhaps virtual IPs) with `response`, the CFG_REPLY
    /// and the first Child SA, and establishes. `addresses` is the host's answer to the
    /// CFG_REQUEST, once it came.
    mutating func completeAuthRequest(
        _ sa: inout IKESA, _ payloads: [IKEPayload], messageID: UInt32, response: [IKEPayload], now: IKEInstant,
        addresses: Result<AddressAssignment, IKECompletionFailure>? = nil
    ) {
        let peer = sa.peer
        let configurationAnswer: [IKEPayload]
        var allowsChildSA = true
        switch answerConfigurationRequest(&sa, payloads, messageID: messageID, response: response, assigned: addresses, now: now) {
        case .wait: return
        case .answer(let answer, let allowed): (configurationAnswer, allowsChildSA) = (answer, allowed)
        case .refuse(let refusal):
            refuse(&sa, exchange: .ikeAuth, messageID: messageID, refusal)
            return close(&sa, IKECloseReason(.protocolError, refusal.text, cause: .malformedConfiguration))
        }
        var response = response + configurationAnswer + windowSizeNotify + negotiateMOBIKE(&sa, request: payloads)
        // RFC 7296 §1.2: when the Child SA fails, "the IKE SA is still created"; the answer
        // carries the error notify instead. Without SA, TSi and TSr the peer asked for no
        // Child SA (RFC 6023).
        var children: [ChildSA] = []
        if allowsChildSA, let request = ChildSARequest(payloads, keying: .ikeAuth), sa.keys != nil {
            switch negotiateChildSA(sa, request, children: peer.children) {
            case .success(let negotiated):
                response += negotiated.answer
                children.append(negotiated.child)
            case .failure(let refusal):
                response.append(.notify(refusal.notify))
            }
        }
        respond(&sa, exchange: .ikeAuth, messageID: messageID, payloads: response)
        sa.halfOpenDeadline = nil
        sa.state = .established(EstablishedState(children: children, pending: nil))
        let initialContact = payloads.hasNotification(.initialContact)
        if initialContact && peer.uniqueness != .never {
            closeSupersededSAs(of: sa)
        } else if peer.uniqueness == .replace {
            deleteSupersededSAs(of: sa, now: now)
        }
        events.append(.ikeSAEstablished(name: peer.name, localSPI: sa.localSPI, remoteSPI: sa.remoteSPI, isInitiator: false))
        for child in children {
            events.append(.childSAInstalled(
                name: child.name, inboundSPI: child.inboundSPI, outboundSPI: child.outboundSPI, isExchangeInitiator: false))
        }
    }

    // MARK: Shared

    /// SET_WINDOW_SIZE when our window is larger than one (RFC 7296 §2.3): "The data
    /// associated with a SET_WINDOW_SIZE notification MUST be 4 octets long and contain
    /// the big endian representation of the number of messages the sender promises to
    /// keep."
    var windowSizeNotify: [IKEPayload] {
        configuration.windowSize > 1
            ? [.notify(NotifyPayload(type: .setWindowSize, data: configuration.windowSize.bytes))] : []
    }

    /// RFC 7296 §2.4: INITIAL_CONTACT "asserts that this IKE SA is the only IKE SA
    /// currently active between the authenticated identities"; the other IKE SAs of the
    /// same connection and peer identity are stale (the peer restarted) and go, silently.
    mutating func closeSupersededSAs(of sa: IKESA) {
        for spi in supersededSAs(of: sa) {
            guard var old = sas[spi] else { continue }
            close(
                &old,
                IKECloseReason(
                    .deletedByPeer, "the peer restarted: IKE SA \(HexText.string(sa.localSPI)) came with INITIAL_CONTACT"))
            store(old)
        }
    }

    /// `unique = replace` without INITIAL_CONTACT: the peer still holds the older IKE SAs
    /// of the same identity, so they are deleted politely, as strongSwan does.
    mutating func deleteSupersededSAs(of sa: IKESA, now: IKEInstant) {
        for spi in supersededSAs(of: sa) {
            guard var old = sas[spi] else { continue }
            old.closeReasonOnDelete = IKECloseReason(
                .deletedLocally, "replaced by IKE SA \(HexText.string(sa.localSPI)) of the same peer identity (unique = replace)")
            do {
                try startDelete(&old, now: now)
            } catch {
                close(&old, IKECloseReason(.deletedLocally, "replaced, and the Delete could not be sent: \(error)"))
            }
            store(old)
        }
    }

    /// The other live IKE SAs of the same connection and peer identity.
    private func supersededSAs(of sa: IKESA) -> [UInt64] {
        guard let identity = sa.remoteIdentity else { return [] }
        let key = PeerIdentityKey(connection: sa.peer.name, identity: identity)
        return (sasByPeerIdentity[key] ?? []).filter { $0 != sa.localSPI && sas[$0]?.replacedBy == nil }.sorted()
    }

    /// Our CERT payloads for IKE_AUTH when we sign (RFC 7296 §3.6), as `send_cert` says:
    /// `ifasked` sends them when the peer sent a CERTREQ payload, whichever CAs it names
    /// (as strongSwan does), `always` and `never` as they say.
    static func certificatePayloads(_ peer: PeerConfiguration, peerAsked: Bool) -> [IKEPayload] {
        guard peer.localAuthentication == .publicKey else { return [] }
        switch peer.sendCertificate {
        case .always: break
        case .ifAsked: guard peerAsked else { return [] }
        case .never: return []
        }
        return peer.localCertificates.map { .certificate(CertificatePayload(encoding: .x509Signature, data: $0)) }
    }

    /// A CERTREQ (RFC 7296 §3.7) naming the CAs of those `peers` that check the peer's
    /// certificate and have `send_certreq` on: each connection's `remote { cacerts }`, or
    /// every trusted CA for one that names none; nothing when no CA is left.
    func certificateRequestPayloads(_ peers: [PeerConfiguration]) -> [IKEPayload] {
        let authorities = configuration.certificateRequestHashes(for: peers.filter(\.sendCertificateRequest))
        guard !authorities.isEmpty else { return [] }
        return [.certificateRequest(CertificateRequestPayload(
            encoding: .x509Signature, certificationAuthority: authorities.flatMap { $0 }))]
    }

    /// Whether the peer's IKE_SA_INIT message carries a CERTREQ payload.
    static func hasCertificateRequest(in firstMessage: [UInt8]) -> Bool {
        guard let message = try? IKEMessage(decoding: ByteBuffer(bytes: firstMessage)) else { return false }
        return message.payloads.contains { $0.type == .certificateRequest }
    }

    /// The X.509 certificates of the CERT payloads, in order (RFC 7296 §3.6: the first
    /// holds the key that signs AUTH). Other encodings are ignored.
    static func certificates(in payloads: [IKEPayload]) -> [[UInt8]] {
        payloads.certificates.filter { $0.encoding == .x509Signature && !$0.data.isEmpty }.map(\.data)
    }

    /// The peer's SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4) from its IKE_SA_INIT message.
    static func signatureHashAlgorithms(in firstMessage: [UInt8]) -> SignatureHashAlgorithms? {
        guard let message = try? IKEMessage(decoding: ByteBuffer(bytes: firstMessage)),
            let notify = message.payloads.notification(.signatureHashAlgorithms)
        else { return nil }
        return try? SignatureHashAlgorithms(decoding: notify.data)
    }
}
