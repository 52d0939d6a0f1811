import IKEConfig
import IKECrypto
import IKEWire
import NIOCore

/// CREATE_CHILD_SA (RFC 7296 §1.3): new Child SAs with optional PFS, Child SA rekey
/// (REKEY_SA), IKE SA rekey (§1.3.2, §2.18), and deleting single Child SAs (§1.4.1).
extension IKEEngine {
    // MARK: Initiating

    mutating func startCreateChildSA(_ sa: inout IKESA, config: ChildSAConfiguration, rekeying: ChildSA?, now: IKEInstant)
        throws(IKECoreError)
    {
        guard case .established(var state) = sa.state else {
            throw IKECoreError(.internalState, "IKE SA \(hex(sa.localSPI)) is not established")
        }
        guard sa.outstanding == nil else {
            return enqueue(rekeying.map { .rekeyChildSA(inboundSPI: $0.inboundSPI) } ?? .createChildSA(child: config.name), on: &sa)
        }
        let inboundSPI = makeChildSPI()
        let offered = config.proposals.enumerated().map { index, template in
            template.proposal(number: UInt8(clamping: index + 1), protocolID: .esp, spi: inboundSPI.bytes)
        }
        let method = config.proposals.first?.keyExchangeMethods.first
        let share = try method.map { method throws(IKECoreError) in try makeShare(method) }
        let localSelectors = rekeying?.localSelectors ?? config.localTrafficSelectors.map(\.selector)
        let remoteSelectors = rekeying?.remoteSelectors ?? config.remoteTrafficSelectors.map(\.selector)
        let nonce = random.bytes(Self.nonceLength)
        var payloads: [IKEPayload] = []
        if let rekeying {
            // RFC 7296 §1.3.3: the SPI "is the SPI the exchange initiator would expect in
            // inbound ESP or AH packets".
            payloads.append(.notify(NotifyPayload(protocolID: .esp, spi: rekeying.inboundSPI.bytes, type: .rekeySA)))
        }
        if config.mode == .transport { payloads.append(.notify(NotifyPayload(type: .useTransportMode))) }
        payloads += [
            .securityAssociation(SecurityAssociationPayload(proposals: offered)),
            .nonce(NoncePayload(data: nonce)),
        ]
        if let method, let share { payloads.append(.keyExchange(KeyExchangePayload(method: method, data: share.publicValue))) }
        payloads += [
            .trafficSelectorInitiator(TrafficSelectorPayload(selectors: localSelectors)),
            .trafficSelectorResponder(TrafficSelectorPayload(selectors: remoteSelectors)),
        ]
        state.pending = .createChildSA(PendingChildRequest(
            config: config, inboundSPI: inboundSPI, offered: offered, nonce: nonce, keyShare: share,
            keyExchangeMethod: method, localSelectors: localSelectors, remoteSelectors: remoteSelectors,
            rekeying: rekeying?.inboundSPI))
        sa.state = .established(state)
        try sendRequest(&sa, exchange: .createChildSA, payloads: payloads, now: now)
    }

    mutating func startIKERekey(_ sa: inout IKESA, now: IKEInstant) throws(IKECoreError) {
        guard case .established(var state) = sa.state else {
            throw IKECoreError(.internalState, "IKE SA \(hex(sa.localSPI)) is not established")
        }
        guard let method = sa.peer.proposals.first?.keyExchangeMethods.first else {
            throw IKECoreError(.configuration, "connection '\(sa.peer.name)' has no key exchange method for a rekey")
        }
        guard sa.outstanding == nil else { return enqueue(.rekeyIKESA, on: &sa) }
        let newSPI = makeLocalSPI()
        let spiBytes = newSPI.bytes
        let offered = sa.peer.proposals.enumerated().map { index, template in
            template.proposal(number: UInt8(clamping: index + 1), protocolID: .ike, spi: spiBytes)
        }
        let share = try makeShare(method)
        let nonce = random.bytes(Self.nonceLength)
        state.pending = .rekeyIKESA(PendingIKERekey(
            newLocalSPI: newSPI, offered: offered, nonce: nonce, keyShare: share, keyExchangeMethod: method))
        sa.state = .established(state)
        try sendRequest(
            &sa, exchange: .createChildSA,
            payloads: [
                .securityAssociation(SecurityAssociationPayload(proposals: offered)), .nonce(NoncePayload(data: nonce)),
                .keyExchange(KeyExchangePayload(method: method, data: share.publicValue)),
            ], now: now)
    }

    mutating func startDeleteChildSA(_ sa: inout IKESA, inboundSPI: UInt32, now: IKEInstant) throws(IKECoreError) {
        guard case .established(let state) = sa.state, state.children.contains(where: { $0.inboundSPI == inboundSPI })
        else { throw IKECoreError(.unknownName, "no Child SA with inbound SPI \(String(inboundSPI, radix: 16))") }
        guard sa.outstanding == nil else {
            return enqueue(.deleteChildSA(inboundSPI: inboundSPI, isRemoved: false), on: &sa)
        }
        sendChildSADelete(&sa, inboundSPI: inboundSPI, now: now)
    }

    private mutating func makeShare(_ method: KeyExchangeMethodID) throws(IKECoreError) -> any KeyExchangeShare {
        do {
            return try configuration.provider.keyExchangeMethod(method).generate(using: &random)
        } catch {
            throw IKECoreError(.configuration, "key exchange \(method): \(error)")
        }
    }

    // MARK: Responses

    mutating func handleCreateChildSAResponse(_ sa: inout IKESA, _ payloads: [IKEPayload], now: IKEInstant) {
        guard case .established(var state) = sa.state, let pending = state.pending else {
            return drop("CREATE_CHILD_SA response with nothing pending")
        }
        state.pending = nil
        sa.state = .established(state)
        let notifies = payloads.compactMap { if case .notify(let n) = $0 { n } else { nil } }
        switch pending {
        case .createChildSA(let request):
            if let error = notifies.first(where: { $0.type.isError }) {
                // RFC 7296 §1.3: a failed CREATE_CHILD_SA leaves the IKE SA as it is;
                // TEMPORARY_FAILURE (§2.25) means a collision: the other side's exchange
                // settles it.
                events.append(.datagramDropped(reason: "peer refused Child SA '\(request.config.name)': \(error.type)"))
                return
            }
            guard case .securityAssociation(let answer)? = payloads.first(where: { $0.type == .securityAssociation }),
                let chosen = ProposalSelection.verify(accepted: answer.proposals, offered: request.offered),
                chosen.spi.count == 4,
                case .nonce(let responderNonce)? = payloads.first(where: { $0.type == .nonce }),
                case .trafficSelectorInitiator(let tsi)? = payloads.first(where: { $0.type == .trafficSelectorInitiator }),
                case .trafficSelectorResponder(let tsr)? = payloads.first(where: { $0.type == .trafficSelectorResponder })
            else {
                return drop("CREATE_CHILD_SA response does not match the request")
            }
            var secrets: [SecretBytes] = []
            if let share = request.keyShare {
                guard case .keyExchange(let ke)? = payloads.first(where: { $0.type == .keyExchange }),
                    ke.method == request.keyExchangeMethod, let secret = try? share.complete(peerValue: ke.data)
                else { return drop("CREATE_CHILD_SA response without a usable KE for PFS") }
                secrets.append(secret)
            }
            guard let child = installChildSA(
                sa, config: request.config, chosen: chosen, inboundSPI: request.inboundSPI,
                outboundSPI: UInt32(bytes: chosen.spi), localSelectors: tsi.selectors, remoteSelectors: tsr.selectors,
                sharedSecrets: secrets, initiatorNonce: request.nonce, responderNonce: responderNonce.data,
                isExchangeInitiator: true)
            else { return drop("could not derive the new Child SA's keys") }
            addChild(&sa, child)
            guard let old = request.rekeying else { return }
            guard case .established(var current) = sa.state else { return }
            if let theirs = current.peerRekeys.removeValue(forKey: old) {
                sa.state = .established(current)
                // RFC 7296 §2.8.1: both sides rekeyed the same SA. "The SA created with the
                // lowest of the four nonces used in the two exchanges is redundant and SHOULD
                // be closed" by its creator; the winner's initiator deletes the old SA.
                let ours = Self.lowerNonce(request.nonce, responderNonce.data)
                if Self.nonceOrder(ours, theirs.lowestNonce) {
                    try? startDeleteChildSA(&sa, inboundSPI: child.inboundSPI, now: now)
                    return
                }
            }
            // RFC 7296 §2.8: the initiator of the rekey deletes the old SA.
            try? startDeleteChildSA(&sa, inboundSPI: old, now: now)
        case .rekeyIKESA(let request):
            completeIKERekey(&sa, request: request, payloads: payloads, now: now)
        case .deleteChildSA, .livenessCheck, .notification, .deleteIKESA:
            drop("CREATE_CHILD_SA response to another request")
        }
    }

    /// The initiator's end of an IKE SA rekey: build the new SA, move the Child SAs, and
    /// delete the old SA on it.
    private mutating func completeIKERekey(
        _ sa: inout IKESA, request: PendingIKERekey, payloads: [IKEPayload], now: IKEInstant
    ) {
        if let error = payloads.lazy.compactMap({ if case .notify(let n) = $0, n.type.isError { n } else { nil } }).first {
            // The IKE SA stands; TEMPORARY_FAILURE (§2.25) means a collision, retried by
            // the lifetime timer.
            return events.append(.datagramDropped(reason: "peer refused the rekey of IKE SA \(hex(sa.localSPI)): \(error.type)"))
        }
        guard case .securityAssociation(let answer)? = payloads.first(where: { $0.type == .securityAssociation }),
            let chosen = ProposalSelection.verify(accepted: answer.proposals, offered: request.offered),
            chosen.spi.count == 8,
            case .nonce(let nonce)? = payloads.first(where: { $0.type == .nonce }),
            case .keyExchange(let ke)? = payloads.first(where: { $0.type == .keyExchange }),
            ke.method == request.keyExchangeMethod, let secret = try? request.keyShare.complete(peerValue: ke.data)
        else {
            return drop("IKE rekey response does not match the request")
        }
        let newSA = makeRekeyedSA(
            from: sa, localSPI: request.newLocalSPI, remoteSPI: UInt64(bytes: chosen.spi), role: .initiator,
            chosen: chosen, sharedSecret: secret, initiatorNonce: request.nonce, responderNonce: nonce.data)
        guard var newSA else { return drop("could not derive the rekeyed IKE SA's keys") }
        newSA.lastInboundAt = now
        if case .established(var state) = sa.state, let theirs = state.peerIKERekey,
            var theirSA = sas[theirs.newLocalSPI]
        {
            // RFC 7296 §2.8.1: both sides rekeyed the IKE SA at once. "The IKE SA created
            // with the lowest of the four nonces ... is redundant" and its creator deletes
            // it; the winner's initiator deletes the old SA.
            state.peerIKERekey = nil
            sa.state = .established(state)
            if Self.nonceOrder(Self.lowerNonce(request.nonce, nonce.data), theirs.lowestNonce) {
                // Ours is redundant: the Child SAs stay on the peer's new SA.
                try? startDelete(&newSA, now: now)
                store(newSA)
                return
            }
            moveChildren(from: &theirSA, to: &newSA)
            store(theirSA)
        } else {
            moveChildren(from: &sa, to: &newSA)
        }
        sa.replacedBy = newSA.localSPI
        events.append(.ikeSARekeyed(name: sa.peer.name, oldSPI: sa.localSPI, newSPI: newSA.localSPI))
        sendQueuedRequest(&newSA, now: now)
        store(newSA)
        // RFC 7296 §2.18: the old IKE SA is deleted with an INFORMATIONAL on it.
        try? startDelete(&sa, now: now)
    }

    // MARK: Requests

    mutating func handleCreateChildSARequest(
        _ sa: inout IKESA, _ state: EstablishedState, _ payloads: [IKEPayload], messageID: UInt32, now: IKEInstant
    ) {
        guard case .securityAssociation(let offer)? = payloads.first(where: { $0.type == .securityAssociation }),
            case .nonce(let initiatorNonce)? = payloads.first(where: { $0.type == .nonce })
        else {
            return respond(&sa, exchange: .createChildSA, messageID: messageID, payloads: [.notify(NotifyPayload(type: .invalidSyntax))])
        }
        let ke: KeyExchangePayload? =
            if case .keyExchange(let ke)? = payloads.first(where: { $0.type == .keyExchange }) { ke } else { nil }
        if offer.proposals.contains(where: { $0.protocolID == .ike }) {
            // RFC 7296 §2.25.2: "If a peer receives a request to rekey an IKE SA that it
            // is currently trying to close, it SHOULD reply with TEMPORARY_FAILURE."
            // §2.25.1: "If a peer receives a request to rekey the IKE SA, and it is
            // currently creating, rekeying, or closing a Child SA of that IKE SA, it SHOULD
            // reply with TEMPORARY_FAILURE."
            switch state.pending {
            case .deleteIKESA?, .createChildSA?, .deleteChildSA?:
                return respond(
                    &sa, exchange: .createChildSA, messageID: messageID,
                    payloads: [.notify(NotifyPayload(type: .temporaryFailure))])
            case .rekeyIKESA?, .livenessCheck?, .notification?, nil:
                break
            }
            return respondToIKERekey(
                &sa, offer: offer.proposals, nonce: initiatorNonce.data, ke: ke, messageID: messageID, now: now)
        }
        // RFC 7296 §2.25.2: "If a peer receives a request to rekey a Child SA when it is
        // currently rekeying the IKE SA, it SHOULD reply with TEMPORARY_FAILURE." A new
        // Child SA waits likewise, and neither is made on an IKE SA we are deleting.
        switch state.pending {
        case .rekeyIKESA?, .deleteIKESA?:
            return respond(
                &sa, exchange: .createChildSA, messageID: messageID,
                payloads: [.notify(NotifyPayload(type: .temporaryFailure))])
        case .createChildSA?, .deleteChildSA?, .livenessCheck?, .notification?, nil:
            break
        }
        let notifies = payloads.compactMap { if case .notify(let n) = $0 { n } else { nil } }
        var rekeyed: ChildSA?
        if let rekey = notifies.first(where: { $0.type == .rekeySA }) {
            guard rekey.spi.count == 4, let old = state.children.first(where: { $0.outboundSPI == UInt32(bytes: rekey.spi) })
            else {
                // RFC 7296 §3.10.1: CHILD_SA_NOT_FOUND for a rekey of an SA we don't have.
                return respond(
                    &sa, exchange: .createChildSA, messageID: messageID,
                    payloads: [.notify(NotifyPayload(protocolID: .esp, spi: rekey.spi, type: .childSANotFound))])
            }
            // RFC 7296 §2.25.1: "If a peer receives a request to rekey a Child SA that it
            // is currently trying to close, it SHOULD reply with TEMPORARY_FAILURE."
            if case .deleteChildSA(let closing)? = state.pending, closing == old.inboundSPI {
                return respond(
                    &sa, exchange: .createChildSA, messageID: messageID,
                    payloads: [.notify(NotifyPayload(type: .temporaryFailure))])
            }
            rekeyed = old
        }
        guard case .trafficSelectorInitiator(let tsi)? = payloads.first(where: { $0.type == .trafficSelectorInitiator }),
            case .trafficSelectorResponder(let tsr)? = payloads.first(where: { $0.type == .trafficSelectorResponder })
        else {
            return respond(&sa, exchange: .createChildSA, messageID: messageID, payloads: [.notify(NotifyPayload(type: .invalidSyntax))])
        }
        let configs = rekeyed.map { old in sa.peer.children.filter { $0.name == old.name } } ?? sa.peer.children
        for config in configs {
            let narrowedI = TrafficSelectorNarrowing.narrow(proposed: tsi.selectors, allowed: config.remoteTrafficSelectors.map(\.selector))
            let narrowedR = TrafficSelectorNarrowing.narrow(proposed: tsr.selectors, allowed: config.localTrafficSelectors.map(\.selector))
            guard !narrowedI.isEmpty, !narrowedR.isEmpty else { continue }
            guard let chosen = ProposalSelection.select(from: offer.proposals, templates: config.proposals, protocolID: .esp),
                chosen.spi.count == 4
            else {
                return respond(&sa, exchange: .createChildSA, messageID: messageID, payloads: [.notify(NotifyPayload(type: .noProposalChosen))])
            }
            let method = chosen.transforms(ofType: .keyExchangeMethod).first.map { KeyExchangeMethodID(rawValue: $0.id) }
            var secrets: [SecretBytes] = []
            var answerKE: [IKEPayload] = []
            if let method, method != .none {
                // RFC 7296 §1.3.1 / §1.3: the KE must be for the chosen group, else
                // INVALID_KE_PAYLOAD names it.
                guard let ke, ke.method == method else {
                    return respond(
                        &sa, exchange: .createChildSA, messageID: messageID,
                        payloads: [.notify(NotifyPayload(type: .invalidKEPayload, data: [UInt8(method.rawValue >> 8), UInt8(method.rawValue & 0xFF)]))])
                }
                guard let answer = try? configuration.provider.keyExchangeMethod(method).respond(to: ke.data, using: &random) else {
                    return respond(&sa, exchange: .createChildSA, messageID: messageID, payloads: [.notify(NotifyPayload(type: .invalidSyntax))])
                }
                secrets.append(answer.sharedSecret)
                answerKE = [.keyExchange(KeyExchangePayload(method: method, data: answer.publicValue))]
            }
            let inboundSPI = makeChildSPI()
            let responderNonce = random.bytes(Self.nonceLength)
            guard let child = installChildSA(
                sa, config: config, chosen: chosen, inboundSPI: inboundSPI, outboundSPI: UInt32(bytes: chosen.spi),
                localSelectors: narrowedR, remoteSelectors: narrowedI, sharedSecrets: secrets,
                initiatorNonce: initiatorNonce.data, responderNonce: responderNonce, isExchangeInitiator: false)
            else {
                return respond(&sa, exchange: .createChildSA, messageID: messageID, payloads: [.notify(NotifyPayload(type: .noProposalChosen))])
            }
            var answer: [IKEPayload] = [
                .securityAssociation(SecurityAssociationPayload(proposals: [
                    Proposal(number: chosen.number, protocolID: .esp, spi: inboundSPI.bytes, transforms: chosen.transforms)
                ])),
                .nonce(NoncePayload(data: responderNonce)),
            ]
            answer += answerKE
            answer += [
                .trafficSelectorInitiator(TrafficSelectorPayload(selectors: narrowedI)),
                .trafficSelectorResponder(TrafficSelectorPayload(selectors: narrowedR)),
            ]
            respond(&sa, exchange: .createChildSA, messageID: messageID, payloads: answer)
            addChild(&sa, child)
            if let rekeyed, case .established(var current) = sa.state {
                current.peerRekeys[rekeyed.inboundSPI] = EstablishedState.PeerRekey(
                    newInboundSPI: inboundSPI, lowestNonce: Self.lowerNonce(initiatorNonce.data, responderNonce))
                sa.state = .established(current)
            }
            return
        }
        respond(&sa, exchange: .createChildSA, messageID: messageID, payloads: [.notify(NotifyPayload(type: .tsUnacceptable))])
    }

    private mutating func respondToIKERekey(
        _ sa: inout IKESA, offer: [Proposal], nonce initiatorNonce: [UInt8], ke: KeyExchangePayload?, messageID: UInt32,
        now: IKEInstant
    ) {
        guard let chosen = ProposalSelection.select(from: offer, templates: sa.peer.proposals, protocolID: .ike),
            chosen.spi.count == 8,
            let method = chosen.transforms(ofType: .keyExchangeMethod).first.map({ KeyExchangeMethodID(rawValue: $0.id) })
        else {
            return respond(&sa, exchange: .createChildSA, messageID: messageID, payloads: [.notify(NotifyPayload(type: .noProposalChosen))])
        }
        guard let ke, ke.method == method else {
            return respond(
                &sa, exchange: .createChildSA, messageID: messageID,
                payloads: [.notify(NotifyPayload(type: .invalidKEPayload, data: [UInt8(method.rawValue >> 8), UInt8(method.rawValue & 0xFF)]))])
        }
        guard let answer = try? configuration.provider.keyExchangeMethod(method).respond(to: ke.data, using: &random) else {
            return respond(&sa, exchange: .createChildSA, messageID: messageID, payloads: [.notify(NotifyPayload(type: .invalidSyntax))])
        }
        let newLocalSPI = makeLocalSPI()
        let responderNonce = random.bytes(Self.nonceLength)
        guard var newSA = makeRekeyedSA(
            from: sa, localSPI: newLocalSPI, remoteSPI: UInt64(bytes: chosen.spi), role: .responder, chosen: chosen,
            sharedSecret: answer.sharedSecret, initiatorNonce: initiatorNonce, responderNonce: responderNonce)
        else {
            return respond(&sa, exchange: .createChildSA, messageID: messageID, payloads: [.notify(NotifyPayload(type: .noProposalChosen))])
        }
        respond(
            &sa, exchange: .createChildSA, messageID: messageID,
            payloads: [
                .securityAssociation(SecurityAssociationPayload(proposals: [
                    Proposal(number: chosen.number, protocolID: .ike, spi: newLocalSPI.bytes, transforms: chosen.transforms)
                ])),
                .nonce(NoncePayload(data: responderNonce)),
                .keyExchange(KeyExchangePayload(method: method, data: answer.publicValue)),
            ])
        newSA.lastInboundAt = now
        moveChildren(from: &sa, to: &newSA)
        sa.replacedBy = newSA.localSPI
        if case .established(var state) = sa.state, case .rekeyIKESA? = state.pending {
            // Our own rekey of this SA is in flight: remember this one to settle the
            // collision when our response arrives (RFC 7296 §2.8.1).
            state.peerIKERekey = EstablishedState.PeerIKERekey(
                newLocalSPI: newSA.localSPI, lowestNonce: Self.lowerNonce(initiatorNonce, responderNonce))
            sa.state = .established(state)
        }
        events.append(.ikeSARekeyed(name: sa.peer.name, oldSPI: sa.localSPI, newSPI: newSA.localSPI))
        sendQueuedRequest(&newSA, now: now)
        store(newSA)
    }

    // MARK: Shared

    /// The order of nonces for collisions (RFC 7296 §2.8.1): as unsigned byte strings,
    /// compared left to right, a shorter prefix first.
    static func nonceOrder(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool { lhs.lexicographicallyPrecedes(rhs) }

    static func lowerNonce(_ lhs: [UInt8], _ rhs: [UInt8]) -> [UInt8] { nonceOrder(rhs, lhs) ? rhs : lhs }

    /// The new IKE SA of a rekey (RFC 7296 §2.18): `SKEYSEED = prf(SK_d (old), g^ir (new)
    /// | Ni | Nr)` with the old SA's PRF, then the seven keys with the new proposal and
    /// SPIs. The side that started the rekey is the new SA's original initiator.
    private func makeRekeyedSA(
        from old: IKESA, localSPI: UInt64, remoteSPI: UInt64, role: IKESARole, chosen: Proposal,
        sharedSecret: SecretBytes, initiatorNonce: [UInt8], responderNonce: [UInt8]
    ) -> IKESA? {
        guard let oldKeys = old.keys,
            let encryption = chosen.transforms(ofType: .encryptionAlgorithm).first,
            let prf = chosen.transforms(ofType: .pseudorandomFunction).first
        else { return nil }
        let integrity = chosen.transforms(ofType: .integrityAlgorithm).first
        do {
            let schedule = try IKEKeySchedule(
                provider: configuration.provider, prf: PseudorandomFunctionID(rawValue: prf.id),
                encryption: EncryptionAlgorithmID(rawValue: encryption.id), keyBits: encryption.keyLength.map(Int.init),
                integrity: integrity.map { IntegrityAlgorithmID(rawValue: $0.id) })
            let skeyseed = IKEKeySchedule.rekeyedSkeyseed(
                oldPRF: oldKeys.schedule.prf, oldSKd: oldKeys.material.d, sharedSecrets: [sharedSecret],
                initiatorNonce: initiatorNonce, responderNonce: responderNonce)
            let initiatorSPI = role == .initiator ? localSPI : remoteSPI
            let responderSPI = role == .initiator ? remoteSPI : localSPI
            let material = try schedule.keyMaterial(
                skeyseed: skeyseed, initiatorNonce: initiatorNonce, responderNonce: responderNonce,
                initiatorSPI: initiatorSPI, responderSPI: responderSPI)
            var sa = IKESA(
                role: role, localSPI: localSPI, remoteSPI: remoteSPI, local: old.local, remote: old.remote,
                natTraversalPort: old.natTraversalPort, peer: old.peer,
                state: .established(EstablishedState(children: [], pending: nil)))
            sa.keys = try IKESAKeys(
                schedule: schedule, material: material, role: role, initiatorNonce: initiatorNonce,
                responderNonce: responderNonce)
            sa.remoteIdentity = old.remoteIdentity
            sa.negotiatedTransforms = chosen.transforms
            sa.isFragmentationNegotiated = old.isFragmentationNegotiated
            sa.isLocalBehindNAT = old.isLocalBehindNAT
            return sa
        } catch {
            return nil
        }
    }

    /// Moves the Child SAs, and the requests about them still queued, to the IKE SA that
    /// replaces `old`.
    private func moveChildren(from old: inout IKESA, to new: inout IKESA) {
        guard case .established(var oldState) = old.state, case .established(var newState) = new.state else { return }
        newState.children = oldState.children
        oldState.children = []
        new.queuedRequests = old.queuedRequests.filter { $0 != .deleteIKESA && $0 != .rekeyIKESA }
        old.queuedRequests.removeAll()
        old.state = .established(oldState)
        new.state = .established(newState)
    }

    private mutating func addChild(_ sa: inout IKESA, _ child: ChildSA) {
        guard case .established(var state) = sa.state else { return }
        state.children.append(child)
        sa.state = .established(state)
        events.append(.childSAInstalled(name: child.name, inboundSPI: child.inboundSPI, outboundSPI: child.outboundSPI))
    }

    /// Derives Child SA keys (RFC 7296 §2.17) and asks the host to install the pair.
    /// `isExchangeInitiator` says whether we started the exchange that created it: its
    /// initiator sends with the "initiator" keys.
    mutating func installChildSA(
        _ sa: IKESA, config: ChildSAConfiguration, chosen: Proposal, inboundSPI: UInt32, outboundSPI: UInt32,
        localSelectors: [TrafficSelector], remoteSelectors: [TrafficSelector], sharedSecrets: [SecretBytes],
        initiatorNonce: [UInt8], responderNonce: [UInt8], isExchangeInitiator: Bool
    ) -> ChildSA? {
        guard let keys = sa.keys, let encryptionTransform = chosen.transforms(ofType: .encryptionAlgorithm).first else {
            return nil
        }
        let integrityTransform = chosen.transforms(ofType: .integrityAlgorithm).first
        let esn = chosen.transforms(ofType: .sequenceNumbers).first?.id == SequenceNumbersID.extendedSequenceNumbers.rawValue
        do {
            let encryptionID = EncryptionAlgorithmID(rawValue: encryptionTransform.id)
            // 3DES and NULL are never in the default provider; a Child SA gets them only
            // when the configuration offered them (its proposals are the opt-in).
            let provider = [.tripleDES, .null].contains(encryptionID)
                ? configuration.provider.addingLegacyTransforms() : configuration.provider
            let encryption = try provider.encryptionAlgorithm(
                encryptionID, keyBits: encryptionTransform.keyLength.map(Int.init))
            let integrity = try integrityTransform.map { transform throws(IKECryptoError) in
                try configuration.provider.integrityAlgorithm(IntegrityAlgorithmID(rawValue: transform.id))
            }
            let material = try keys.schedule.childKeyMaterial(
                skD: keys.material.d, encryption: encryption, integrity: integrity, sharedSecrets: sharedSecrets,
                initiatorNonce: initiatorNonce, responderNonce: responderNonce)
            effects.append(.installChildSA(ChildSAInstallation(
                name: config.name, inboundSPI: inboundSPI, outboundSPI: outboundSPI, encryption: encryptionID,
                encryptionKeyBits: encryptionTransform.keyLength.map(Int.init),
                integrity: integrityTransform.map { IntegrityAlgorithmID(rawValue: $0.id) },
                usesExtendedSequenceNumbers: esn,
                inboundEncryptionKey: isExchangeInitiator ? material.responderEncryption : material.initiatorEncryption,
                inboundIntegrityKey: isExchangeInitiator ? material.responderIntegrity : material.initiatorIntegrity,
                outboundEncryptionKey: isExchangeInitiator ? material.initiatorEncryption : material.responderEncryption,
                outboundIntegrityKey: isExchangeInitiator ? material.initiatorIntegrity : material.responderIntegrity,
                localTrafficSelectors: localSelectors, remoteTrafficSelectors: remoteSelectors, mode: config.mode,
                localAddress: sa.local, remoteAddress: sa.remote,
                isUDPEncapsulated: sa.isOnNATTraversalPort)))
            return ChildSA(
                name: config.name, inboundSPI: inboundSPI, outboundSPI: outboundSPI, localSelectors: localSelectors,
                remoteSelectors: remoteSelectors, transforms: chosen.transforms, mode: config.mode)
        } catch {
            return nil
        }
    }
}

extension UInt32 {
    /// The four bytes, network order.
    var bytes: [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: self >> (24 - 8 * $0)) } }

    /// From up to four bytes, network order.
    init(bytes: [UInt8]) { self = bytes.reduce(0) { $0 << 8 | UInt32($1) } }
}

extension UInt64 {
    var bytes: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: self >> (56 - 8 * $0)) } }

    init(bytes: [UInt8]) { self = bytes.reduce(0) { $0 << 8 | UInt64($1) } }
}
