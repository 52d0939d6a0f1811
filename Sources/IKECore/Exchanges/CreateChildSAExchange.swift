import IKEConfig
import IKECrypto
import IKEWire
import NIOCore

/// CREATE_CHILD_SA (RFC 7296 §1.3): new Child SAs with optional PFS, Child SA rekey
/// (REKEY_SA), and deleting single Child SAs (§1.4.1). The IKE SA rekey, which travels in
/// the same exchange, is in `Rekey/IKESARekey.swift`; the responder's negotiation in
/// `ChildSA/ChildSANegotiation.swift`.
extension IKEEngine {
    // MARK: Initiating

    mutating func startCreateChildSA(_ sa: inout IKESA, config: ChildSAConfiguration, rekeying: ChildSA?, now: IKEInstant)
        throws(IKECoreError)
    {
        guard case .established(var state) = sa.state else {
            throw IKECoreError(.internalState, "IKE SA \(HexText.string(sa.localSPI)) is not established")
        }
        guard sa.outstanding == nil else {
            return enqueue(rekeying.map { .rekeyChildSA(inboundSPI: $0.inboundSPI) } ?? .createChildSA(child: config.name), on: &sa)
        }
        let inboundSPI = makeChildSPI()
        let offered = config.proposals.enumerated().map { index, template in
            template.proposal(number: UInt8(clamping: index + 1), protocolID: .esp, spi: inboundSPI.bytes)
        }
        let method = config.proposals.first?.keyExchangeMethods.first
        let share = try method.map { method throws(IKECoreError) in try generateShare(method) }
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

    mutating func startDeleteChildSA(_ sa: inout IKESA, inboundSPI: UInt32, now: IKEInstant) throws(IKECoreError) {
        guard case .established(let state) = sa.state, state.children.contains(where: { $0.inboundSPI == inboundSPI })
        else { throw IKECoreError(.unknownName, "no Child SA with inbound SPI \(HexText.string(inboundSPI))") }
        guard sa.outstanding == nil else {
            return enqueue(.deleteChildSA(inboundSPI: inboundSPI, isRemoved: false), on: &sa)
        }
        sendChildSADelete(&sa, inboundSPI: inboundSPI, now: now)
    }

    // MARK: Responses

    mutating func handleCreateChildSAResponse(_ sa: inout IKESA, _ payloads: [IKEPayload], now: IKEInstant) {
        guard case .established(var state) = sa.state, let pending = state.pending else {
            return drop(.responseMismatch, "CREATE_CHILD_SA response with nothing pending")
        }
        state.pending = nil
        sa.state = .established(state)
        switch pending {
        case .createChildSA(let request):
            if let error = payloads.errorNotification {
                // RFC 7296 §1.3: a failed CREATE_CHILD_SA leaves the IKE SA as it is;
                // TEMPORARY_FAILURE (§2.25) means a collision: the other side's exchange
                // settles it.
                return drop(.peerRefused("Child SA '\(request.config.name)'", error.type))
            }
            guard let answer = payloads.securityAssociation,
                let chosen = ProposalSelection.verify(accepted: answer.proposals, offered: request.offered),
                chosen.spi.count == 4,
                let responderNonce = payloads.nonce,
                let tsi = payloads.trafficSelectorInitiator,
                let tsr = payloads.trafficSelectorResponder
            else {
                return drop(.responseMismatch, "CREATE_CHILD_SA response does not match the request")
            }
            var secrets: [SecretBytes] = []
            if let share = request.keyShare {
                guard let ke = payloads.keyExchange,
                    ke.method == request.keyExchangeMethod, let secret = try? share.complete(peerValue: ke.data)
                else { return drop(.responseMismatch, "CREATE_CHILD_SA response without a usable KE for PFS") }
                secrets.append(secret)
            }
            guard let child = installChildSA(
                sa, config: request.config, chosen: chosen, inboundSPI: request.inboundSPI,
                outboundSPI: UInt32(bytes: chosen.spi), localSelectors: tsi.selectors, remoteSelectors: tsr.selectors,
                sharedSecrets: secrets, initiatorNonce: request.nonce, responderNonce: responderNonce.data,
                isExchangeInitiator: true)
            else { return drop(.localFailure, "could not derive the new Child SA's keys") }
            addChild(&sa, child, isExchangeInitiator: true)
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
            drop(.responseMismatch, "CREATE_CHILD_SA response to another request")
        }
    }

    // MARK: Requests

    mutating func handleCreateChildSARequest(
        _ sa: inout IKESA, _ state: EstablishedState, _ payloads: [IKEPayload], messageID: UInt32, now: IKEInstant
    ) {
        guard let offer = payloads.securityAssociation, let initiatorNonce = payloads.nonce else {
            return refuse(
                &sa, exchange: .createChildSA, messageID: messageID,
                IKERefusal(.malformedRequest, "CREATE_CHILD_SA request without SA or Nonce"))
        }
        let ke = payloads.keyExchange
        if offer.proposals.contains(where: { $0.protocolID == .ike }) {
            // RFC 7296 §2.25.2: "If a peer receives a request to rekey an IKE SA that it
            // is currently trying to close, it SHOULD reply with TEMPORARY_FAILURE."
            // §2.25.1: "If a peer receives a request to rekey the IKE SA, and it is
            // currently creating, rekeying, or closing a Child SA of that IKE SA, it SHOULD
            // reply with TEMPORARY_FAILURE."
            switch state.pending {
            case .deleteIKESA?, .createChildSA?, .deleteChildSA?:
                return refuse(
                    &sa, exchange: .createChildSA, messageID: messageID,
                    IKERefusal(.collision, "an IKE SA rekey while a Child SA or the IKE SA is being changed"))
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
            return refuse(
                &sa, exchange: .createChildSA, messageID: messageID,
                IKERefusal(.collision, "a Child SA request while the IKE SA is being rekeyed or deleted"))
        case .createChildSA?, .deleteChildSA?, .livenessCheck?, .notification?, nil:
            break
        }
        var rekeyed: ChildSA?
        if let rekey = payloads.notification(.rekeySA) {
            guard rekey.spi.count == 4, let old = state.children.first(where: { $0.outboundSPI == UInt32(bytes: rekey.spi) })
            else {
                // RFC 7296 §3.10.1: CHILD_SA_NOT_FOUND for a rekey of an SA we don't have.
                return refuse(
                    &sa, exchange: .createChildSA, messageID: messageID,
                    .childSANotFound(spi: rekey.spi, "REKEY_SA for a Child SA we do not have"))
            }
            // RFC 7296 §2.25.1: "If a peer receives a request to rekey a Child SA that it
            // is currently trying to close, it SHOULD reply with TEMPORARY_FAILURE."
            if case .deleteChildSA(let closing)? = state.pending, closing == old.inboundSPI {
                return refuse(
                    &sa, exchange: .createChildSA, messageID: messageID,
                    IKERefusal(.collision, "a rekey of Child SA '\(old.name)', which we are deleting"))
            }
            rekeyed = old
        }
        guard let request = ChildSARequest(
            payloads, keying: .createChildSA(initiatorNonce: initiatorNonce.data, keyExchange: ke))
        else {
            return refuse(
                &sa, exchange: .createChildSA, messageID: messageID,
                IKERefusal(.malformedRequest, "CREATE_CHILD_SA request without TSi or TSr"))
        }
        let children = rekeyed.map { old in sa.peer.children.filter { $0.name == old.name } } ?? sa.peer.children
        switch negotiateChildSA(sa, request, children: children) {
        case .failure(let refusal):
            refuse(&sa, exchange: .createChildSA, messageID: messageID, refusal)
        case .success(let negotiated):
            respond(&sa, exchange: .createChildSA, messageID: messageID, payloads: negotiated.answer)
            addChild(&sa, negotiated.child, isExchangeInitiator: false)
            if let rekeyed, let responderNonce = negotiated.responderNonce, case .established(var current) = sa.state {
                current.peerRekeys[rekeyed.inboundSPI] = EstablishedState.PeerRekey(
                    newInboundSPI: negotiated.child.inboundSPI,
                    lowestNonce: Self.lowerNonce(initiatorNonce.data, responderNonce))
                sa.state = .established(current)
            }
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
