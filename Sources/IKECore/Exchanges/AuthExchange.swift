import IKEConfig
import IKECrypto
import IKEWire
import NIOCore

/// IKE_AUTH (RFC 7296 §1.2, §2.15): identities, PSK authentication and the first Child
/// SA with traffic selector narrowing (§2.9).
extension IKEEngine {
    // MARK: Initiator

    mutating func sendAuthRequest(_ sa: inout IKESA, responderFirstMessage: [UInt8], now: IKEInstant) {
        guard let keys = sa.keys else { return }
        let peer = sa.peer
        let child = peer.children.first
        let childSPI = makeChildSPI()
        let spiBytes = (0..<4).map { UInt8(truncatingIfNeeded: childSPI >> (24 - 8 * $0)) }
        let childOffered = (child?.proposals ?? []).enumerated().map { index, template in
            template.proposal(number: UInt8(clamping: index + 1), protocolID: .esp, spi: spiBytes)
        }
        let localSelectors = child?.localTrafficSelectors.map(\.selector) ?? []
        let remoteSelectors = child?.remoteTrafficSelectors.map(\.selector) ?? []
        guard case .sentSAInitRequest(let initState) = sa.state,
            let secret = configuration.preSharedKey(
                local: peer.localIdentity, remote: peer.remoteIdentity ?? peer.localIdentity)
        else {
            return close(&sa, IKECloseReason(.authenticationFailed, "no pre-shared key for '\(peer.localIdentity)'"))
        }
        // InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI (RFC 7296 §2.15).
        let octets = AuthenticationOctets.signedOctets(
            prf: keys.schedule.prf, firstMessage: initState.requestBytes, peerNonce: keys.responderNonce,
            identification: peer.localIdentity.payload, skP: keys.material.pi)
        var payloads: [IKEPayload] = [
            .identificationInitiator(peer.localIdentity.payload),
            .notify(NotifyPayload(type: .initialContact)),
        ]
        if let remoteIdentity = peer.remoteIdentity { payloads.append(.identificationResponder(remoteIdentity.payload)) }
        payloads.append(
            .authentication(AuthenticationPayload(
                method: .sharedKeyMIC,
                data: AuthenticationOctets.sharedKeyAuthentication(prf: keys.schedule.prf, sharedSecret: secret, signedOctets: octets))))
        if child != nil {
            payloads += [
                .securityAssociation(SecurityAssociationPayload(proposals: childOffered)),
                .trafficSelectorInitiator(TrafficSelectorPayload(selectors: localSelectors)),
                .trafficSelectorResponder(TrafficSelectorPayload(selectors: remoteSelectors)),
            ]
            if child?.mode == .transport { payloads.append(.notify(NotifyPayload(type: .useTransportMode))) }
        }
        sa.state = .sentAuthRequest(SentAuthRequestState(
            responderFirstMessage: responderFirstMessage, child: child, childInboundSPI: childSPI,
            childOffered: childOffered, offeredLocalSelectors: localSelectors, offeredRemoteSelectors: remoteSelectors))
        do {
            try sendRequest(&sa, exchange: .ikeAuth, payloads: payloads, now: now)
        } catch {
            close(&sa, IKECloseReason(.protocolError, "could not send IKE_AUTH: \(error)"))
        }
    }

    mutating func handleAuthResponse(_ sa: inout IKESA, _ payloads: [IKEPayload], now: IKEInstant) {
        guard case .sentAuthRequest(let state) = sa.state, let keys = sa.keys else {
            return drop("IKE_AUTH response in the wrong state")
        }
        let notifies = payloads.compactMap { if case .notify(let n) = $0 { n } else { nil } }
        if notifies.contains(where: { $0.type == .authenticationFailed }) {
            return close(
                &sa,
                IKECloseReason(
                    .authenticationFailed,
                    "peer rejected our authentication as '\(sa.peer.localIdentity)': check that both sides have the same PSK for these identities"))
        }
        guard case .identificationResponder(let idr)? = payloads.first(where: { $0.type == .identificationResponder }),
            case .authentication(let auth)? = payloads.first(where: { $0.type == .authentication })
        else {
            return close(&sa, IKECloseReason(.protocolError, "IKE_AUTH response without IDr or AUTH"))
        }
        let identity = IKEIdentity(idr)
        if let expected = sa.peer.remoteIdentity, expected != identity {
            return close(
                &sa,
                IKECloseReason(.authenticationFailed, "peer identified as '\(identity)', but the configuration expects '\(expected)'"))
        }
        // ResponderSignedOctets = RealMessage2 | NonceIData | MACedIDForR.
        let octets = AuthenticationOctets.signedOctets(
            prf: keys.schedule.prf, firstMessage: state.responderFirstMessage, peerNonce: keys.initiatorNonce,
            identification: idr, skP: keys.material.pr)
        guard auth.method == .sharedKeyMIC,
            let secret = configuration.preSharedKey(local: sa.peer.localIdentity, remote: identity),
            AuthenticationOctets.verifySharedKeyAuthentication(
                prf: keys.schedule.prf, sharedSecret: secret, signedOctets: octets, received: auth.data)
        else {
            return close(
                &sa, IKECloseReason(.authenticationFailed, "AUTH payload of '\(identity)' did not verify with our pre-shared key"))
        }
        sa.remoteIdentity = identity
        var children: [ChildSA] = []
        if let child = state.child,
            case .securityAssociation(let answer)? = payloads.first(where: { $0.type == .securityAssociation }),
            let chosen = ProposalSelection.verify(accepted: answer.proposals, offered: state.childOffered),
            chosen.spi.count == 4,
            case .trafficSelectorInitiator(let tsi)? = payloads.first(where: { $0.type == .trafficSelectorInitiator }),
            case .trafficSelectorResponder(let tsr)? = payloads.first(where: { $0.type == .trafficSelectorResponder }),
            // RFC 7296 §2.9: the responder may only narrow what was proposed.
            !tsi.selectors.isEmpty, !tsr.selectors.isEmpty,
            tsi.selectors.allSatisfy({ !TrafficSelectorNarrowing.narrow(proposed: [$0], allowed: state.offeredLocalSelectors).isEmpty }),
            tsr.selectors.allSatisfy({ !TrafficSelectorNarrowing.narrow(proposed: [$0], allowed: state.offeredRemoteSelectors).isEmpty }),
            let installed = installChild(
                sa, config: child, chosen: chosen, inboundSPI: state.childInboundSPI,
                outboundSPI: chosen.spi.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }, localSelectors: tsi.selectors,
                remoteSelectors: tsr.selectors)
        {
            children.append(installed)
        }
        sa.state = .established(EstablishedState(children: children, pending: nil))
        events.append(.ikeSAEstablished(name: sa.peer.name, localSPI: sa.localSPI, remoteSPI: sa.remoteSPI))
        for child in children {
            events.append(.childSAInstalled(name: child.name, inboundSPI: child.inboundSPI, outboundSPI: child.outboundSPI))
        }
    }

    // MARK: Responder

    mutating func handleAuthRequest(
        _ sa: inout IKESA, _ state: AwaitingAuthRequestState, _ payloads: [IKEPayload], messageID: UInt32,
        now: IKEInstant
    ) {
        guard let keys = sa.keys,
            case .identificationInitiator(let idi)? = payloads.first(where: { $0.type == .identificationInitiator }),
            case .authentication(let auth)? = payloads.first(where: { $0.type == .authentication })
        else {
            respond(&sa, exchange: .ikeAuth, messageID: messageID, payloads: [.notify(NotifyPayload(type: .authenticationFailed))])
            return close(&sa, IKECloseReason(.authenticationFailed, "IKE_AUTH request without IDi or AUTH (EAP is not supported yet)"))
        }
        let identity = IKEIdentity(idi)
        let peer = sa.peer
        let octets = AuthenticationOctets.signedOctets(
            prf: keys.schedule.prf, firstMessage: state.initiatorFirstMessage, peerNonce: keys.responderNonce,
            identification: idi, skP: keys.material.pi)
        let identityMatches = peer.remoteIdentity.map { $0 == identity } ?? true
        guard identityMatches, auth.method == .sharedKeyMIC,
            let secret = configuration.preSharedKey(local: peer.localIdentity, remote: identity),
            AuthenticationOctets.verifySharedKeyAuthentication(
                prf: keys.schedule.prf, sharedSecret: secret, signedOctets: octets, received: auth.data)
        else {
            // RFC 7296 §2.21.2: the responder answers AUTHENTICATION_FAILED and deletes
            // the IKE SA.
            respond(&sa, exchange: .ikeAuth, messageID: messageID, payloads: [.notify(NotifyPayload(type: .authenticationFailed))])
            let why = identityMatches
                ? "AUTH of '\(identity)' did not verify with the pre-shared key for it"
                : "peer identified as '\(identity)', but connection '\(peer.name)' expects '\(peer.remoteIdentity?.description ?? "")'"
            return close(&sa, IKECloseReason(.authenticationFailed, why))
        }
        sa.remoteIdentity = identity
        let responderOctets = AuthenticationOctets.signedOctets(
            prf: keys.schedule.prf, firstMessage: state.responderFirstMessage, peerNonce: keys.initiatorNonce,
            identification: peer.localIdentity.payload, skP: keys.material.pr)
        var response: [IKEPayload] = [
            .identificationResponder(peer.localIdentity.payload),
            .authentication(AuthenticationPayload(
                method: .sharedKeyMIC,
                data: AuthenticationOctets.sharedKeyAuthentication(prf: keys.schedule.prf, sharedSecret: secret, signedOctets: responderOctets))),
        ]
        var children: [ChildSA] = []
        let (childPayloads, child) = negotiateFirstChild(sa, payloads)
        response += childPayloads
        if let child { children.append(child) }
        respond(&sa, exchange: .ikeAuth, messageID: messageID, payloads: response)
        sa.halfOpenDeadline = nil
        sa.state = .established(EstablishedState(children: children, pending: nil))
        events.append(.ikeSAEstablished(name: peer.name, localSPI: sa.localSPI, remoteSPI: sa.remoteSPI))
        for child in children {
            events.append(.childSAInstalled(name: child.name, inboundSPI: child.inboundSPI, outboundSPI: child.outboundSPI))
        }
    }

    /// The responder's side of the Child SA in IKE_AUTH: the payloads of the answer, and
    /// the SA installed. When it fails the IKE SA stands and the answer carries the
    /// error notify (RFC 7296 §1.2: "the IKE SA is still created").
    private mutating func negotiateFirstChild(_ sa: IKESA, _ payloads: [IKEPayload]) -> ([IKEPayload], ChildSA?) {
        guard case .securityAssociation(let offer)? = payloads.first(where: { $0.type == .securityAssociation }),
            case .trafficSelectorInitiator(let tsi)? = payloads.first(where: { $0.type == .trafficSelectorInitiator }),
            case .trafficSelectorResponder(let tsr)? = payloads.first(where: { $0.type == .trafficSelectorResponder })
        else { return ([], nil) }  // childless (RFC 6023)
        let wantsTransport = payloads.contains { if case .notify(let n) = $0 { n.type == .useTransportMode } else { false } }
        for config in sa.peer.children {
            // From the responder's view, TSi is the peer's side (our remote selectors).
            let narrowedI = TrafficSelectorNarrowing.narrow(
                proposed: tsi.selectors, allowed: config.remoteTrafficSelectors.map(\.selector))
            let narrowedR = TrafficSelectorNarrowing.narrow(
                proposed: tsr.selectors, allowed: config.localTrafficSelectors.map(\.selector))
            guard !narrowedI.isEmpty, !narrowedR.isEmpty else { continue }
            guard let chosen = ProposalSelection.select(from: offer.proposals, templates: config.proposals, protocolID: .esp),
                chosen.spi.count == 4
            else {
                return ([.notify(NotifyPayload(type: .noProposalChosen))], nil)
            }
            let inboundSPI = makeChildSPI()
            let spiBytes = (0..<4).map { UInt8(truncatingIfNeeded: inboundSPI >> (24 - 8 * $0)) }
            guard let child = installChild(
                sa, config: config, chosen: chosen, inboundSPI: inboundSPI,
                outboundSPI: chosen.spi.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }, localSelectors: narrowedR,
                remoteSelectors: narrowedI)
            else { return ([.notify(NotifyPayload(type: .noProposalChosen))], nil) }
            var answer: [IKEPayload] = [
                .securityAssociation(SecurityAssociationPayload(proposals: [
                    Proposal(number: chosen.number, protocolID: .esp, spi: spiBytes, transforms: chosen.transforms)
                ])),
                .trafficSelectorInitiator(TrafficSelectorPayload(selectors: narrowedI)),
                .trafficSelectorResponder(TrafficSelectorPayload(selectors: narrowedR)),
            ]
            if wantsTransport, config.mode == .transport { answer.append(.notify(NotifyPayload(type: .useTransportMode))) }
            return (answer, child)
        }
        return ([.notify(NotifyPayload(type: .tsUnacceptable))], nil)
    }

    /// Derives the Child SA keys (RFC 7296 §2.17) and asks the host to install it.
    private mutating func installChild(
        _ sa: IKESA, config: ChildSAConfiguration, chosen: Proposal, inboundSPI: UInt32, outboundSPI: UInt32,
        localSelectors: [TrafficSelector], remoteSelectors: [TrafficSelector]
    ) -> ChildSA? {
        guard let keys = sa.keys,
            let encryptionTransform = chosen.transforms(ofType: .encryptionAlgorithm).first
        else { return nil }
        let integrityTransform = chosen.transforms(ofType: .integrityAlgorithm).first
        let esn = chosen.transforms(ofType: .sequenceNumbers).first?.id == SequenceNumbersID.extendedSequenceNumbers.rawValue
        do {
            let encryptionID = EncryptionAlgorithmID(rawValue: encryptionTransform.id)
            let encryption = try configuration.provider.addingLegacyTransforms().encryptionAlgorithm(
                encryptionID, keyBits: encryptionTransform.keyLength.map(Int.init))
            let integrity = try integrityTransform.map { transform throws(IKECryptoError) in
                try configuration.provider.integrityAlgorithm(IntegrityAlgorithmID(rawValue: transform.id))
            }
            let material = try keys.schedule.childKeyMaterial(
                skD: keys.material.d, encryption: encryption, integrity: integrity,
                initiatorNonce: keys.initiatorNonce, responderNonce: keys.responderNonce)
            let isInitiator = sa.role == .initiator
            effects.append(.installChildSA(ChildSAInstallation(
                name: config.name, inboundSPI: inboundSPI, outboundSPI: outboundSPI, encryption: encryptionID,
                encryptionKeyBits: encryptionTransform.keyLength.map(Int.init),
                integrity: integrityTransform.map { IntegrityAlgorithmID(rawValue: $0.id) },
                usesExtendedSequenceNumbers: esn,
                inboundEncryptionKey: isInitiator ? material.responderEncryption : material.initiatorEncryption,
                inboundIntegrityKey: isInitiator ? material.responderIntegrity : material.initiatorIntegrity,
                outboundEncryptionKey: isInitiator ? material.initiatorEncryption : material.responderEncryption,
                outboundIntegrityKey: isInitiator ? material.initiatorIntegrity : material.responderIntegrity,
                localTrafficSelectors: localSelectors, remoteTrafficSelectors: remoteSelectors, mode: config.mode,
                localAddress: sa.local, remoteAddress: sa.remote,
                isUDPEncapsulated: sa.local.port == 4500 || sa.remote.port == 4500)))
            return ChildSA(name: config.name, inboundSPI: inboundSPI, outboundSPI: outboundSPI)
        } catch {
            return nil
        }
    }
}
