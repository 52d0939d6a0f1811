/// The byte and packet lifetimes of one direction of an SA (RFC 4301 §4.4.2.1): counts
/// what the SA carried and says, once each, when a soft and when a hard limit is reached.
///
/// RFC 4301 §4.4.2.1 (b): "There SHOULD be two kinds of lifetime -- a soft lifetime that
/// warns the implementation to initiate action such as setting up a replacement SA, and
/// a hard lifetime when the current SA ends and is destroyed." The soft limit is the cue
/// to rekey (strongSwan's `rekey_bytes`, `rekey_packets`); the hard one (`life_bytes`,
/// `life_packets`) ends the SA: ``isHardExpired`` stays set, and an
/// ``ESPSecurityAssociation`` whose counter is hard-expired refuses to seal or open with
/// ``ESPError/Code/lifetimeExpired``.
///
/// What a byte is, is the caller's choice; ``ESPSecurityAssociation`` counts what
/// §4.4.2.1 (a) says: "the number of bytes to which the IPsec cryptographic algorithm is
/// applied ... This includes pad bytes" (payload, padding, Pad Length and Next Header).
/// A limit is reached when the count is at or past it; the packet that reaches a hard
/// limit is the last one counted before the SA ends.
public struct ESPLifetimeCounter: Hashable, Sendable {
    /// Soft and hard limits; `nil` is no limit.
    public struct Limits: Hashable, Sendable {
        public var softBytes: UInt64?
        public var hardBytes: UInt64?
        public var softPackets: UInt64?
        public var hardPackets: UInt64?

        /// No limit at all.
        public static let unlimited = Limits()

        public init(
            softBytes: UInt64? = nil, hardBytes: UInt64? = nil, softPackets: UInt64? = nil, hardPackets: UInt64? = nil
        ) {
            self.softBytes = softBytes
            self.hardBytes = hardBytes
            self.softPackets = softPackets
            self.hardPackets = hardPackets
        }
    }

    /// Which limits one ``record(bytes:)`` reached for the first time: empty almost always,
    /// ``soft`` once, ``hard`` once (both together when one packet reaches both).
    public struct Crossing: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// A soft limit was reached: rekey now.
        public static let soft = Crossing(rawValue: 1)
        /// A hard limit was reached: the SA must not be used any more.
        public static let hard = Crossing(rawValue: 2)
    }

    public let limits: Limits
    /// Payload bytes counted so far.
    public private(set) var bytes: UInt64 = 0
    /// Packets counted so far.
    public private(set) var packets: UInt64 = 0
    /// Whether a soft limit has been reached (reported once by ``record(bytes:)``).
    public private(set) var isSoftExpired = false
    /// Whether a hard limit has been reached: the SA must be deleted and not used again.
    public private(set) var isHardExpired = false

    /// The smallest count that reaches a soft or hard limit, kept so the common case is
    /// two comparisons.
    private var nextBytes: UInt64
    private var nextPackets: UInt64

    /// A counter at zero with these limits. A soft limit at or above its hard limit never
    /// fires on its own: the hard crossing reports both.
    public init(limits: Limits = .unlimited) {
        self.limits = limits
        nextBytes = min(limits.softBytes ?? .max, limits.hardBytes ?? .max)
        nextPackets = min(limits.softPackets ?? .max, limits.hardPackets ?? .max)
        // Limits of zero are reached before anything is carried.
        if limits.softBytes == 0 || limits.softPackets == 0 { isSoftExpired = true }
        if limits.hardBytes == 0 || limits.hardPackets == 0 {
            isSoftExpired = true
            isHardExpired = true
        }
    }

    /// Counts one packet of `bytes` payload bytes and returns the limits it reached for
    /// the first time.
    @inline(__always)
    public mutating func record(bytes count: Int) -> Crossing {
        bytes &+= UInt64(truncatingIfNeeded: max(0, count))
        packets &+= 1
        guard bytes >= nextBytes || packets >= nextPackets else { return [] }
        return evaluate()
    }

    private mutating func evaluate() -> Crossing {
        var crossing: Crossing = []
        func reached(_ limit: UInt64?, _ value: UInt64) -> Bool { limit.map { value >= $0 } ?? false }
        let hard = reached(limits.hardBytes, bytes) || reached(limits.hardPackets, packets)
        let soft = hard || reached(limits.softBytes, bytes) || reached(limits.softPackets, packets)
        if soft, !isSoftExpired {
            isSoftExpired = true
            crossing.insert(.soft)
        }
        if hard, !isHardExpired {
            isHardExpired = true
            crossing.insert(.hard)
        }
        // Only the hard limits are left to watch (or nothing once expired).
        nextBytes = isHardExpired ? .max : (limits.hardBytes ?? .max)
        nextPackets = isHardExpired ? .max : (limits.hardPackets ?? .max)
        return crossing
    }
}
