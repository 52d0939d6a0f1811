/// A point in the engine's time, from a monotonic clock the host reads and passes in.
/// The engine never reads a clock itself (every input carries `now`).
public struct IKEInstant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since an arbitrary origin chosen by the host.
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static let zero = IKEInstant(nanoseconds: 0)

    public static func < (lhs: IKEInstant, rhs: IKEInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public static func + (lhs: IKEInstant, rhs: Duration) -> IKEInstant {
        let (seconds, attoseconds) = rhs.components
        return IKEInstant(nanoseconds: lhs.nanoseconds &+ seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000)
    }

    public static func - (lhs: IKEInstant, rhs: IKEInstant) -> Duration {
        .nanoseconds(lhs.nanoseconds &- rhs.nanoseconds)
    }

    public var description: String {
        let milliseconds = nanoseconds / 1_000_000
        return "\(milliseconds / 1000).\(String(milliseconds % 1000).leftPadded(to: 3))s"
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
