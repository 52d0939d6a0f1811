import ESPCore
import IKEWire

/// A traffic selector (RFC 7296 §3.13.1) in the form packets are matched against: the
/// address range as 128-bit numbers, the protocol and the port range.
struct PacketSelector: Hashable, Sendable {
    var isIPv6: Bool
    var start: UInt128
    var end: UInt128
    /// 0 matches any protocol.
    var ipProtocol: UInt8
    var startPort: UInt16
    var endPort: UInt16

    /// `nil` for a selector that is not an IPv4 or IPv6 address range.
    init?(_ selector: TrafficSelector) {
        guard let length = selector.type.addressLength, selector.startAddress.count == length,
            selector.endAddress.count == length
        else { return nil }
        isIPv6 = length == 16
        start = Self.number(selector.startAddress)
        end = Self.number(selector.endAddress)
        ipProtocol = selector.ipProtocolID
        startPort = selector.startPort
        endPort = selector.endPort
    }

    static func number(_ bytes: [UInt8]) -> UInt128 {
        bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }

    var coversAllPorts: Bool { startPort == 0 && endPort == 65535 }

    /// Whether a packet with this address and port (source or destination) and
    /// protocol is inside the selector. A packet without ports (a later fragment)
    /// matches only a selector of any port (RFC 4301 §7).
    func matches(address: UInt128, port: UInt16, of header: InnerIPHeader) -> Bool {
        guard header.isIPv6 == isIPv6, address >= start, address <= end else { return false }
        guard ipProtocol == 0 || ipProtocol == header.ipProtocol else { return false }
        if coversAllPorts { return true }
        return header.hasPorts && port >= startPort && port <= endPort
    }

    /// Whether `header` travels from `local` to `remote` selectors (outbound) — or, with
    /// the roles swapped, arrives from `remote` for `local` (inbound).
    static func matches(
        _ header: InnerIPHeader, source sources: [PacketSelector], destination destinations: [PacketSelector]
    ) -> Bool {
        sources.contains { $0.matches(address: header.source, port: header.sourcePort, of: header) }
            && destinations.contains { $0.matches(address: header.destination, port: header.destinationPort, of: header) }
    }

    /// The range as CIDR prefixes, for routes: `(address bytes, prefix length)`, the
    /// fewest that cover exactly `start...end`, in order (at most 2 × bits − 2 of them;
    /// none when the range is empty).
    var prefixes: [(address: [UInt8], length: Int)] {
        let bits = isIPv6 ? 128 : 32
        guard start <= end else { return [] }
        var result: [(address: [UInt8], length: Int)] = []
        var low = start
        while true {
            // The largest block aligned at `low` that ends within the range. `low` has
            // `size` zero bits at the bottom, so `low | mask` is the block's last address
            // and cannot overflow, even at the top of the address space.
            var size = min(low.trailingZeroBitCount, bits)
            while size > 0, low | Self.hostMask(size) > end { size -= 1 }
            result.append((Self.bytes(low, count: bits / 8), bits - size))
            let last = low | Self.hostMask(size)
            guard last < end else { return result }
            low = last + 1
        }
    }

    /// The `size` low bits set: the host part of a prefix `size` bits short of the
    /// address length.
    static func hostMask(_ size: Int) -> UInt128 { size >= 128 ? .max : (UInt128(1) << size) - 1 }

    /// The single address of a host selector (`/32`, `/128`), or `nil`.
    var hostAddress: [UInt8]? { start == end ? Self.bytes(start, count: isIPv6 ? 16 : 4) : nil }

    static func bytes(_ value: UInt128, count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * (count - 1 - $0))) }
    }
}
