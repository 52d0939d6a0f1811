/// What a Child SA has carried and dropped since it was installed, as its installer
/// counts it: for status, metrics and the byte and packet lifetimes.
public struct ChildSATraffic: Hashable, Sendable {
    public var packetsIn: UInt64 = 0
    public var bytesIn: UInt64 = 0
    public var packetsOut: UInt64 = 0
    public var bytesOut: UInt64 = 0
    public var replayDrops: UInt64 = 0
    public var integrityDrops: UInt64 = 0
    public var malformedDrops: UInt64 = 0
    public var selectorDrops: UInt64 = 0

    public init(
        packetsIn: UInt64 = 0, bytesIn: UInt64 = 0, packetsOut: UInt64 = 0, bytesOut: UInt64 = 0, replayDrops: UInt64 = 0,
        integrityDrops: UInt64 = 0, malformedDrops: UInt64 = 0, selectorDrops: UInt64 = 0
    ) {
        self.packetsIn = packetsIn
        self.bytesIn = bytesIn
        self.packetsOut = packetsOut
        self.bytesOut = bytesOut
        self.replayDrops = replayDrops
        self.integrityDrops = integrityDrops
        self.malformedDrops = malformedDrops
        self.selectorDrops = selectorDrops
    }

    public var drops: UInt64 { replayDrops + integrityDrops + malformedDrops + selectorDrops }

    /// Adds another SA's counts (for totals).
    public static func += (total: inout ChildSATraffic, other: ChildSATraffic) {
        total.packetsIn += other.packetsIn
        total.bytesIn += other.bytesIn
        total.packetsOut += other.packetsOut
        total.bytesOut += other.bytesOut
        total.replayDrops += other.replayDrops
        total.integrityDrops += other.integrityDrops
        total.malformedDrops += other.malformedDrops
        total.selectorDrops += other.selectorDrops
    }
}
