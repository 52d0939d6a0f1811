/// Traffic selectors as strongSwan prints them (libstrongswan's
/// `traffic_selector_printf_hook`): `10.1.0.0/16` for a prefix, `10.1.0.5..10.1.0.9` for
/// another range, then `[protocol/port]` when they are not "any": `[tcp/80]`,
/// `[udp/1024-2047]`, `[tcp]`, `[icmp/8]`, `[17/OPAQUE]`.
///
/// One difference: ports print as numbers, where strongSwan looks up service names in
/// /etc/services (`[tcp/http]`), so the text is the same on every host.
public enum TrafficSelectorText {
    public static func format(_ selector: TrafficSelector) -> String {
        guard let length = selector.type.addressLength, selector.startAddress.count == length,
            selector.endAddress.count == length
        else {
            return "(\(selector.type) \(HexText.abbreviated(selector.data)))"
        }
        var text = addresses(selector.startAddress, selector.endAddress)
        let hasProtocol = selector.ipProtocolID != 0
        let hasPorts = !(selector.startPort == 0 && selector.endPort == 0xFFFF)
        guard hasProtocol || hasPorts else { return text }
        text += "["
        if hasProtocol { text += protocolName(selector.ipProtocolID) }
        if hasProtocol && hasPorts { text += "/" }
        if hasPorts { text += ports(selector) }
        return text + "]"
    }

    /// `start/prefix` when the range is a whole prefix, else `start..end`.
    private static func addresses(_ start: [UInt8], _ end: [UInt8]) -> String {
        let from = IPAddressText.format(start)
        guard let prefix = prefixLength(start, end) else { return from + ".." + IPAddressText.format(end) }
        return "\(from)/\(prefix)"
    }

    /// The prefix length when `start` has only zeros and `end` only ones after their
    /// common leading bits.
    private static func prefixLength(_ start: [UInt8], _ end: [UInt8]) -> Int? {
        var prefix: Int?
        for bit in 0..<(start.count * 8) {
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            let a = start[bit / 8] & mask != 0
            let b = end[bit / 8] & mask != 0
            if prefix == nil {
                if a != b { prefix = bit }
            } else if a || !b {
                return nil
            }
        }
        guard let prefix else { return start.count * 8 }
        // The first differing bit must be 0 in start and 1 in end.
        let mask = UInt8(0x80) >> UInt8(prefix % 8)
        return start[prefix / 8] & mask == 0 ? prefix : nil
    }

    private static func ports(_ selector: TrafficSelector) -> String {
        let isICMP = selector.ipProtocolID == 1 || selector.ipProtocolID == 58
        if selector.startPort == selector.endPort {
            return isICMP ? icmp(selector.startPort) : "\(selector.startPort)"
        }
        if selector.startPort == 0xFFFF && selector.endPort == 0 { return "OPAQUE" }
        if isICMP { return icmp(selector.startPort) + "-" + icmp(selector.endPort) }
        return "\(selector.startPort)-\(selector.endPort)"
    }

    /// RFC 7296 §3.13.1: for ICMP the port fields carry the type (high byte) and the code
    /// (low byte); strongSwan prints `type` or `type(code)`.
    private static func icmp(_ port: UInt16) -> String {
        let type = port >> 8
        let code = port & 0xFF
        return code == 0 ? "\(type)" : "\(type)(\(code))"
    }

    /// The names `getprotobynumber` gives on Debian for the protocols seen in selectors.
    private static func protocolName(_ number: UInt8) -> String {
        switch number {
        case 1: "icmp"
        case 6: "tcp"
        case 17: "udp"
        case 47: "gre"
        case 50: "esp"
        case 51: "ah"
        case 58: "ipv6-icmp"
        case 132: "sctp"
        case 136: "udplite"
        default: "\(number)"
        }
    }
}
