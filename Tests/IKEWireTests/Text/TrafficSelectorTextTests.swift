import IKEWire
import Testing

/// Traffic selectors as strongSwan prints them (what `cygnet status` and `cygnet demo` show).
@Suite("Traffic selector text as strongSwan prints it")
struct TrafficSelectorTextTests {
    static func v4(_ start: [UInt8], _ end: [UInt8], protocol: UInt8 = 0, ports: ClosedRange<UInt16> = 0...65535)
        -> TrafficSelector
    {
        TrafficSelector(
            type: .ipv4AddressRange, ipProtocolID: `protocol`, startPort: ports.lowerBound, endPort: ports.upperBound,
            startAddress: start, endAddress: end)
    }

    static let selectorCases: [(TrafficSelector, String)] = [
        (v4([10, 1, 0, 0], [10, 1, 255, 255]), "10.1.0.0/16"),
        (v4([0, 0, 0, 0], [255, 255, 255, 255]), "0.0.0.0/0"),
        (v4([192, 0, 2, 7], [192, 0, 2, 7]), "192.0.2.7/32"),
        (v4([10, 0, 0, 5], [10, 0, 0, 9]), "10.0.0.5..10.0.0.9"),
        (v4([10, 0, 0, 1], [10, 0, 0, 255]), "10.0.0.1..10.0.0.255"),
        (v4([10, 1, 0, 0], [10, 1, 255, 255], protocol: 6, ports: 80...80), "10.1.0.0/16[tcp/80]"),
        (v4([10, 1, 0, 0], [10, 1, 255, 255], protocol: 17, ports: 1024...2047), "10.1.0.0/16[udp/1024-2047]"),
        (v4([10, 1, 0, 0], [10, 1, 255, 255], protocol: 6), "10.1.0.0/16[tcp]"),
        (v4([10, 1, 0, 0], [10, 1, 255, 255], ports: 53...53), "10.1.0.0/16[53]"),
        (v4([10, 1, 0, 0], [10, 1, 255, 255], protocol: 1, ports: 0x0800...0x0800), "10.1.0.0/16[icmp/8]"),
        (v4([10, 1, 0, 0], [10, 1, 255, 255], protocol: 1, ports: 0x0301...0x0301), "10.1.0.0/16[icmp/3(1)]"),
        (v4([10, 1, 0, 0], [10, 1, 255, 255], protocol: 99), "10.1.0.0/16[99]"),
        (
            TrafficSelector(
                type: .ipv4AddressRange, ipProtocolID: 17, startPort: 0xFFFF, endPort: 0, startAddress: [10, 0, 0, 0],
                endAddress: [10, 0, 0, 255]), "10.0.0.0/24[udp/OPAQUE]"
        ),
        (
            TrafficSelector(
                type: .ipv6AddressRange, startAddress: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 12),
                endAddress: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0xFF, count: 12)), "2001:db8::/32"
        ),
        (TrafficSelector(type: 10, data: [0, 1, 2]), "(TS_SECLABEL 000102)"),
    ]

    @Test("traffic selectors as strongSwan prints them", arguments: selectorCases)
    func selectors(selector: TrafficSelector, expected: String) {
        #expect(TrafficSelectorText.format(selector) == expected)
    }
}
