import IKEWire
import Testing

@Suite("IP address text: dotted quad and RFC 5952")
struct IPAddressTextTests {
    static let v6Cases: [([UInt8], String)] = [
        ([0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1], "2001:db8::1"),
        (Array(repeating: 0, count: 16), "::"),
        (Array(repeating: 0, count: 15) + [1], "::1"),
        // §4.2.2: a single zero group is not shortened.
        ([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], "2001:db8:0:1:1:1:1:1"),
        // §4.2.3: the longest run, the first one on a tie.
        ([0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], "2001:0:0:1::1"),
        ([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1], "2001:db8::1:0:0:1"),
        // §4.3: lower case, leading zeros dropped.
        ([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x0a, 0xbc, 0, 0x0d, 0, 0, 0, 0x0e], "fe80::abc:d:0:e"),
    ]

    @Test("RFC 5952 §4: IPv6 in its canonical text", arguments: v6Cases)
    func ipv6(bytes: [UInt8], expected: String) {
        #expect(IPAddressText.format(bytes) == expected)
    }

    @Test("IPv4 as a dotted quad; other lengths as hex")
    func ipv4AndOthers() {
        #expect(IPAddressText.format([192, 0, 2, 7]) == "192.0.2.7")
        #expect(IPAddressText.format([0, 0, 0, 0]) == "0.0.0.0")
        #expect(IPAddressText.format([0x0a, 0x01]) == "0a01")
    }
}
