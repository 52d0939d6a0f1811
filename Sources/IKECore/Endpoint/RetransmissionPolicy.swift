/// When requests are sent again (RFC 7296 §2.1, §2.4): after `timeout`, then after
/// `timeout × base^n`, giving up after `tries` retransmissions. The defaults are
/// strongSwan's (`retransmit_timeout = 4.0`, `retransmit_base = 1.8`,
/// `retransmit_tries = 5`): attempts at 0, 4, 11.2, 24.2, 47.5, 89.5 s, give-up at 165 s.
public struct RetransmissionPolicy: Hashable, Sendable {
    public var timeout: Duration
    public var base: Double
    public var tries: Int

    public init(timeout: Duration = .seconds(4), base: Double = 1.8, tries: Int = 5) {
        self.timeout = timeout
        self.base = base
        self.tries = tries
    }

    /// How long to wait for a response after sending attempt `attempt` (0 = first send).
    public func wait(afterAttempt attempt: Int) -> Duration {
        var factor = 1.0
        for _ in 0..<max(0, attempt) { factor *= base }
        return timeout * factor
    }
}
