/// The lifetimes of a Child SA as swanctl.conf configures them
/// (`connections.<conn>.children.<child>.rekey_time`, `life_time`, `rand_time`,
/// `rekey_bytes`, `life_bytes`, `rand_bytes`, `rekey_packets`, `life_packets`,
/// `rand_packets`), with strongSwan's defaults resolved in one place.
///
/// - `rekey_time` (default 1 h, `0` = never): the Child SA is rekeyed (RFC 7296 §1.3.3)
///   at `rekey_time - random(0 ... rand_time)` after it was installed.
/// - `life_time` (default `rekey_time` + 10 %): the hard limit; a Child SA still alive
///   then (its rekey kept failing) is deleted.
/// - `rand_time` (default `life_time - rekey_time`).
/// - `rekey_bytes`, `rekey_packets` (default `0` = off): volume limits, counted by the
///   data plane, at which the Child SA is rekeyed (each threshold lowered by a random part
///   of `rand_bytes`/`rand_packets`); `life_bytes`, `life_packets` (default the rekey
///   limit + 10 %) delete it; `rand_bytes`, `rand_packets` default to life − rekey.
///
/// A `0` rekey limit with a non-zero life limit only expires; both `0` is unlimited.
public struct ChildLifetime: Hashable, Sendable {
    /// strongSwan's `rekey_time` default for Child SAs.
    public static let defaultRekeyTime: Duration = .seconds(3600)

    public var rekeyTime: Duration
    public var lifeTime: Duration
    public var randTime: Duration
    public var rekeyBytes: UInt64
    public var lifeBytes: UInt64
    public var randBytes: UInt64
    public var rekeyPackets: UInt64
    public var lifePackets: UInt64
    public var randPackets: UInt64

    /// `nil` takes strongSwan's default for that setting (see the type's documentation).
    public init(
        rekeyTime: Duration? = nil, lifeTime: Duration? = nil, randTime: Duration? = nil, rekeyBytes: UInt64? = nil,
        lifeBytes: UInt64? = nil, randBytes: UInt64? = nil, rekeyPackets: UInt64? = nil, lifePackets: UInt64? = nil,
        randPackets: UInt64? = nil
    ) {
        // strongSwan's check_lifetimes(): "if no hard lifetime specified, add one at soft
        // lifetime + 10%"; "if no rand time defined, use difference of hard and soft".
        let rekey = max(rekeyTime ?? Self.defaultRekeyTime, .zero)
        let life = max(lifeTime ?? rekey * 11 / 10, .zero)
        self.rekeyTime = rekey
        self.lifeTime = life
        self.randTime = max(randTime ?? (life - min(life, rekey)), .zero)
        self.rekeyBytes = rekeyBytes ?? 0
        self.lifeBytes = lifeBytes ?? Self.tenPercentMore(self.rekeyBytes)
        self.randBytes = randBytes ?? (self.lifeBytes - min(self.lifeBytes, self.rekeyBytes))
        self.rekeyPackets = rekeyPackets ?? 0
        self.lifePackets = lifePackets ?? Self.tenPercentMore(self.rekeyPackets)
        self.randPackets = randPackets ?? (self.lifePackets - min(self.lifePackets, self.rekeyPackets))
    }

    /// How long after installation the Child SA is rekeyed; `nil` when `rekey_time` is 0.
    /// Draws from `random` only when there is jitter to draw.
    public func rekeyAfter(random: inout some RandomNumberGenerator) -> Duration? {
        IKELifetime.jittered(rekeyTime, by: randTime, random: &random)
    }

    /// How long after installation the Child SA is deleted; `nil` when `life_time` is 0.
    public var hardExpiry: Duration? { lifeTime > .zero ? lifeTime : nil }

    /// The byte count at which the Child SA is rekeyed, lowered by a random part of
    /// `rand_bytes` (capped at half); `nil` when off.
    public func rekeyBytesThreshold(random: inout some RandomNumberGenerator) -> UInt64? {
        Self.jittered(rekeyBytes, by: randBytes, random: &random)
    }

    /// The packet count at which the Child SA is rekeyed, like ``rekeyBytesThreshold(random:)``.
    public func rekeyPacketsThreshold(random: inout some RandomNumberGenerator) -> UInt64? {
        Self.jittered(rekeyPackets, by: randPackets, random: &random)
    }

    /// `value * 110 / 100` as strongSwan computes it, saturating.
    static func tenPercentMore(_ value: UInt64) -> UInt64 {
        let (sum, overflow) = value.addingReportingOverflow(value / 10)
        return overflow ? .max : sum
    }

    static func jittered(_ limit: UInt64, by jitter: UInt64, random: inout some RandomNumberGenerator) -> UInt64? {
        guard limit > 0 else { return nil }
        let bound = min(jitter, limit / 2)
        guard bound > 0 else { return limit }
        return limit - UInt64.random(in: 0...bound, using: &random)
    }
}
