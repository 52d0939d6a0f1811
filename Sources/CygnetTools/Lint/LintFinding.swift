import IKEConfig

/// One thing `cygnet lint` reports.
public struct LintFinding: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable, Comparable {
        /// The configuration cannot be used.
        case error
        /// A weak or risky choice that works.
        case warning
        /// Worth knowing, not wrong.
        case note

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
        private var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .note: 2
            }
        }
    }

    public var severity: Severity
    /// The kind of finding, for rules that name one.
    public var code: LintCode?
    public var location: SourceLocation?
    public var message: String
    /// What to do about it.
    public var hint: String?
    /// Why it matters, with the RFC that says so.
    public var reason: String?

    public init(
        _ severity: Severity, _ code: LintCode? = nil, at location: SourceLocation?, _ message: String, hint: String? = nil,
        reason: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.location = location
        self.message = message
        self.hint = hint
        self.reason = reason
    }

    public init(_ error: ConfigurationError) {
        self.init(.error, at: error.location, error.message, hint: error.hint)
    }

    /// `FILE:LINE:COLUMN: severity: message`, then `  reason:` and `  hint:` lines.
    public var description: String {
        var text = "\(location.map { "\($0): " } ?? "")\(severity.rawValue): \(message)"
        if let reason { text += "\n  reason: \(reason)" }
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}
