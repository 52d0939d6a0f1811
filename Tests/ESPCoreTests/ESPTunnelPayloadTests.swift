import IKECrypto
import Testing

@testable import ESPCore

/// IPv4 and IPv6 packets for the tunnel and transport tests.
enum TestIPPacket {
    /// An IPv4 packet of `total` bytes: a header of 20 bytes plus `optionsWords` words of
    /// NOP options, a valid checksum, a patterned payload.
    static func ipv4(total: Int, protocolNumber: UInt8 = 17, flags: UInt8 = 0, optionsWords: Int = 0) -> [UInt8] {
        let header = 20 + 4 * optionsWords
        var packet = [UInt8](repeating: 0, count: total)
        packet[0] = 0x40 | UInt8(header / 4)
        packet[2] = UInt8(total >> 8)
        packet[3] = UInt8(total & 0xFF)
        packet[4] = 0x12
        packet[5] = 0x34
        packet[6] = flags
        packet[8] = 64
        packet[9] = protocolNumber
        packet.replaceSubrange(12..<20, with: [192, 0, 2, 1, 198, 51, 100, 7])
        for index in 20..<header { packet[index] = 1 }  // NOP options
        for index in header..<total { packet[index] = UInt8(truncatingIfNeeded: index &* 13) }
        let checksum = packet.withUnsafeBytes {
            ESPTransportHeader.internetChecksum(UnsafeRawBufferPointer(rebasing: $0[0..<header]))
        }
        packet[10] = UInt8(checksum >> 8)
        packet[11] = UInt8(checksum & 0xFF)
        return packet
    }

    /// An IPv6 packet with `extensions` (protocol number, length in bytes, a multiple of
    /// 8) chained before a `payload`-byte upper-layer payload of protocol `nextHeader`.
    static func ipv6(payload: Int, nextHeader: UInt8 = 17, extensions: [(UInt8, Int)] = []) -> [UInt8] {
        var chain: [UInt8] = []
        let protocols = extensions.map(\.0) + [nextHeader]
        for (index, ext) in extensions.enumerated() {
            var header = [UInt8](repeating: 0, count: ext.1)
            header[0] = protocols[index + 1]
            header[1] = UInt8(ext.1 / 8 - 1)
            chain += header
        }
        let body = (0..<payload).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let length = chain.count + body.count
        var packet = [UInt8](repeating: 0, count: 40)
        packet[0] = 0x60
        packet[4] = UInt8(length >> 8)
        packet[5] = UInt8(length & 0xFF)
        packet[6] = protocols[0]
        packet[7] = 64
        packet.replaceSubrange(8..<10, with: [0x20, 0x01])
        packet.replaceSubrange(24..<26, with: [0x20, 0x01])
        packet[39] = 2
        return packet + chain + body
    }
}

@Suite("Tunnel mode payloads: TFC padding and dummy packets (RFC 4303 §2.4, §2.6, §2.7)")
struct ESPTunnelPayloadTests {
    static func nextHeader(_ packet: [UInt8]) -> Result<ESPNextHeader, ESPError> {
        packet.withUnsafeBytes { bytes in Result { () throws(ESPError) in try ESPTunnelPayload.nextHeader(forInnerPacket: bytes) } }
    }

    static func length(_ payload: [UInt8], _ nextHeader: ESPNextHeader) -> ESPError.Code? {
        espError { _ = try payload.withUnsafeBytes { try ESPTunnelPayload.innerPacketLength(in: $0, nextHeader: nextHeader) } }
    }

    @Test("Next Header from the inner packet's version: 4 for IPv4, 41 for IPv6 (RFC 4303 §2.6)")
    func nextHeaderFromVersion() throws {
        #expect(try Self.nextHeader(TestIPPacket.ipv4(total: 40)).get() == .ipv4)
        #expect(try Self.nextHeader(TestIPPacket.ipv6(payload: 8)).get() == .ipv6)
        #expect(espError { _ = try Self.nextHeader([0x50, 0]).get() } == .malformedIPPacket)
        #expect(espError { _ = try Self.nextHeader([]).get() } == .malformedIPPacket)
    }

    @Test("TFC padding after the inner packet is cut off, IPv4 and IPv6, every suite (RFC 4303 §2.7)",
          arguments: ESPTestSuite.allCases)
    func tfcPaddingTrimmed(suite: ESPTestSuite) throws {
        var (outbound, inbound) = try suite.pair()
        for (inner, nextHeader) in [(TestIPPacket.ipv4(total: 60), ESPNextHeader.ipv4), (TestIPPacket.ipv6(payload: 23), .ipv6)] {
            for tfc in [0, 1, 17, 300] {
                let padded = inner + [UInt8](repeating: 0xEE, count: tfc)
                var packet = try outbound.seal(padded, nextHeader: nextHeader)
                let opened = try inbound.open(&packet)
                #expect(opened.payloadRange.count == padded.count)
                let range = try #require(try ESPTunnelPayload.innerPacketRange(of: opened, in: packet))
                #expect(Array(packet[range]) == inner, "TFC \(tfc)")
            }
        }
    }

    @Test("An inner length longer than the payload, or a header not of the Next Header's IP version, is refused")
    func malformedInnerPackets() {
        let v4 = TestIPPacket.ipv4(total: 60)
        let v6 = TestIPPacket.ipv6(payload: 20)
        #expect(Self.length(v4, .ipv4) == nil)
        #expect(Self.length(v6, .ipv6) == nil)
        // Lengths that lie: the payload is one byte short of the stated length.
        #expect(Self.length(Array(v4.dropLast()), .ipv4) == .malformedIPPacket)
        #expect(Self.length(Array(v6.dropLast()), .ipv6) == .malformedIPPacket)
        // Total Length shorter than the IPv4 header; IHL below 5.
        var short = v4
        short[2] = 0
        short[3] = 19
        #expect(Self.length(short, .ipv4) == .malformedIPPacket)
        var badIHL = v4
        badIHL[0] = 0x44
        #expect(Self.length(badIHL, .ipv4) == .malformedIPPacket)
        // The version disagrees with Next Header.
        #expect(Self.length(v6, .ipv4) == .malformedIPPacket)
        #expect(Self.length(v4 + [UInt8](repeating: 0, count: 40), .ipv6) == .malformedIPPacket)
        // Next Header neither 4 nor 41 on a tunnel-mode SA.
        #expect(Self.length(v4, .udp) == .malformedIPPacket)
    }

    @Test("Truncated at every length: a typed error, never a crash")
    func everyTruncation() {
        let cases = [
            (TestIPPacket.ipv4(total: 48, optionsWords: 2), ESPNextHeader.ipv4), (TestIPPacket.ipv6(payload: 9), .ipv6),
        ]
        for (packet, nextHeader) in cases {
            for count in 0..<packet.count {
                #expect(Self.length(Array(packet.prefix(count)), nextHeader) == .malformedIPPacket, "\(nextHeader) \(count)")
            }
        }
    }

    @Test("Dummy packets (Next Header 59) are discarded end to end among real ones, with and without ESN (RFC 4303 §2.6)",
          arguments: [false, true])
    func dummyPacketsDiscarded(esn: Bool) throws {
        var (outbound, inbound) = try ESPTestSuite.chacha20Poly1305.pair(esn: esn)
        let inner = TestIPPacket.ipv4(total: 84)
        var sent: [[UInt8]] = []
        for index in 0..<10 {
            if index % 3 == 1 {
                // A dummy of arbitrary bytes: no IP header to parse.
                sent.append(try outbound.seal(payload(index * 11, seed: 0xA5), nextHeader: .noNextHeader))
            } else {
                sent.append(try outbound.seal(inner + [UInt8](repeating: 0, count: index), nextHeader: .ipv4))
            }
        }
        var delivered: [[UInt8]] = []
        var discarded = 0
        for packet in sent {
            var buffer = packet
            let opened = try inbound.open(&buffer)
            if let range = try ESPTunnelPayload.innerPacketRange(of: opened, in: buffer) {
                delivered.append(Array(buffer[range]))
            } else {
                #expect(opened.isDummy)
                discarded += 1
            }
        }
        #expect(discarded == 3)
        #expect(delivered == Array(repeating: inner, count: 7))
        // The dummies were authentic: their sequence numbers are in the window (§3.4.3).
        #expect(inbound.replayWindow.top == 10)
        var replayedDummy = sent[1]
        #expect(espError { _ = try inbound.open(&replayedDummy) } == .replayed)
    }
}
