import IKEConfig
import IKECrypto
import IKEWire

/// What a responder negotiates a Child SA from: the peer's SA, TSi and TSr payloads,
/// whether it asked for transport mode, and what the exchange adds to the keys.
struct ChildSARequest {
    /// How the exchange keys the Child SA.
    enum Keying {
        /// IKE_AUTH (RFC 7296 §1.2): the keys come from the IKE SA's nonces, and the
        /// exchange carries no KE payload, so a proposal's key exchange method is not
        /// acted on.
        case ikeAuth
        /// CREATE_CHILD_SA (RFC 7296 §1.3.1): fresh nonces, and a KE payload for PFS
        /// when the chosen proposal has a key exchange method.
        case createChildSA(initiatorNonce: [UInt8], keyExchange: KeyExchangePayload?)
    }

    /// The proposals of the peer's SA payload.
    var offer: [Proposal]
    /// TSi: the initiator's side, our remote selectors.
    var initiatorSelectors: [TrafficSelector]
    /// TSr: the responder's side, our local selectors.
    var responderSelectors: [TrafficSelector]
    /// USE_TRANSPORT_MODE was in the request (RFC 7296 §1.3.1).
    var wantsTransportMode: Bool
    var keying: Keying
    /// The request rekeys a Child SA (REKEY_SA, RFC 7296 §1.3.3).
    var isRekey = false

    /// The Child SA request of an IKE_AUTH or CREATE_CHILD_SA request, or `nil` when it
    /// has no SA, TSi or TSr payload.
    init?(_ payloads: [IKEPayload], keying: Keying) {
        guard let offer = payloads.securityAssociation, let tsi = payloads.trafficSelectorInitiator,
            let tsr = payloads.trafficSelectorResponder
        else { return nil }
        self.offer = offer.proposals
        self.initiatorSelectors = tsi.selectors
        self.responderSelectors = tsr.selectors
        self.wantsTransportMode = payloads.hasNotification(.useTransportMode)
        self.keying = keying
    }
}

/// A Child SA the responder agreed to and installed.
struct NegotiatedChildSA {
    var child: ChildSA
    /// The answer's payloads: SA, [Nr,] [KEr,] TSi, TSr, [N(USE_TRANSPORT_MODE)].
    var answer: [IKEPayload]
    /// Nr of a CREATE_CHILD_SA; `nil` in IKE_AUTH.
    var responderNonce: [UInt8]?
}

/// The responder's Child SA negotiation, the same for IKE_AUTH and CREATE_CHILD_SA:
/// narrow the selectors (RFC 7296 §2.9), choose the proposal (§2.7), complete the key
/// exchange when there is one, allocate the inbound SPI, install, and answer.
extension IKEEngine {
    /// Negotiates a Child SA of `sa` with the first of `children` whose selectors allow
    /// the peer's. A refusal of the proposals or the selectors is reported with
    /// ``IKEEvent/negotiationRefused(remote:reason:)``, naming both sides' offers.
    mutating func negotiateChildSA(
        _ sa: IKESA, _ request: ChildSARequest, children: [ChildSAConfiguration]
    ) -> Result<NegotiatedChildSA, IKERefusal> {
        for config in children {
            // From the responder's view, TSi is the peer's side (our remote selectors).
            // `dynamic` stands for the peer's virtual IP or address, and ours (RFC 7296 §2.9).
            let narrowedI = TrafficSelectorNarrowing.narrow(
                proposed: request.initiatorSelectors, allowed: sa.remoteSelectors(config))
            let narrowedR = TrafficSelectorNarrowing.narrow(
                proposed: request.responderSelectors, allowed: sa.localSelectors(config))
            guard !narrowedI.isEmpty, !narrowedR.isEmpty else { continue }
            return negotiateChildSA(sa, request, config: config, localSelectors: narrowedR, remoteSelectors: narrowedI)
        }
        return .failure(refused(sa, IKERefusal(
            .trafficSelectorsUnacceptable,
            "TS_UNACCEPTABLE for '\(sa.peer.name)': peer proposed \(request.initiatorSelectors) === "
                + "\(request.responderSelectors), which no child's remote_ts/local_ts allows; the IKE SA stands")))
    }

    private mutating func negotiateChildSA(
        _ sa: IKESA, _ request: ChildSARequest, config: ChildSAConfiguration, localSelectors: [TrafficSelector],
        remoteSelectors: [TrafficSelector]
    ) -> Result<NegotiatedChildSA, IKERefusal> {
        // In IKE_AUTH the proposals are compared without their key exchange methods: the
        // keys come from the IKE SA, and an initiator leaves them out (RFC 7296 §1.2).
        let templates: [ProposalTemplate]
        var ignoring: Set<TransformType> = []
        switch request.keying {
        case .ikeAuth:
            templates = ProposalOffer.withoutKeyExchange(config.proposals)
            ignoring = ProposalSelection.keyExchangeTypes
        case .createChildSA(_, let ke):
            // Windows rekeys its Child SAs with the 1024-bit MODP group whatever was
            // negotiated; where the connection tolerates that, the group is tried first.
            let downgrade = request.isRekey && sa.peer.toleratesKeyExchangeDowngradeOnRekey && ke?.method == .modp1024
            templates = downgrade ? ProposalOffer.replacingKeyExchange(config.proposals, with: [.modp1024]) + config.proposals : config.proposals
        }
        guard let keys = sa.keys,
            let chosen = ProposalSelection.select(from: request.offer, templates: templates, protocolID: .esp, ignoring: ignoring),
            chosen.spi.count == 4
        else {
            return .failure(refused(sa, IKERefusal(
                .noProposalChosen,
                "NO_PROPOSAL_CHOSEN for Child SA '\(config.name)' of '\(sa.peer.name)': peer offered "
                    + "\(ProposalSelection.describe(request.offer)); ours: "
                    + "\(ProposalSelection.describe(templates.map { $0.proposal(number: 1, protocolID: .esp) })); "
                    + "the IKE SA stands; align `esp_proposals` on both sides")))
        }
        var sharedSecrets: [SecretBytes] = []
        var answerKE: [IKEPayload] = []
        if case .createChildSA(_, let ke) = request.keying,
            let method = chosen.transforms(ofType: .keyExchangeMethod).first.map({ KeyExchangeMethodID(rawValue: $0.id) }),
            method != .none
        {
            switch respondToKeyExchange(ke, method: method) {
            case .success(let (secret, payload)):
                sharedSecrets.append(secret)
                answerKE = [payload]
            case .failure(let refusal):
                return .failure(refusal)
            }
        }
        let inboundSPI = makeChildSPI()
        let nonces: (initiator: [UInt8], responder: [UInt8])
        var answerNonce: [IKEPayload] = []
        switch request.keying {
        case .ikeAuth:
            nonces = (keys.initiatorNonce, keys.responderNonce)
        case .createChildSA(let initiatorNonce, _):
            nonces = (initiatorNonce, random.bytes(Self.nonceLength))
            answerNonce = [.nonce(NoncePayload(data: nonces.responder))]
        }
        guard let child = installChildSA(
            sa, config: config, chosen: chosen, inboundSPI: inboundSPI, outboundSPI: UInt32(bytes: chosen.spi),
            localSelectors: localSelectors, remoteSelectors: remoteSelectors, sharedSecrets: sharedSecrets,
            initiatorNonce: nonces.initiator, responderNonce: nonces.responder, isExchangeInitiator: false)
        else {
            return .failure(IKERefusal(.noProposalChosen, "could not derive the keys of Child SA '\(config.name)'"))
        }
        var answer: [IKEPayload] = [
            .securityAssociation(SecurityAssociationPayload(proposals: [
                Proposal(number: chosen.number, protocolID: .esp, spi: inboundSPI.bytes, transforms: chosen.transforms)
            ]))
        ]
        answer += answerNonce + answerKE
        answer += [
            .trafficSelectorInitiator(TrafficSelectorPayload(selectors: remoteSelectors)),
            .trafficSelectorResponder(TrafficSelectorPayload(selectors: localSelectors)),
        ]
        // RFC 7296 §1.3.1: "If the request is accepted, the response MUST also include a
        // notification of type USE_TRANSPORT_MODE."
        if request.wantsTransportMode, config.mode == .transport {
            answer.append(.notify(NotifyPayload(type: .useTransportMode)))
        }
        let responderNonce: [UInt8]? = if case .createChildSA = request.keying { nonces.responder } else { nil }
        return .success(NegotiatedChildSA(child: child, answer: answer, responderNonce: responderNonce))
    }

    /// Our KE for the peer's `ke` with the chosen group `method`, and the shared secret;
    /// RFC 7296 §1.3: a KE for another group is refused with INVALID_KE_PAYLOAD naming
    /// the group, a bad public value with INVALID_SYNTAX, a group the provider lacks with
    /// NO_PROPOSAL_CHOSEN.
    mutating func respondToKeyExchange(
        _ ke: KeyExchangePayload?, method: KeyExchangeMethodID
    ) -> Result<(SecretBytes, IKEPayload), IKERefusal> {
        guard let ke, ke.method == method else {
            return .failure(.keyExchangeGroupMismatch(
                wanted: method, "KE is for \(ke.map { "\($0.method)" } ?? "no group"), the chosen proposal's is \(method)"))
        }
        do {
            let answer = try configuration.provider.keyExchangeMethod(method).respond(to: ke.data, using: &random)
            return .success((answer.sharedSecret, .keyExchange(KeyExchangePayload(method: method, data: answer.publicValue))))
        } catch {
            return .failure(.keyExchangeFailed(error, "KE of group \(method)"))
        }
    }

    /// Reports a refused negotiation for the operator, and returns the refusal.
    private mutating func refused(_ sa: IKESA, _ refusal: IKERefusal) -> IKERefusal {
        events.append(.negotiationRefused(remote: sa.remote, reason: refusal))
        return refusal
    }
}
