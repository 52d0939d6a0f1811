import IKEWire

/// Why a Child SA we asked for, in IKE_AUTH or CREATE_CHILD_SA, was not installed; the IKE
/// SA stands (RFC 7296 §1.2, §1.3). Equality compares ``code``.
public struct IKEChildSAFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// One cause. The values are stable: they name metric labels.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// The peer answered with an error notification (``IKEChildSAFailure/peerNotify``).
        public static let refusedByPeer = Code(rawValue: 1)
        /// The answer's traffic selectors are not within what we proposed (for a rekey:
        /// the old SA's). RFC 7296 §2.9: the responder may only narrow them.
        public static let trafficSelectorsWidened = Code(rawValue: 2)
        /// The answer is not one we can take: a proposal we did not offer, a missing SA,
        /// TSi, TSr or Nonce, a missing or unusable KE.
        public static let responseMismatch = Code(rawValue: 3)
        /// INVALID_KE_PAYLOAD named a group none of our proposals allows, or came again
        /// after our retry with the group it named (RFC 7296 §1.3).
        public static let keyExchangeGroupRefused = Code(rawValue: 4)
        /// We could not derive the keys.
        public static let localFailure = Code(rawValue: 5)

        /// A stable snake_case name, for logs and metric labels.
        public var name: String {
            switch self {
            case .refusedByPeer: "refused_by_peer"
            case .trafficSelectorsWidened: "traffic_selectors_widened"
            case .responseMismatch: "response_mismatch"
            case .keyExchangeGroupRefused: "key_exchange_group_refused"
            case .localFailure: "local_failure"
            default: "code_\(rawValue)"
            }
        }

        public var description: String { name }
    }

    public var code: Code
    /// The error notification of ``Code-swift.struct/refusedByPeer`` and
    /// ``Code-swift.struct/keyExchangeGroupRefused``.
    public var peerNotify: NotifyMessageType?
    /// An operator-facing sentence: what was refused and what to check.
    public var text: String

    public init(_ code: Code, _ text: String, peerNotify: NotifyMessageType? = nil) {
        self.code = code
        self.text = text
        self.peerNotify = peerNotify
    }

    public var description: String { "\(code.name): \(text)" }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
