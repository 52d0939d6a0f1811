/// Why ``FragmentReassembly`` would not take a fragment. Equality compares ``code``.
public struct FragmentReassemblyError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// Fragment Number or Total Fragments out of range (malformed).
        public static let invalidNumbering = Code(rawValue: 1)
        /// Total Fragments above the configured maximum (a resource limit).
        public static let tooManyFragments = Code(rawValue: 2)
        /// The fragments add up to more than the configured maximum message size; the
        /// whole message was discarded (a resource limit).
        public static let messageTooLarge = Code(rawValue: 3)
        /// Total Fragments below that of the fragments kept: a fragment of an earlier
        /// transmission, made with a larger fragment size (RFC 7383 §2.6).
        public static let smallerTotal = Code(rawValue: 4)
        /// A fragment already kept: ignored.
        public static let duplicate = Code(rawValue: 5)
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { detail }

    public static func == (lhs: FragmentReassemblyError, rhs: FragmentReassemblyError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension FragmentReassemblyError {
    /// The drop this error causes.
    var dropCode: IKEDropReason.Code {
        switch code {
        case .invalidNumbering: .invalidFragment
        case .tooManyFragments: .tooManyFragments
        case .messageTooLarge: .messageTooLarge
        case .smallerTotal: .fragmentOfEarlierTransmission
        case .duplicate: .duplicateFragment
        default: .invalidFragment
        }
    }
}
