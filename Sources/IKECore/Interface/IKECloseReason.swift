/// Why an IKE SA closed: shown by `cygnet status`, logs and metrics.
public struct IKECloseReason: Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        public static let deletedLocally = Code(rawValue: 1)
        public static let deletedByPeer = Code(rawValue: 2)
        /// No answer after every retransmission.
        public static let peerUnreachable = Code(rawValue: 3)
        public static let noProposalChosen = Code(rawValue: 4)
        public static let authenticationFailed = Code(rawValue: 5)
        /// The peer answered with an error notify.
        public static let peerError = Code(rawValue: 6)
        /// A half-open SA was never completed.
        public static let halfOpenTimeout = Code(rawValue: 7)
        /// The peer broke the protocol (a response that does not fit, bad values).
        public static let protocolError = Code(rawValue: 8)
        /// The IKE SA was replaced by a rekeyed one.
        public static let rekeyed = Code(rawValue: 9)
        /// The hard lifetime (`over_time` after the rekey or reauthentication point)
        /// passed before a rekey or reauthentication replaced the SA.
        public static let expired = Code(rawValue: 10)
        /// Deleted by its original initiator to be replaced by a fresh IKE_SA_INIT and
        /// IKE_AUTH (`reauth_time`).
        public static let reauthenticated = Code(rawValue: 11)
        /// The host did not answer a signing or certificate validation request
        /// (``IKECompletion``) within ``IKEEngineConfiguration/completionTimeout``.
        public static let completionTimeout = Code(rawValue: 12)

        /// A stable snake_case name, for status output and metric labels.
        public var name: String {
            switch self {
            case .deletedLocally: "deleted_locally"
            case .deletedByPeer: "deleted_by_peer"
            case .peerUnreachable: "peer_unreachable"
            case .noProposalChosen: "no_proposal_chosen"
            case .authenticationFailed: "authentication_failed"
            case .peerError: "peer_error"
            case .halfOpenTimeout: "half_open_timeout"
            case .protocolError: "protocol_error"
            case .rekeyed: "rekeyed"
            case .expired: "expired"
            case .reauthenticated: "reauthenticated"
            case .completionTimeout: "completion_timeout"
            default: "code_\(rawValue)"
            }
        }
    }

    public var code: Code
    /// An operator-facing sentence: what happened and what to do.
    public var text: String

    public init(_ code: Code, _ text: String) {
        self.code = code
        self.text = text
    }

    public var description: String { text }

    public static func == (lhs: IKECloseReason, rhs: IKECloseReason) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
