import NIOCore

/// At most `perSecond` events a second, counting the ones it refuses so that the next
/// event it lets through can say how many were left out.
struct RateLimit: Sendable {
    let perSecond: Int
    private var second: UInt64 = 0
    private var count = 0
    private var refused = 0

    init(perSecond: Int) { self.perSecond = perSecond }

    /// The monotonic clock in whole seconds.
    static var currentSecond: UInt64 { NIODeadline.now().uptimeNanoseconds / 1_000_000_000 }

    /// Whether an event in second `now` may go: `nil` when not, otherwise how many were
    /// refused since the last one that went.
    mutating func admit(atSecond now: UInt64) -> Int? {
        if now != second {
            second = now
            count = 0
        }
        count += 1
        guard count <= perSecond else {
            refused += 1
            return nil
        }
        defer { refused = 0 }
        return refused
    }

    /// Whether an event may go now.
    mutating func allow() -> Bool { admit(atSecond: Self.currentSecond) != nil }
}
