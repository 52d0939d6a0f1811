/// The lifetime timers of one established IKE SA (``IKELifetime`` applied at the moment
/// it was established), in the engine's time.
struct IKESALifetimeState: Sendable {
    /// When to rekey (RFC 7296 §2.18); after a rekey starts, when to try again if the SA
    /// is still not replaced.
    var rekeyAt: IKEInstant?
    /// When to reauthenticate (original initiator only; see `handleLifetimes`).
    var reauthAt: IKEInstant?
    /// The hard limit: the SA is closed as ``IKECloseReason/Code/expired`` if still alive.
    var expiresAt: IKEInstant?

    var nextDeadline: IKEInstant? { [rekeyAt, reauthAt, expiresAt].compactMap { $0 }.min() }
}
