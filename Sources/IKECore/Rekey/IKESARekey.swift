import IKEConfig
import IKECrypto
import IKEWire
import NIOCore

/// The IKE SA rekey (RFC 7296 §1.3.2, §2.18): a CREATE_CHILD_SA exchange that makes a
/// new IKE SA with fresh keys, moves the Child SAs onto it and deletes the old one, and
/// the simultaneous rekeys of §2.8.1.
extension IKEEngine {
    // MARK: Initiator

    /// Starts the rekey of `sa`. The KE payload is for `keyExchange` when given (the group
    /// an INVALID_KE_PAYLOAD asked for), else for the group the IKE SA negotiated (RFC 7296
    /// §2.18; strongSwan's `prefer_previous_dh_group`), else the first configured one.
    mutating func startIKERekey(
        _ sa: inout IKESA, keyExchange: KeyExchangeMethodID? = nil, now: IKEInstant
    ) throws(IKECoreError) {
        guard case .established(var state) = sa.state else {
            throw IKECoreError(.internalState, "IKE SA \(HexText.string(sa.localSPI)) is not established")
        }
        guard let method = keyExchange
            ?? ProposalOffer.rekeyKeyExchangeMethod(negotiated: sa.negotiatedTransforms, templates: sa.peer.proposals)
        else {
            throw IKECoreError(.configuration, "connection '\(sa.peer.name)' has no key exchange method for a rekey")
        }
        guard sa.outstanding == nil else { return enqueue(.rekeyIKESA, on: &sa) }
        let newSPI = makeLocalSPI()
        let offered = ProposalOffer.proposals(
            ProposalOffer.preferring(method, in: sa.peer.proposals), protocolID: .ike, spi: newSPI.bytes)
        let share = try generateShare(method)
        let nonce = random.bytes(Self.nonceLength)
        state.pending = .rekeyIKESA(PendingIKERekey(
            newLocalSPI: newSPI, offered: offered, nonce: nonce, keyShare: share, keyExchangeMethod: method,
            isKeyExchangeRetry: keyExchange != nil))
        sa.state = .established(state)
        try sendRequest(
            &sa, exchange: .createChildSA,
            payloads: [
                .securityAssociation(SecurityAssociationPayload(proposals: offered)), .nonce(NoncePayload(data: nonce)),
                .keyExchange(KeyExchangePayload(method: method, data: share.publicValue)),
            ], now: now)
    }

    /// The initiator's end of an IKE SA rekey: build the new SA, move the Child SAs, and
    /// delete the old SA on it.
    mutating func completeIKERekey(
        _ sa: inout IKESA, request: PendingIKERekey, payloads: [IKEPayload], now: IKEInstant
    ) {
        if let error = payloads.errorNotification {
            // RFC 7296 §1.3: INVALID_KE_PAYLOAD names the group the responder wants; we try
            // once more with it when our proposals allow it.
            if !request.isKeyExchangeRetry,
                let group = ProposalOffer.retryGroup(error, sent: request.keyExchangeMethod, offered: request.offered)
            {
                do {
                    return try startIKERekey(&sa, keyExchange: group, now: now)
                } catch {
                    return drop(.localFailure, "IKE SA \(HexText.string(sa.localSPI)): rekey with group \(group) not started: \(error)")
                }
            }
            // The IKE SA stands; TEMPORARY_FAILURE (§2.25) means a collision, and any
            // other refusal is retried by the lifetime timer until the hard limit.
            return drop(.peerRefused("the rekey of IKE SA \(HexText.string(sa.localSPI))", error.type))
        }
        guard let answer = payloads.securityAssociation,
            let chosen = ProposalSelection.verify(accepted: answer.proposals, offered: request.offered),
            chosen.spi.count == 8,
            let nonce = payloads.nonce,
            let ke = payloads.keyExchange,
            ke.method == request.keyExchangeMethod, let secret = try? request.keyShare.complete(peerValue: ke.data)
        else {
            return drop(.responseMismatch, "IKE rekey response does not match the request")
        }
        let newSA = makeRekeyedSA(
            from: sa, localSPI: request.newLocalSPI, remoteSPI: UInt64(bytes: chosen.spi), role: .initiator,
            chosen: chosen, sharedSecret: secret, initiatorNonce: request.nonce, responderNonce: nonce.data)
        guard var newSA else { return drop(.localFailure, "could not derive the rekeyed IKE SA's keys") }
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
        events.append(.ikeSARekeyed(name: sa.peer.name, oldSPI: sa.localSPI, newSPI: newSA.localSPI, isInitiator: true))
        sendQueuedRequest(&newSA, now: now)
        store(newSA)
        // RFC 7296 §2.18: the old IKE SA is deleted with an INFORMATIONAL on it.
        try? startDelete(&sa, now: now)
    }

    // MARK: Responder

    mutating func respondToIKERekey(
        _ sa: inout IKESA, offer: [Proposal], nonce initiatorNonce: [UInt8], ke: KeyExchangePayload?, messageID: UInt32,
        now: IKEInstant
    ) {
        guard let chosen = ProposalSelection.select(from: offer, templates: sa.peer.proposals, protocolID: .ike),
            chosen.spi.count == 8,
            let method = chosen.transforms(ofType: .keyExchangeMethod).first.map({ KeyExchangeMethodID(rawValue: $0.id) })
        else {
            return refuse(
                &sa, exchange: .createChildSA, messageID: messageID,
                IKERefusal(.noProposalChosen, "no acceptable proposal in the rekey of IKE SA \(HexText.string(sa.localSPI))"))
        }
        let keyExchange: (sharedSecret: SecretBytes, payload: IKEPayload)
        switch respondToKeyExchange(ke, method: method) {
        case .success(let answer): keyExchange = answer
        case .failure(let refusal): return refuse(&sa, exchange: .createChildSA, messageID: messageID, refusal)
        }
        let newLocalSPI = makeLocalSPI()
        let responderNonce = random.bytes(Self.nonceLength)
        guard var newSA = makeRekeyedSA(
            from: sa, localSPI: newLocalSPI, remoteSPI: UInt64(bytes: chosen.spi), role: .responder, chosen: chosen,
            sharedSecret: keyExchange.sharedSecret, initiatorNonce: initiatorNonce, responderNonce: responderNonce)
        else {
            return refuse(
                &sa, exchange: .createChildSA, messageID: messageID,
                IKERefusal(.noProposalChosen, "could not derive the keys of the rekeyed IKE SA \(HexText.string(sa.localSPI))"))
        }
        respond(
            &sa, exchange: .createChildSA, messageID: messageID,
            payloads: [
                .securityAssociation(SecurityAssociationPayload(proposals: [
                    Proposal(number: chosen.number, protocolID: .ike, spi: newLocalSPI.bytes, transforms: chosen.transforms)
                ])),
                .nonce(NoncePayload(data: responderNonce)),
                keyExchange.payload,
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
        events.append(.ikeSARekeyed(name: sa.peer.name, oldSPI: sa.localSPI, newSPI: newSA.localSPI, isInitiator: false))
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
            sa.isRemoteBehindNAT = old.isRemoteBehindNAT
            inheritMobility(from: old, to: &sa)
            return sa
        } catch {
            return nil
        }
    }

    /// Moves the Child SAs, the requests about them still queued and the virtual IPs to the
    /// IKE SA that replaces `old`.
    private func moveChildren(from old: inout IKESA, to new: inout IKESA) {
        guard case .established(var oldState) = old.state, case .established(var newState) = new.state else { return }
        newState.children = oldState.children
        oldState.children = []
        new.queuedRequests = old.queuedRequests.filter { $0 != .deleteIKESA && $0 != .rekeyIKESA }
        // The virtual IPs go with the Child SAs: the old SA's close releases nothing.
        (new.addressesLeasedToPeer, old.addressesLeasedToPeer) = (old.addressesLeasedToPeer, nil)
        (new.assignedVirtualIPs, old.assignedVirtualIPs) = (old.assignedVirtualIPs, nil)
        new.remoteEAPIdentity = old.remoteEAPIdentity
        old.queuedRequests.removeAll()
        old.state = .established(oldState)
        new.state = .established(newState)
    }
}
