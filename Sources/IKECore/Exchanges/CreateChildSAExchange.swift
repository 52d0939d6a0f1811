import IKEConfig
import IKECrypto
import IKEWire
import NIOCore

/// CREATE_CHILD_SA (RFC 7296 §1.3): new Child SAs with optional PFS, Child SA rekey
/// (REKEY_SA), and deleting single Child SAs (§1.4.1). The IKE SA rekey, which travels in
/// the same exchange, is in `Rekey/IKESARekey.swift`; the responder's negotiation in
/// `ChildSA/ChildSANegotiation.swift`.
extension IKEEngine {
    /// The most Child SAs one IKE SA holds: a peer's CREATE_CHILD_SA for one more, new or
    /// a rekey (whose old SA stays until it is deleted), is refused with NO_ADDITIONAL_SAS
    /// (RFC 7296 §3.10.1). A connection with k children needs 2k while rekeys overlap
    /// (3k in a simultaneous rekey), so 64 leaves room for about twenty children, and
    /// bounds the data-plane state (SAs, routes) one authenticated peer can make.
    public static var maximumChildSAs: Int { 64 }

    // MARK: Initiating

    /// Starts a CREATE_CHILD_SA for a new Child SA of `config`, or for the rekey of
    /// `rekeying` (RFC 7296 §1.3.1, §1.3.3). With PFS in the proposals, the KE payload is
    /// for `keyExchange` when given (the group an INVALID_KE_PAYLOAD asked for), else the
    /// group negotiated for `rekeying` when it had one, else the configured group.
    mutating func startCreateChildSA(
        _ sa: inout IKESA, config: ChildSAConfiguration, rekeying: ChildSA?, keyExchange: KeyExchangeMethodID? = nil,
        now: IKEInstant
    ) throws(IKECoreError) {
        guard case .established(var state) = sa.state else {
            throw IKECoreError(.internalState, "IKE SA \(HexText.string(sa.localSPI)) is not established")
        }
        guard sa.outstanding == nil else {
            return enqueue(rekeying.map { .rekeyChildSA(inboundSPI: $0.inboundSPI) } ?? .createChildSA(child: config.name), on: &sa)
        }
        let inboundSPI = makeChildSPI()
        let method = keyExchange
            ?? rekeying.flatMap { ProposalOffer.rekeyKeyExchangeMethod(negotiated: $0.transforms, templates: config.proposals) }
            ?? ProposalOffer.configuredKeyExchangeMethod(config.proposals)
        let offered = ProposalOffer.proposals(
            ProposalOffer.preferring(method, in: config.proposals), protocolID: .esp, spi: inboundSPI.bytes)
        let share = try method.map { method throws(IKECoreError) in try generateShare(method) }
        let localSelectors = rekeying?.localSelectors ?? sa.localSelectors(config)
        let remoteSelectors = rekeying?.remoteSelectors ?? sa.remoteSelectors(config)
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
            rekeying: rekeying?.inboundSPI, isKeyExchangeRetry: keyExchange != nil))
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
            completeChildSARequest(&sa, request, payloads, now: now)
        case .rekeyIKESA(let request):
            completeIKERekey(&sa, request: request, payloads: payloads, now: now)
        case .deleteChildSA, .livenessCheck, .notification, .deleteIKESA, .mobike:
            drop(.responseMismatch, "CREATE_CHILD_SA response to another request")
        }
    }

    /// Our request for a new or rekeyed Child SA was answered: install it, retry with the
    /// group an INVALID_KE_PAYLOAD names, or give up on it with an event.
    private mutating func completeChildSARequest(
        _ sa: inout IKESA, _ request: PendingChildRequest, _ payloads: [IKEPayload], now: IKEInstant
    ) {
        let name = request.config.name
        if let error = payloads.errorNotification {
            // RFC 7296 §1.3: the responder that wants another group "MUST reject the request
            // and indicate its preferred Diffie-Hellman group in the INVALID_KE_PAYLOAD
            // Notify payload"; we try once more with it when our proposals allow it.
            if !request.isKeyExchangeRetry,
                let group = ProposalOffer.retryGroup(error, sent: request.keyExchangeMethod, offered: request.offered)
            {
                return retryChildSARequest(&sa, request, keyExchange: group, now: now)
            }
            // RFC 7296 §1.3: a failed CREATE_CHILD_SA leaves the IKE SA as it is;
            // TEMPORARY_FAILURE (§2.25) means a collision: the other side's exchange
            // settles it.
            drop(.peerRefused("Child SA '\(name)'", error.type))
            guard error.type != .temporaryFailure else { return }
            let sent = request.keyExchangeMethod.map { "\($0)" } ?? "none"
            let failure = error.type == .invalidKEPayload
                ? IKEChildSAFailure(
                    .keyExchangeGroupRefused,
                    request.isKeyExchangeRetry
                        ? "the peer refused key exchange group \(sent), the one it had asked for; check the groups of "
                            + "`esp_proposals` of child '\(name)' on both sides"
                        : "the peer refused key exchange group \(sent) and asked for one that `esp_proposals` of child "
                            + "'\(name)' does not allow; align the groups on both sides",
                    peerNotify: error.type)
                : IKEChildSAFailure(.refusedByPeer, "the peer answered \(error.type)", peerNotify: error.type)
            return events.append(.childSAFailed(name: name, localSPI: sa.localSPI, reason: failure))
        }
        let child: ChildSA
        let responderNonce: [UInt8]
        switch installChildSAResponse(sa, request, payloads) {
        case .success(let installed): (child, responderNonce) = installed
        case .failure(let failure): return refuseChildSAResponse(&sa, name: name, inboundSPI: request.inboundSPI, failure)
        }
        addChild(&sa, child, isExchangeInitiator: true)
        guard let old = request.rekeying else { return }
        guard case .established(var current) = sa.state else { return }
        if let theirs = current.peerRekeys.removeValue(forKey: old) {
            sa.state = .established(current)
            // RFC 7296 §2.8.1: both sides rekeyed the same SA. "The SA created with the
            // lowest of the four nonces used in the two exchanges is redundant and SHOULD
            // be closed" by its creator; the winner's initiator deletes the old SA.
            let ours = Self.lowerNonce(request.nonce, responderNonce)
            if Self.nonceOrder(ours, theirs.lowestNonce) {
                try? startDeleteChildSA(&sa, inboundSPI: child.inboundSPI, now: now)
                return
            }
        }
        // RFC 7296 §2.8: the initiator of the rekey deletes the old SA.
        try? startDeleteChildSA(&sa, inboundSPI: old, now: now)
    }

    /// Installs the Child SA of a CREATE_CHILD_SA response to `request`, with Nr, when
    /// the answer is one we may take (`ChildSAAnswer`) and, when the chosen proposal has a
    /// group, carries a KE of the group we sent (the responder may also have chosen a
    /// proposal of ours without one).
    private mutating func installChildSAResponse(
        _ sa: IKESA, _ request: PendingChildRequest, _ payloads: [IKEPayload]
    ) -> Result<(ChildSA, [UInt8]), IKEChildSAFailure> {
        let answer: ChildSAAnswer
        switch ChildSAAnswer.check(
            payloads, offered: request.offered, localSelectors: request.localSelectors,
            remoteSelectors: request.remoteSelectors)
        {
        case .success(let checked): answer = checked
        case .failure(let failure): return .failure(failure)
        }
        guard let nonce = payloads.nonce else {
            return .failure(IKEChildSAFailure(.responseMismatch, "the answer has no Nonce payload"))
        }
        var secrets: [SecretBytes] = []
        if let group = ProposalOffer.keyExchangeMethod(of: answer.chosen.transforms) {
            guard group == request.keyExchangeMethod, let share = request.keyShare, let ke = payloads.keyExchange,
                ke.method == group, let secret = try? share.complete(peerValue: ke.data)
            else { return .failure(IKEChildSAFailure(.responseMismatch, "the answer has no usable KE payload of group \(group)")) }
            secrets.append(secret)
        }
        guard let child = installChildSA(
            sa, config: request.config, chosen: answer.chosen, inboundSPI: request.inboundSPI,
            outboundSPI: answer.outboundSPI, localSelectors: answer.localSelectors, remoteSelectors: answer.remoteSelectors,
            sharedSecrets: secrets, initiatorNonce: request.nonce, responderNonce: nonce.data, isExchangeInitiator: true)
        else { return .failure(IKEChildSAFailure(.localFailure, "could not derive the keys of the answer's proposal")) }
        return .success((child, nonce.data))
    }

    /// Sends `request` again with the group an INVALID_KE_PAYLOAD asked for; a rekey only
    /// while the SA it replaces is still there.
    private mutating func retryChildSARequest(
        _ sa: inout IKESA, _ request: PendingChildRequest, keyExchange group: KeyExchangeMethodID, now: IKEInstant
    ) {
        let old = request.rekeying.flatMap { spi in sa.state.children.first { $0.inboundSPI == spi } }
        guard request.rekeying == nil || old != nil else { return }
        do {
            try startCreateChildSA(&sa, config: request.config, rekeying: old, keyExchange: group, now: now)
        } catch {
            drop(.localFailure, "Child SA '\(request.config.name)': retry with group \(group) not started: \(error)")
        }
    }

    /// A Child SA answer we do not install: reported, and since the responder installed
    /// it and RFC 7296 has no way to refuse a response, deleted with the SPI we offered
    /// (§1.4.1: the SPI "the sending endpoint would expect in inbound ESP or AH packets"),
    /// as strongSwan does. The Delete goes first in the queue, sent when the response
    /// has been handled.
    mutating func refuseChildSAResponse(_ sa: inout IKESA, name: String, inboundSPI: UInt32, _ failure: IKEChildSAFailure) {
        events.append(.childSAFailed(name: name, localSPI: sa.localSPI, reason: failure))
        sa.queuedRequests.insert(.deleteChildSA(inboundSPI: inboundSPI, isRemoved: true), at: 0)
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
        if let newSPI = sa.replacedBy {
            // RFC 7296 §2.18: the rekey moved the Child SAs to the new IKE SA and the old one
            // only waits for its Delete; a peer that asks again (a second rekey, a Child SA)
            // is told to wait, and uses the new SA.
            return refuseAndReport(
                &sa, messageID: messageID,
                IKERefusal(
                    .ikeSAReplaced,
                    "CREATE_CHILD_SA on IKE SA \(HexText.string(sa.localSPI)), which IKE SA "
                        + "\(HexText.string(newSPI)) replaced"))
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
            case .rekeyIKESA?, .livenessCheck?, .notification?, .mobike?, nil:
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
        case .createChildSA?, .deleteChildSA?, .livenessCheck?, .notification?, .mobike?, nil:
            break
        }
        var rekeyed: ChildSA?
        if let rekey = payloads.notification(.rekeySA) {
            // RFC 7296 §1.3.3: "The Protocol ID field of the REKEY_SA notification is set to
            // match the protocol of the SA we are rekeying, for example, 3 for ESP and 2 for
            // AH." 0 and 1 name no Child SA (libreswan's CVE-2023-38710 was this).
            guard rekey.protocolID != .none, rekey.protocolID != .ike else {
                return refuse(
                    &sa, exchange: .createChildSA, messageID: messageID,
                    IKERefusal(.malformedRequest, "REKEY_SA with protocol ID \(rekey.protocolID), not a Child SA's"))
            }
            guard rekey.protocolID == .esp, rekey.spi.count == 4,
                let old = state.children.first(where: { $0.outboundSPI == UInt32(bytes: rekey.spi) })
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
        guard state.children.count < Self.maximumChildSAs else {
            return refuseAndReport(
                &sa, messageID: messageID,
                IKERefusal(
                    .childSALimitReached,
                    "NO_ADDITIONAL_SAS for '\(sa.peer.name)': IKE SA \(HexText.string(sa.localSPI)) has "
                        + "\(state.children.count) Child SAs, the most one IKE SA holds"))
        }
        guard var request = ChildSARequest(
            payloads, keying: .createChildSA(initiatorNonce: initiatorNonce.data, keyExchange: ke))
        else {
            return refuse(
                &sa, exchange: .createChildSA, messageID: messageID,
                IKERefusal(.malformedRequest, "CREATE_CHILD_SA request without TSi or TSr"))
        }
        request.isRekey = rekeyed != nil
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

extension IKEEngine {
    /// Refuses a CREATE_CHILD_SA request and reports it for the operator.
    private mutating func refuseAndReport(_ sa: inout IKESA, messageID: UInt32, _ refusal: IKERefusal) {
        events.append(.negotiationRefused(remote: sa.remote, reason: refusal))
        refuse(&sa, exchange: .createChildSA, messageID: messageID, refusal)
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
