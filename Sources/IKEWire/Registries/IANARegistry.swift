/// A value from an IANA registry, kept open: unknown values survive a round trip and
/// print as their number.
///
/// Conforming types are small structs with named `static let` constants
/// (`ExchangeType.ikeSAInit`) and a table of IANA names used by `description`.
public protocol IANARegistry: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
where RawValue: FixedWidthInteger & Sendable {
    init(rawValue: RawValue)
    /// The IANA names of the assigned values.
    static var names: [RawValue: String] { get }
}

extension IANARegistry {
    public init(integerLiteral value: RawValue) { self.init(rawValue: value) }

    /// The IANA name of this value, or `nil` when it is not assigned (or not known to Cygnet).
    public var name: String? { Self.names[rawValue] }

    /// The IANA name, or the number when the value is not known.
    public var description: String { name ?? "\(rawValue)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
