import IKEWire

/// A configured traffic selector: an address range, an IP protocol (0: any) and a port
/// range, as in swanctl's `local_ts = 10.0.0.0/24`.
public struct TrafficSelectorTemplate: Hashable, Sendable {
    public var selector: TrafficSelector

    public init(_ selector: TrafficSelector) { self.selector = selector }

    /// A prefix such as `198.51.100.0/24`; `nil` when the text is not an IPv4 prefix.
    public init?(ipv4Prefix text: String) {
        let parts = text.split(separator: "/")
        guard let first = parts.first, let address = IKEIdentity.parseIPv4(String(first)) else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) : 32
        guard let length, (0...32).contains(length), parts.count <= 2 else { return nil }
        let value = address.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << (32 - length)
        let start = value & mask
        let end = start | ~mask
        func bytes(_ v: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
        selector = TrafficSelector(type: .ipv4AddressRange, startAddress: bytes(start), endAddress: bytes(end))
    }
}
