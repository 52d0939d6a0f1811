import NIOCore

/// Which payloads a message of one exchange and direction may carry, how many times, and
/// whether inside the Encrypted payload: RFC 7296 §1.2–§1.5 (and RFC 9242, RFC 9370 for
/// IKE_INTERMEDIATE and IKE_FOLLOWUP_KE) as data, checked once before the engine
/// interprets a message.
///
/// Payloads of unknown, non-critical types pass (RFC 7296 §2.5 says to ignore them).
public struct IKEMessageRules: Hashable, Sendable {
    public var exchangeType: ExchangeType
    public var isResponse: Bool
    /// Whether the message's payloads travel inside SK (every exchange but IKE_SA_INIT).
    public var isEncrypted: Bool
    public var rules: [PayloadRule]
    /// Notify types that, besides any error notify, waive the minimums: a responder
    /// answering IKE_SA_INIT with only `COOKIE` (RFC 7296 §2.6).
    public var waivingNotifies: Set<NotifyMessageType>

    public init(
        exchangeType: ExchangeType, isResponse: Bool, isEncrypted: Bool, rules: [PayloadRule],
        waivingNotifies: Set<NotifyMessageType> = []
    ) {
        self.exchangeType = exchangeType
        self.isResponse = isResponse
        self.isEncrypted = isEncrypted
        self.rules = rules
        self.waivingNotifies = waivingNotifies
    }

    /// The rules for an exchange and direction, or `nil` for an exchange Cygnet does not
    /// know.
    public static func rules(for exchange: ExchangeType, isResponse: Bool) -> IKEMessageRules? {
        table[Key(exchange: exchange, isResponse: isResponse)]
    }

    /// The IKE_AUTH rounds after the first when EAP authenticates the initiator (RFC 7296
    /// §2.16), narrower than ``rules(for:isResponse:)``, which covers every round:
    ///
    /// ```
    /// HDR, SK {EAP}                  -->
    ///                                <--  HDR, SK {EAP}
    /// HDR, SK {AUTH}                 -->
    ///                                <--  HDR, SK {AUTH, [CP,] SAr2, TSi, TSr}
    /// ```
    public static func ikeAuth(_ round: IKEAuthRound, isResponse: Bool) -> IKEMessageRules {
        let many = Int.max
        let common: [(PayloadType, ClosedRange<Int>)] = [(.notify, 0...many), (.vendorID, 0...many)]
        let specific: [(PayloadType, ClosedRange<Int>)]
        switch (round, isResponse) {
        case (.eap, _): specific = [(.extensibleAuthentication, 1...1)]
        case (.finalAuthentication, false): specific = [(.authentication, 1...1)]
        case (.finalAuthentication, true):
            specific = [
                (.authentication, 1...1), (.securityAssociation, 0...1), (.trafficSelectorInitiator, 0...1),
                (.trafficSelectorResponder, 0...1), (.configuration, 0...1),
            ]
        }
        return IKEMessageRules(
            exchangeType: .ikeAuth, isResponse: isResponse, isEncrypted: true,
            rules: (specific + common).map { PayloadRule($0.0, $0.1, .encrypted) })
    }

    /// A message that reports an error need not carry the payloads a successful one must:
    /// RFC 7296 §2.21 lets a response consist of the error Notify alone.
    public func isWaivingMinimums(_ payloads: [IKEPayload]) -> Bool {
        payloads.contains { payload in
            guard case .notify(let notify) = payload else { return false }
            return notify.type.isError || waivingNotifies.contains(notify.type)
        }
    }

    /// Checks the payloads directly after the header of `message`.
    ///
    /// For IKE_SA_INIT that is the whole rule set. For the encrypted exchanges, the
    /// message must hold exactly one SK or SKF payload; call
    /// ``check(decryptedPayloads:)`` on its contents after decryption.
    public func check(_ message: IKEMessage) throws(IKEWireError) {
        guard isEncrypted else {
            try check(message.payloads, location: .plain)
            return
        }
        // RFC 7296 §3.14: after IKE_SA_INIT every payload is inside SK; RFC 7383 §2.5:
        // a fragmented message carries one SKF payload instead.
        let known = message.payloads.filter { if case .unknown = $0 { false } else { true } }
        guard known.count == 1, let only = known.first,
            only.type == .encrypted || only.type == .encryptedFragment
        else {
            let offender = known.first { $0.type != .encrypted && $0.type != .encryptedFragment }
            throw IKEWireError(
                offender == nil ? .missingPayload : .payloadNotEncrypted, offset: IKEHeader.length,
                field: "Next Payload", payloadType: offender?.type ?? .encrypted,
                detail: "\(exchangeType) \(direction) must carry one SK or SKF payload and nothing else")
        }
    }

    /// Checks the payloads found inside SK (after decryption and, for SKF, reassembly).
    public func check(decryptedPayloads payloads: [IKEPayload]) throws(IKEWireError) {
        try check(payloads, location: .encrypted)
    }

    private func check(_ payloads: [IKEPayload], location: PayloadRule.Location) throws(IKEWireError) {
        var counts: [PayloadType: Int] = [:]
        for payload in payloads {
            if case .unknown = payload { continue }
            guard let rule = rules.first(where: { $0.type == payload.type }) else {
                throw IKEWireError(
                    .payloadNotAllowed, offset: 0, field: "Next Payload", payloadType: payload.type,
                    detail: "not allowed in \(exchangeType) \(direction)")
            }
            guard rule.location == location else {
                throw IKEWireError(
                    rule.location == .encrypted ? .payloadNotEncrypted : .payloadNotAllowed, offset: 0,
                    field: "Next Payload", payloadType: payload.type,
                    detail: "must be \(rule.location == .encrypted ? "inside" : "outside") SK in \(exchangeType)")
            }
            counts[payload.type, default: 0] += 1
            if counts[payload.type, default: 0] > rule.maximum {
                throw IKEWireError(
                    .tooManyPayloads, offset: 0, field: "Next Payload", payloadType: payload.type,
                    detail: "at most \(rule.maximum) in \(exchangeType) \(direction)")
            }
        }
        guard !isWaivingMinimums(payloads) else { return }
        for rule in rules where counts[rule.type, default: 0] < rule.minimum {
            throw IKEWireError(
                .missingPayload, offset: 0, field: "Next Payload", payloadType: rule.type,
                detail: "\(exchangeType) \(direction) requires \(rule.type)")
        }
    }

    private var direction: String { isResponse ? "response" : "request" }

    struct Key: Hashable {
        var exchange: ExchangeType
        var isResponse: Bool
    }

    /// The table. Ranges are occurrences; `many` is unbounded.
    static let table: [Key: IKEMessageRules] = {
        let many = Int.max
        func entry(
            _ exchange: ExchangeType, response: Bool, _ location: PayloadRule.Location,
            _ rules: [(PayloadType, ClosedRange<Int>)], waiving: Set<NotifyMessageType> = []
        ) -> (Key, IKEMessageRules) {
            (
                Key(exchange: exchange, isResponse: response),
                IKEMessageRules(
                    exchangeType: exchange, isResponse: response, isEncrypted: location == .encrypted,
                    rules: rules.map { PayloadRule($0.0, $0.1, location) }, waivingNotifies: waiving)
            )
        }
        let entries: [(Key, IKEMessageRules)] = [
            // RFC 7296 §1.2: HDR, SAi1, KEi, Ni  -->  <--  HDR, SAr1, KEr, Nr, [CERTREQ]
            entry(
                .ikeSAInit, response: false, .plain,
                [(.securityAssociation, 1...1), (.keyExchange, 1...1), (.nonce, 1...1),
                 (.notify, 0...many), (.vendorID, 0...many)]),
            entry(
                .ikeSAInit, response: true, .plain,
                [(.securityAssociation, 1...1), (.keyExchange, 1...1), (.nonce, 1...1),
                 (.certificateRequest, 0...many), (.notify, 0...many), (.vendorID, 0...many)],
                waiving: [.cookie]),
            // RFC 7296 §1.2, §2.16 (EAP rounds carry only EAP or AUTH), RFC 6023 (childless),
            // RFC 5998 (N(EAP_ONLY_AUTHENTICATION) among the notifies):
            // HDR, SK {IDi, [CERT,] [CERTREQ,] [IDr,] AUTH, SAi2, TSi, TSr}
            entry(
                .ikeAuth, response: false, .encrypted,
                [(.identificationInitiator, 0...1), (.certificate, 0...many), (.certificateRequest, 0...many),
                 (.identificationResponder, 0...1), (.authentication, 0...1), (.extensibleAuthentication, 0...1),
                 (.securityAssociation, 0...1), (.trafficSelectorInitiator, 0...1),
                 (.trafficSelectorResponder, 0...1), (.configuration, 0...1), (.notify, 0...many),
                 (.vendorID, 0...many)]),
            // HDR, SK {IDr, [CERT,] AUTH, SAr2, TSi, TSr}; with EAP-only authentication
            // (RFC 5998 §3) the first response is HDR, SK {IDr, EAP(Request)}: AUTH 0...1.
            entry(
                .ikeAuth, response: true, .encrypted,
                [(.identificationResponder, 0...1), (.certificate, 0...many), (.authentication, 0...1),
                 (.extensibleAuthentication, 0...1), (.securityAssociation, 0...1),
                 (.trafficSelectorInitiator, 0...1), (.trafficSelectorResponder, 0...1),
                 (.configuration, 0...1), (.notify, 0...many), (.vendorID, 0...many)]),
            // RFC 7296 §1.3: HDR, SK {[N], SA, Ni, [KEi], [TSi, TSr]}
            entry(
                .createChildSA, response: false, .encrypted,
                [(.securityAssociation, 1...1), (.nonce, 1...1), (.keyExchange, 0...1),
                 (.trafficSelectorInitiator, 0...1), (.trafficSelectorResponder, 0...1),
                 (.notify, 0...many), (.vendorID, 0...many)]),
            entry(
                .createChildSA, response: true, .encrypted,
                [(.securityAssociation, 1...1), (.nonce, 1...1), (.keyExchange, 0...1),
                 (.trafficSelectorInitiator, 0...1), (.trafficSelectorResponder, 0...1),
                 (.notify, 0...many), (.vendorID, 0...many)]),
            // RFC 7296 §1.4: HDR, SK {[N,] [D,] [CP,] ...}
            entry(
                .informational, response: false, .encrypted,
                [(.notify, 0...many), (.delete, 0...many), (.configuration, 0...1), (.vendorID, 0...many)]),
            entry(
                .informational, response: true, .encrypted,
                [(.notify, 0...many), (.delete, 0...many), (.configuration, 0...1), (.vendorID, 0...many)]),
            // RFC 9242 §3, RFC 9370 §2.2.1: HDR, SK {KEi(n)} / HDR, SK {KEr(n)}
            entry(
                .ikeIntermediate, response: false, .encrypted,
                [(.keyExchange, 0...1), (.notify, 0...many), (.vendorID, 0...many)]),
            entry(
                .ikeIntermediate, response: true, .encrypted,
                [(.keyExchange, 0...1), (.notify, 0...many), (.vendorID, 0...many)]),
            // RFC 9370 §2.2.4: HDR, SK {KEi(n), N(ADDITIONAL_KEY_EXCHANGE)(link)}
            entry(
                .ikeFollowupKE, response: false, .encrypted,
                [(.keyExchange, 1...1), (.notify, 1...many)]),
            entry(
                .ikeFollowupKE, response: true, .encrypted,
                [(.keyExchange, 1...1), (.notify, 0...many)]),
        ]
        return Dictionary(uniqueKeysWithValues: entries)
    }()
}

/// An IKE_AUTH round after the first when EAP authenticates the initiator (RFC 7296 §2.16).
public enum IKEAuthRound: Hashable, Sendable {
    /// One EAP message each way.
    case eap
    /// After EAP Success: the AUTH payloads computed from the EAP method's key, and the
    /// Child SA.
    case finalAuthentication
}
