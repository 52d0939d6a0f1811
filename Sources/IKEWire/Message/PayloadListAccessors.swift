/// Typed access to the payloads of a message (RFC 7296 §3.2): the first payload of each
/// kind, the Notify payloads, the certificates.
///
/// The message rules (``IKEMessageRules``) say how many of each kind an exchange allows;
/// these accessors only find them, so a message that carries two SA payloads where one
/// is allowed is refused by the rules before anything reads it.
extension Array where Element == IKEPayload {
    /// The first Security Association payload (RFC 7296 §3.3).
    public var securityAssociation: SecurityAssociationPayload? {
        for case .securityAssociation(let payload) in self { return payload }
        return nil
    }

    /// The proposals of every Security Association payload, in order.
    public var proposals: [Proposal] {
        var proposals: [Proposal] = []
        for case .securityAssociation(let payload) in self { proposals += payload.proposals }
        return proposals
    }

    /// The first Key Exchange payload (RFC 7296 §3.4).
    public var keyExchange: KeyExchangePayload? {
        for case .keyExchange(let payload) in self { return payload }
        return nil
    }

    /// The first Nonce payload (RFC 7296 §3.9).
    public var nonce: NoncePayload? {
        for case .nonce(let payload) in self { return payload }
        return nil
    }

    /// The first Identification payload of the initiator, IDi (RFC 7296 §3.5).
    public var identificationInitiator: IdentificationPayload? {
        for case .identificationInitiator(let payload) in self { return payload }
        return nil
    }

    /// The first Identification payload of the responder, IDr (RFC 7296 §3.5).
    public var identificationResponder: IdentificationPayload? {
        for case .identificationResponder(let payload) in self { return payload }
        return nil
    }

    /// The first Authentication payload (RFC 7296 §3.8).
    public var authentication: AuthenticationPayload? {
        for case .authentication(let payload) in self { return payload }
        return nil
    }

    /// The first EAP payload (RFC 7296 §3.16).
    public var extensibleAuthentication: EAPPayload? {
        for case .extensibleAuthentication(let payload) in self { return payload }
        return nil
    }

    /// The first Traffic Selector payload of the initiator, TSi (RFC 7296 §3.13).
    public var trafficSelectorInitiator: TrafficSelectorPayload? {
        for case .trafficSelectorInitiator(let payload) in self { return payload }
        return nil
    }

    /// The first Traffic Selector payload of the responder, TSr (RFC 7296 §3.13).
    public var trafficSelectorResponder: TrafficSelectorPayload? {
        for case .trafficSelectorResponder(let payload) in self { return payload }
        return nil
    }

    /// The Notify payloads (RFC 7296 §3.10), in order.
    public var notifications: [NotifyPayload] {
        compactMap { if case .notify(let notify) = $0 { notify } else { nil } }
    }

    /// The first Notify payload of `type`.
    public func notification(_ type: NotifyMessageType) -> NotifyPayload? {
        for case .notify(let notify) in self where notify.type == type { return notify }
        return nil
    }

    /// Whether a Notify payload of `type` is present.
    public func hasNotification(_ type: NotifyMessageType) -> Bool { notification(type) != nil }

    /// The first error notification (RFC 7296 §3.10.1: types below 16384).
    public var errorNotification: NotifyPayload? {
        for case .notify(let notify) in self where notify.type.isError { return notify }
        return nil
    }

    /// The Certificate payloads (RFC 7296 §3.6), in order: the first holds the key that
    /// signs AUTH.
    public var certificates: [CertificatePayload] {
        compactMap { if case .certificate(let certificate) = $0 { certificate } else { nil } }
    }

    /// The Delete payloads (RFC 7296 §3.11), in order.
    public var deletes: [DeletePayload] {
        compactMap { if case .delete(let delete) = $0 { delete } else { nil } }
    }
}
