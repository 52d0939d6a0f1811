/// When a frame was captured: seconds and nanoseconds since the Unix epoch.
public struct CaptureTimestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var seconds: UInt64
    /// Always below 1,000,000,000.
    public var nanoseconds: UInt32

    public init(seconds: UInt64, nanoseconds: UInt32) {
        self.seconds = seconds + UInt64(nanoseconds / 1_000_000_000)
        self.nanoseconds = nanoseconds % 1_000_000_000
    }

    /// A timestamp counted in units of `1/unitsPerSecond` seconds (pcapng `if_tsresol`).
    init(units: UInt64, unitsPerSecond: UInt64) {
        let perSecond = max(unitsPerSecond, 1)
        let fraction = units % perSecond
        let nanos: UInt64
        if perSecond <= 1_000_000_000 {
            nanos = fraction * (1_000_000_000 / perSecond)
        } else {
            nanos = fraction / (perSecond / 1_000_000_000)
        }
        self.init(seconds: units / perSecond, nanoseconds: UInt32(truncatingIfNeeded: nanos))
    }

    /// `seconds.nanoseconds`, with nine fractional digits.
    public var description: String {
        let fraction = String(nanoseconds)
        return "\(seconds)." + String(repeating: "0", count: max(0, 9 - fraction.count)) + fraction
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }
}
