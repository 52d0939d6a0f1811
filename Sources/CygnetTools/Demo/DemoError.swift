/// Why `cygnet demo` stopped: which step failed and how.
///
/// Equality compares ``code`` only; the text is for the operator and never holds key
/// material.
public struct DemoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, extensible failure kind.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// An option is not usable: a `--ike` or `--esp` proposal that does not parse, a
        /// packet count out of range.
        public static let invalidArgument = Code(rawValue: 1)
        /// A loopback UDP socket could not be bound or used.
        public static let socket = Code(rawValue: 2)
        /// A step did not complete within its time limit.
        public static let timeout = Code(rawValue: 3)
        /// An engine refused a command.
        public static let commandRefused = Code(rawValue: 4)
        /// An IKE SA closed, or a negotiation was refused, where the step expects none.
        public static let negotiationFailed = Code(rawValue: 5)
        /// An ESP packet could not be sealed, was dropped unexpectedly, or its content did
        /// not verify.
        public static let espFailure = Code(rawValue: 6)
        /// The SAs the engines report are not what the step produced.
        public static let unexpectedState = Code(rawValue: 7)

        public var description: String {
            switch self {
            case .invalidArgument: "invalid argument"
            case .socket: "socket error"
            case .timeout: "timeout"
            case .commandRefused: "command refused"
            case .negotiationFailed: "negotiation failed"
            case .espFailure: "ESP failure"
            case .unexpectedState: "unexpected state"
            default: "error \(rawValue)"
            }
        }
    }

    /// What kind of failure; compared by `==`.
    public var code: Code
    /// The step that failed, in the words the demo prints ("IKE_SA_INIT and IKE_AUTH").
    public var step: String
    private var detail: String

    /// - Parameters:
    ///   - detail: what happened, for the operator (never key material).
    public init(_ code: Code, step: String, _ detail: String) {
        self.code = code
        self.step = step
        self.detail = detail
    }

    public var description: String { "\(step): \(code): \(detail)" }

    public static func == (lhs: DemoError, rhs: DemoError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
