/// The lifetime timers and volume limits of one Child SA (``ChildLifetime`` applied when
/// it was installed), in the engine's time and the data plane's counts.
struct ChildSALifetimeState: Sendable {
    /// When to rekey (RFC 7296 §1.3.3); after a rekey starts, when to try again if the
    /// SA is still not replaced.
    var rekeyAt: IKEInstant?
    /// `life_time`: the Child SA is deleted if still alive.
    var expiresAt: IKEInstant?
    /// Jittered `rekey_bytes`/`rekey_packets`, and `life_bytes`/`life_packets`; `nil` is off.
    var rekeyBytes: UInt64?
    var rekeyPackets: UInt64?
    var lifeBytes: UInt64?
    var lifePackets: UInt64?
    /// Whether a volume limit already asked for a rekey (later reports do not again;
    /// the time-based retry takes over).
    var hasVolumeRekeyStarted = false

    var nextDeadline: IKEInstant? { [rekeyAt, expiresAt].compactMap { $0 }.min() }
}
