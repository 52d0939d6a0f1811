import IKEWire

/// A configured traffic selector: an address range, an IP protocol (0: any) and a port
/// range, as in swanctl's `local_ts = 10.0.0.0/24`, or swanctl's `dynamic`.
public struct TrafficSelectorTemplate: Hashable, Sendable {
    /// The selector; for a ``isDynamic`` one, its protocol and ports, and the connection's
    /// address when that is one literal address (otherwise no address).
    public var selector: TrafficSelector
    /// swanctl's `dynamic`: the address is resolved for each IKE SA, to the virtual IP of
    /// its side when it has one, else the address the IKE SA uses on that side.
    public var isDynamic: Bool

    public init(_ selector: TrafficSelector, isDynamic: Bool = false) {
        self.selector = selector
        self.isDynamic = isDynamic
    }

    /// `dynamic` with `ipProtocol` and ports; `address` (4 or 16 bytes) when the
    /// connection has one literal address on that side.
    public static func dynamic(ipProtocol: UInt8, startPort: UInt16, endPort: UInt16, address: [UInt8]? = nil) -> Self {
        let bytes = address ?? []
        return TrafficSelectorTemplate(
            TrafficSelector(
                type: bytes.count == 16 ? .ipv6AddressRange : .ipv4AddressRange, ipProtocolID: ipProtocol,
                startPort: startPort, endPort: endPort, startAddress: bytes, endAddress: bytes),
            isDynamic: true)
    }

    /// The selector for an SA: a dynamic one resolved to each of `addresses` (a host
    /// selector each; all zeros, an address not yet assigned, stands for the whole
    /// family, as strongSwan proposes while it asks for a virtual IP); a fixed one as it is.
    public func resolved(to addresses: [[UInt8]]) -> [TrafficSelector] {
        guard isDynamic else { return [selector] }
        return addresses.map { address in
            let isAny = address.allSatisfy { $0 == 0 }
            return TrafficSelector(
                type: address.count == 16 ? .ipv6AddressRange : .ipv4AddressRange, ipProtocolID: selector.ipProtocolID,
                startPort: selector.startPort, endPort: selector.endPort, startAddress: address,
                endAddress: isAny ? [UInt8](repeating: 0xFF, count: address.count) : address)
        }
    }

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
        isDynamic = false
    }
}
