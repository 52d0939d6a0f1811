import Testing

@testable import ESPCore

/// Builds an IPv4 packet: 20-byte header (+ options), then `transport`.
func ipv4Packet(
    source: [UInt8] = [198, 51, 100, 1], destination: [UInt8] = [203, 0, 113, 1], protocol number: UInt8,
    transport: [UInt8], options: Int = 0, fragmentOffset: UInt16 = 0, padding: Int = 0
) -> [UInt8] {
    let headerLength = 20 + options
    let total = headerLength + transport.count
    var packet: [UInt8] = [0x40 | UInt8(headerLength / 4), 0, UInt8(total >> 8), UInt8(total & 0xFF), 0, 1,
                           UInt8(fragmentOffset >> 8), UInt8(fragmentOffset & 0xFF), 64, number, 0, 0]
    packet += source + destination + [UInt8](repeating: 1, count: options) + transport
    return packet + [UInt8](repeating: 0, count: padding)
}

/// Builds an IPv6 packet with `extensions` (raw, each starting with its Next Header byte
/// and length) before `transport`.
func ipv6Packet(nextHeader: UInt8, extensions: [UInt8] = [], transport: [UInt8]) -> [UInt8] {
    let payloadLength = extensions.count + transport.count
    var packet: [UInt8] = [0x60, 0, 0, 0, UInt8(payloadLength >> 8), UInt8(payloadLength & 0xFF), nextHeader, 64]
    packet += [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]
    packet += [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [2]
    return packet + extensions + transport
}

@Suite("Inner IP headers: the selectors of a packet (RFC 4301 §4.4.1.1)")
struct InnerIPHeaderTests {
    func header(_ packet: [UInt8]) -> InnerIPHeader? {
        packet.withUnsafeBytes { InnerIPHeader($0) }
    }

    @Test("IPv4 TCP: addresses, protocol, ports and total length, also with options and TFC padding after it")
    func ipv4TCP() throws {
        let tcp: [UInt8] = [0x1F, 0x90, 0x00, 0x50] + [UInt8](repeating: 0, count: 16)
        for options in [0, 8] {
            let parsed = try #require(header(ipv4Packet(protocol: 6, transport: tcp, options: options, padding: 13)))
            #expect(!parsed.isIPv6)
            #expect(parsed.source == 0xC633_6401)
            #expect(parsed.destination == 0xCB00_7101)
            #expect(parsed.ipProtocol == 6)
            #expect(parsed.hasPorts && parsed.sourcePort == 8080 && parsed.destinationPort == 80)
            #expect(parsed.totalLength == 20 + options + tcp.count)
        }
    }

    @Test("ICMP type and code stand in for both ports (RFC 7296 §3.13.1)")
    func icmp() throws {
        let parsed = try #require(header(ipv4Packet(protocol: 1, transport: [8, 0, 0, 0, 0, 1, 0, 1])))
        #expect(parsed.sourcePort == 0x0800 && parsed.destinationPort == 0x0800 && parsed.hasPorts)
    }

    @Test("A later fragment has no ports (RFC 4301 §7)")
    func laterFragment() throws {
        let parsed = try #require(header(ipv4Packet(protocol: 17, transport: [0, 53, 0, 53, 0, 8, 0, 0], fragmentOffset: 185)))
        #expect(!parsed.hasPorts && parsed.sourcePort == 0)
    }

    @Test("IPv6 UDP behind Hop-by-Hop and Destination Options; a later IPv6 fragment has no ports")
    func ipv6() throws {
        let udp: [UInt8] = [0x01, 0xF4, 0x11, 0x94, 0, 8, 0, 0]
        let hopByHop: [UInt8] = [60, 0, 1, 4, 0, 0, 0, 0]
        let destination: [UInt8] = [17, 0, 1, 4, 0, 0, 0, 0]
        let parsed = try #require(header(ipv6Packet(nextHeader: 0, extensions: hopByHop + destination, transport: udp)))
        #expect(parsed.isIPv6 && parsed.ipProtocol == 17)
        #expect(parsed.sourcePort == 500 && parsed.destinationPort == 4500)
        #expect(parsed.source == (UInt128(0x2001_0db8) << 96 | 1))
        #expect(parsed.totalLength == 40 + 24)
        let fragment: [UInt8] = [17, 0, 0x05, 0xA8, 0, 0, 0, 1]
        let later = try #require(header(ipv6Packet(nextHeader: 44, extensions: fragment, transport: udp)))
        #expect(later.ipProtocol == 17 && !later.hasPorts)
    }

    @Test("Not IP, or shorter than a header or than its own length: nil, at every truncation")
    func malformed() {
        #expect(header([]) == nil)
        #expect(header([0x50] + [UInt8](repeating: 0, count: 40)) == nil)
        let packets = [
            ipv4Packet(protocol: 6, transport: [UInt8](repeating: 0, count: 20)),
            ipv6Packet(nextHeader: 17, transport: [0, 1, 0, 2, 0, 8, 0, 0]),
        ]
        for packet in packets {
            #expect(header(packet) != nil)
            for length in 0..<packet.count { #expect(header(Array(packet[0..<length])) == nil, "length \(length)") }
        }
        // An IHL below 5, and a total length shorter than the header.
        var short = ipv4Packet(protocol: 6, transport: [])
        short[0] = 0x44
        #expect(header(short) == nil)
        var lying = ipv4Packet(protocol: 6, transport: [])
        lying[3] = 19
        #expect(header(lying) == nil)
    }

    @Test("Extension headers that claim more than the packet stop the walk without reading past it")
    func lyingExtensionLength() throws {
        let hopByHop: [UInt8] = [17, 200, 1, 4, 0, 0, 0, 0]
        let parsed = try #require(header(ipv6Packet(nextHeader: 0, extensions: hopByHop, transport: [0, 1, 0, 2])))
        #expect(!parsed.hasPorts)
    }
}
