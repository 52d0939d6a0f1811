/// One problem found in a configuration: where, what, and how to fix it.
///
/// Following the project's error convention, equality compares only the ``code``; the
/// message and hint are diagnostics for people.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem this is (an open set of numbered codes).
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// The text is not in the settings syntax (unbalanced braces, a stray quote, ...).
        public static let syntax = Code(rawValue: 1)
        /// An `include` could not be read.
        public static let include = Code(rawValue: 2)
        /// A key or section nobody knows.
        public static let unknownKey = Code(rawValue: 3)
        /// A key or section strongSwan knows but Cygnet does not implement yet.
        public static let unsupported = Code(rawValue: 4)
        /// A value that is not what the key accepts.
        public static let invalidValue = Code(rawValue: 5)
        /// Something required is missing.
        public static let missing = Code(rawValue: 6)
        /// Settings that do not fit together (a PSK connection without a secret, ...).
        public static let inconsistent = Code(rawValue: 7)
        /// A file the configuration names does not exist or cannot be used.
        public static let file = Code(rawValue: 8)

        public var description: String {
            switch self {
            case .syntax: "syntax"
            case .include: "include"
            case .unknownKey: "unknown-key"
            case .unsupported: "unsupported"
            case .invalidValue: "invalid-value"
            case .missing: "missing"
            case .inconsistent: "inconsistent"
            case .file: "file"
            default: "code-\(rawValue)"
            }
        }
    }

    public var code: Code
    /// Where the problem is; `nil` only for problems with no place in a file (the main
    /// file cannot be read).
    public var location: SourceLocation?
    /// What is wrong, in words an operator can act on.
    public var message: String
    /// How to fix it, when there is something to suggest (the closest known key, ...).
    public var hint: String?

    public init(_ code: Code, at location: SourceLocation?, _ message: String, hint: String? = nil) {
        self.code = code
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// `FILE:LINE:COLUMN: error: message`, the hint on the next line.
    public var description: String {
        let head = "\(location.map { "\($0): " } ?? "")error: \(message)"
        guard let hint else { return head }
        return head + "\n  hint: \(hint)"
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
