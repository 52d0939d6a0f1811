/// The lifetimes of an IKE SA as swanctl.conf configures them
/// (`connections.<conn>.rekey_time`, `reauth_time`, `over_time`, `rand_time`), with
/// strongSwan's defaults resolved in one place.
///
/// - `rekey_time` (default 4 h, `0` = never): when the IKE SA is rekeyed with a
///   CREATE_CHILD_SA exchange (RFC 7296 §2.18); credentials are not checked again.
/// - `reauth_time` (default `0` = never): when the IKE SA is replaced by a fresh
///   IKE_SA_INIT/IKE_AUTH, checking the credentials again (RFC 7296 §2.8, RFC 4478).
/// - `over_time` (default 10 % of the longer of `rekey_time` and `reauth_time`): the hard
///   limit after the rekey or reauthentication point. An IKE SA still alive then (its
///   rekey kept failing, or the peer never reauthenticated) is closed as expired.
/// - `rand_time` (default `over_time`, but at most half of the shorter enabled one of
///   `rekey_time` and `reauth_time`): the rekey and reauthentication happen at
///   `time - random(0 ... rand_time)`, so two peers with the same settings rarely
///   collide.
public struct IKELifetime: Hashable, Sendable {
    /// strongSwan's `rekey_time` default for IKE SAs.
    public static let defaultRekeyTime: Duration = .seconds(4 * 3600)

    /// `.zero` never rekeys.
    public var rekeyTime: Duration
    /// `.zero` never reauthenticates.
    public var reauthTime: Duration
    public var overTime: Duration
    public var randTime: Duration

    /// `nil` takes strongSwan's default for that setting (see the type's documentation).
    public init(rekeyTime: Duration? = nil, reauthTime: Duration? = nil, overTime: Duration? = nil, randTime: Duration? = nil) {
        let rekey = max(rekeyTime ?? Self.defaultRekeyTime, .zero)
        let reauth = max(reauthTime ?? .zero, .zero)
        let over = max(overTime ?? max(rekey, reauth) / 10, .zero)
        self.rekeyTime = rekey
        self.reauthTime = reauth
        self.overTime = over
        if let randTime {
            self.randTime = max(randTime, .zero)
        } else {
            // strongSwan: "default rand_time to over_time if not given, but don't make it
            // longer than half of rekey/reauth time".
            let shorter = rekey > .zero && reauth > .zero ? min(rekey, reauth) : max(rekey, reauth)
            self.randTime = min(over, shorter / 2)
        }
    }

    /// How long after establishment the IKE SA is rekeyed: `rekey_time` minus a uniform
    /// random part of `rand_time` (capped at half of `rekey_time`); `nil` when rekeying is
    /// off. Draws from `random` only when there is jitter to draw.
    public func rekeyAfter(random: inout some RandomNumberGenerator) -> Duration? {
        Self.jittered(rekeyTime, by: randTime, random: &random)
    }

    /// How long after establishment the IKE SA is reauthenticated, like
    /// ``rekeyAfter(random:)``; `nil` when reauthentication is off.
    public func reauthAfter(random: inout some RandomNumberGenerator) -> Duration? {
        Self.jittered(reauthTime, by: randTime, random: &random)
    }

    /// The hard expiry after establishment: `over_time` after the earlier of the
    /// scheduled rekey and reauthentication points; `nil` when neither is scheduled
    /// (strongSwan sets no hard limit then either).
    public func hardExpiry(rekeyAfter: Duration?, reauthAfter: Duration?) -> Duration? {
        guard let first = [rekeyAfter, reauthAfter].compactMap({ $0 }).min() else { return nil }
        return first + overTime
    }

    /// `time - random(0 ... jitter)`, the jitter capped at half of `time`; `nil` for a
    /// zero `time`.
    static func jittered(_ time: Duration, by jitter: Duration, random: inout some RandomNumberGenerator) -> Duration? {
        guard time > .zero else { return nil }
        let bound = min(jitter, time / 2).lifetimeNanoseconds
        guard bound > 0 else { return time }
        return time - .nanoseconds(Int64.random(in: 0...bound, using: &random))
    }
}

extension Duration {
    /// Whole nanoseconds, saturating.
    var lifetimeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
