/// A share of the SPI space: the SPIs `spi % count == index`. A host with several
/// engines gives each its own, routes an IKE message to the engine whose shard holds the
/// local SPI it names, and an ESP packet likewise by its SPI.
public struct SPIShard: Hashable, Sendable {
    public var index: UInt64
    public var count: UInt64

    /// `count` is at least 1 and `index` below it; other values are clamped.
    public init(index: Int, count: Int) {
        self.count = UInt64(max(1, count))
        self.index = UInt64(max(0, index)) % self.count
    }

    public func contains(_ spi: UInt64) -> Bool { spi % count == index }
}
