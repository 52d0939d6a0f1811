import IKEConfig
import IKEWire

/// The proposals an initiator offers (RFC 7296 §3.3), and the key exchange method its KE
/// payload uses: none in IKE_AUTH, the configured or negotiated group in CREATE_CHILD_SA,
/// first in every proposal that lists it, as strongSwan orders them.
enum ProposalOffer {
    /// The wire proposals of `templates`, numbered from 1 in order.
    static func proposals(
        _ templates: [ProposalTemplate], protocolID: SecurityProtocolID, spi: [UInt8]
    ) -> [Proposal] {
        templates.enumerated().map { index, template in
            template.proposal(number: UInt8(clamping: index + 1), protocolID: protocolID, spi: spi)
        }
    }

    /// `templates` without key exchange methods, duplicates dropped, for the Child SA of
    /// IKE_AUTH. RFC 7296 §1.2: "the SA payloads in the IKE_AUTH exchange cannot contain
    /// Transform Type 4 (Diffie-Hellman group) with any value other than NONE.
    /// Implementations SHOULD omit the whole transform substructure instead of sending
    /// value NONE."
    static func withoutKeyExchange(_ templates: [ProposalTemplate]) -> [ProposalTemplate] {
        replacingKeyExchange(templates, with: [])
    }

    /// `templates` with `methods` as their key exchange methods, duplicates dropped.
    static func replacingKeyExchange(_ templates: [ProposalTemplate], with methods: [KeyExchangeMethodID]) -> [ProposalTemplate] {
        var result: [ProposalTemplate] = []
        for var template in templates {
            template.keyExchangeMethods = methods
            if !result.contains(template) { result.append(template) }
        }
        return result
    }

    /// `templates` for a request whose KE payload is for `method`: the method moved to
    /// the front of every template that lists it, and the templates without it after
    /// the others, so the responder's choice matches the KE payload where it can (RFC
    /// 7296 §1.3: a choice with another group costs an INVALID_KE_PAYLOAD round).
    static func preferring(_ method: KeyExchangeMethodID?, in templates: [ProposalTemplate]) -> [ProposalTemplate] {
        guard let method else { return templates }
        var listing: [ProposalTemplate] = []
        var others: [ProposalTemplate] = []
        for var template in templates {
            if let index = template.keyExchangeMethods.firstIndex(of: method) {
                template.keyExchangeMethods.remove(at: index)
                template.keyExchangeMethods.insert(method, at: 0)
                listing.append(template)
            } else {
                others.append(template)
            }
        }
        return listing + others
    }

    /// The first key exchange method of `templates`, in order: the configured group.
    static func configuredKeyExchangeMethod(_ templates: [ProposalTemplate]) -> KeyExchangeMethodID? {
        templates.lazy.flatMap(\.keyExchangeMethods).first { $0 != .none }
    }

    /// Whether one of `templates` lists `method`.
    static func allows(_ method: KeyExchangeMethodID, in templates: [ProposalTemplate]) -> Bool {
        templates.contains { $0.keyExchangeMethods.contains(method) }
    }

    /// The key exchange method of a negotiated proposal's transforms, if any (not NONE).
    static func keyExchangeMethod(of transforms: [Transform]) -> KeyExchangeMethodID? {
        transforms.first { $0.type == .keyExchangeMethod && $0.id != KeyExchangeMethodID.none.rawValue }
            .map { KeyExchangeMethodID(rawValue: $0.id) }
    }

    /// The group of a rekey's KE payload: the one negotiated for the SA being replaced
    /// when it had one and our proposals still allow it, else the configured one (RFC
    /// 7296 §1.3.3, §2.18; strongSwan reuses the previous group likewise).
    static func rekeyKeyExchangeMethod(negotiated: [Transform], templates: [ProposalTemplate]) -> KeyExchangeMethodID? {
        if let previous = keyExchangeMethod(of: negotiated), allows(previous, in: templates) { return previous }
        return configuredKeyExchangeMethod(templates)
    }

    /// The group an INVALID_KE_PAYLOAD notification asks for (its two octets of data, in
    /// network order, RFC 7296 §1.3), when it is one `offered` allows and not `sent`;
    /// `nil` otherwise.
    static func retryGroup(
        _ notify: NotifyPayload, sent: KeyExchangeMethodID?, offered: [Proposal]
    ) -> KeyExchangeMethodID? {
        guard notify.type == .invalidKEPayload, notify.data.count == 2 else { return nil }
        let wanted = KeyExchangeMethodID(rawValue: UInt16(notify.data[0]) << 8 | UInt16(notify.data[1]))
        guard wanted != .none, wanted != sent, offered.contains(where: { $0.transforms.contains(Transform(wanted)) })
        else { return nil }
        return wanted
    }
}
