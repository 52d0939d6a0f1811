/// Why a RADIUS exchange gave no answer. Whoever runs the EAP conversation turns every
/// one of these into AUTHENTICATION_FAILED for the IKE peer (RFC 7296 §2.16), never a hang.
public struct RADIUSError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// No server answered: every candidate was sent the request `retransmit_tries`
        /// times without a valid answer ("RADIUS server(s) unreachable").
        public static let serversUnreachable = Code(rawValue: 1)
        /// All 256 Identifiers of the chosen server are taken by outstanding requests.
        public static let tooManyOutstanding = Code(rawValue: 2)
        /// The request cannot be encoded (a User-Name past 253 octets, a packet past 4096).
        public static let invalidRequest = Code(rawValue: 3)
        /// An authentic answer that does not make sense: an Access-Challenge without
        /// EAP-Message (RFC 3579 §2.6.3).
        public static let invalidAnswer = Code(rawValue: 4)
        /// A conversation continues with a server that is no longer configured.
        public static let unknownServer = Code(rawValue: 5)
        /// The client's sockets could not be opened, or it was closed.
        public static let socketFailed = Code(rawValue: 6)

        public var name: String {
            switch self {
            case .serversUnreachable: "servers_unreachable"
            case .tooManyOutstanding: "too_many_outstanding"
            case .invalidRequest: "invalid_request"
            case .invalidAnswer: "invalid_answer"
            case .unknownServer: "unknown_server"
            case .socketFailed: "socket_failed"
            default: "code_\(rawValue)"
            }
        }

        public var description: String { name }
    }

    public var code: Code
    private var diagnostics: String

    public init(_ code: Code, _ diagnostics: String) {
        self.code = code
        self.diagnostics = diagnostics
    }

    /// An operator-facing sentence; it never holds a secret.
    public var description: String { diagnostics }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
