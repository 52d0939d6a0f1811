/// How often one payload type may appear in a message, and where (RFC 7296 §1.2–§1.5).
public struct PayloadRule: Hashable, Sendable {
    /// Where a payload is carried.
    public enum Location: Hashable, Sendable {
        /// In the clear, directly after the IKE header (IKE_SA_INIT).
        case plain
        /// Inside the Encrypted (SK) payload, or the reassembled SKF fragments.
        case encrypted
    }

    public var type: PayloadType
    /// Fewest occurrences; waived when the message reports an error (see
    /// ``IKEMessageRules/isWaivingMinimums(_:)``).
    public var minimum: Int
    /// Most occurrences (`Int.max`: no limit).
    public var maximum: Int
    public var location: Location

    public init(_ type: PayloadType, _ occurrences: ClosedRange<Int>, _ location: Location) {
        self.type = type
        self.minimum = occurrences.lowerBound
        self.maximum = occurrences.upperBound
        self.location = location
    }
}
