import IKECrypto
import Testing

@testable import ESPCore

@Suite("Transport mode: the IP header kept in front of ESP (RFC 4303 §3.1.1)")
struct ESPTransportModeTests {
    static func outbound(_ packet: [UInt8]) -> Result<ESPTransportHeader, ESPError> {
        packet.withUnsafeBytes { bytes in Result { () throws(ESPError) in try ESPTransportHeader(outbound: bytes) } }
    }

    static func inbound(_ packet: [UInt8]) -> Result<ESPTransportHeader, ESPError> {
        packet.withUnsafeBytes { bytes in Result { () throws(ESPError) in try ESPTransportHeader(inbound: bytes) } }
    }

    static func checksumIsValid(_ packet: [UInt8], headerLength: Int) -> Bool {
        packet.withUnsafeBytes { ESPTransportHeader.internetChecksum(UnsafeRawBufferPointer(rebasing: $0[0..<headerLength])) } == 0
    }

    static func sealTransport(_ sa: inout ESPSecurityAssociation, _ packet: [UInt8]) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: packet.count + sa.maximumOverhead)
        let result: Result<Int, ESPError> = packet.withUnsafeBytes { packet in
            output.withUnsafeMutableBytes { output in
                Result { () throws(ESPError) in try sa.sealTransportMode(packet, into: output) }
            }
        }
        return Array(output.prefix(try result.get()))
    }

    static func openTransport(_ sa: inout ESPSecurityAssociation, _ packet: inout [UInt8]) throws
        -> (packet: Range<Int>, opened: ESPInboundPacket)
    {
        let result: Result<(packet: Range<Int>, opened: ESPInboundPacket), ESPError> = packet.withUnsafeMutableBytes { bytes in
            Result { () throws(ESPError) in try sa.openTransportMode(bytes) }
        }
        return try result.get()
    }

    @Test("The RFC 1071 checksum of a known IPv4 header")
    func knownChecksum() {
        // RFC 1071 §3's example words, and a header whose checksum is b861 (a classic example).
        let header: [UInt8] = [
            0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
        ]
        #expect(header.withUnsafeBytes { ESPTransportHeader.internetChecksum($0) } == 0xb861)
    }

    @Test("IPv4: the payload after the header (options included) and the protocol become ESP's payload and Next Header")
    func ipv4Outbound() throws {
        let plain = try Self.outbound(TestIPPacket.ipv4(total: 100, protocolNumber: 6)).get()
        #expect(plain.version == .ipv4)
        #expect(plain.length == 20)
        #expect(plain.protocolFieldOffset == 9)
        #expect(plain.nextHeader == .tcp)
        let options = try Self.outbound(TestIPPacket.ipv4(total: 100, optionsWords: 3)).get()
        #expect(options.length == 32)
        #expect(options.nextHeader == .udp)
    }

    @Test("Fragments are refused: ESP protects whole datagrams (RFC 4303 §3.3.4)")
    func fragmentsRefused() {
        #expect(espError { _ = try Self.outbound(TestIPPacket.ipv4(total: 100, flags: 0x20)).get() } == .ipFragment)
        var offset = TestIPPacket.ipv4(total: 100)
        offset[7] = 0x10
        #expect(espError { _ = try Self.outbound(offset).get() } == .ipFragment)
        // Don't Fragment is fine.
        #expect(espError { _ = try Self.outbound(TestIPPacket.ipv4(total: 100, flags: 0x40)).get() } == nil)
        let v6Fragment = TestIPPacket.ipv6(payload: 30, extensions: [(44, 8)])
        #expect(espError { _ = try Self.outbound(v6Fragment).get() } == .ipFragment)
    }

    @Test("IPv6: Hop-by-Hop and Routing headers stay in front of ESP; final Destination Options are protected")
    func ipv6ExtensionHeaders() throws {
        let bare = try Self.outbound(TestIPPacket.ipv6(payload: 30)).get()
        #expect(bare.length == 40 && bare.protocolFieldOffset == 6 && bare.nextHeader == .udp)
        let chained = try Self.outbound(TestIPPacket.ipv6(payload: 30, extensions: [(0, 8), (60, 16), (43, 24), (60, 8)])).get()
        // Hop-by-hop (8), Destination Options before Routing (16), Routing (24) kept;
        // the last Destination Options header (60) is ESP's Next Header.
        #expect(chained.length == 40 + 8 + 16 + 24)
        #expect(chained.protocolFieldOffset == 40 + 8 + 16)
        #expect(chained.nextHeader == ESPNextHeader(rawValue: 60))
    }

    @Test("Malformed outer packets: a typed error at every truncation, lengths that lie, unknown versions")
    func malformed() {
        for packet in [TestIPPacket.ipv4(total: 60, optionsWords: 1), TestIPPacket.ipv6(payload: 20, extensions: [(0, 8)])] {
            for count in 0..<packet.count {
                #expect(espError { _ = try Self.outbound(Array(packet.prefix(count))).get() } == .malformedIPPacket, "\(count)")
            }
            #expect(espError { _ = try Self.outbound(packet + [0]).get() } == .malformedIPPacket)
        }
        var version5 = TestIPPacket.ipv4(total: 40)
        version5[0] = 0x55
        #expect(espError { _ = try Self.outbound(version5).get() } == .malformedIPPacket)
        // Inbound: the protocol must be ESP.
        #expect(espError { _ = try Self.inbound(TestIPPacket.ipv4(total: 40)).get() } == .malformedIPPacket)
        #expect(espError { _ = try Self.inbound(TestIPPacket.ipv6(payload: 20)).get() } == .malformedIPPacket)
    }

    @Test("Seal then open restores the exact IP packet: IPv4 (header checksum recomputed) and IPv6, every suite",
          arguments: ESPTestSuite.allCases)
    func roundTrip(suite: ESPTestSuite) throws {
        var (outbound, inbound) = try suite.pair()
        let packets = [
            TestIPPacket.ipv4(total: 120, protocolNumber: 6), TestIPPacket.ipv4(total: 21),
            TestIPPacket.ipv4(total: 1400, protocolNumber: 17, flags: 0x40, optionsWords: 10),
            TestIPPacket.ipv6(payload: 50, nextHeader: 6), TestIPPacket.ipv6(payload: 3, extensions: [(0, 8), (43, 16)]),
        ]
        for original in packets {
            let header = try Self.outbound(original).get()
            var wire = try Self.sealTransport(&outbound, original)
            // On the wire: the same header, announcing ESP, with the new lengths.
            let received = try Self.inbound(wire).get()
            #expect(received.length == header.length)
            #expect(wire[header.protocolFieldOffset] == 50)
            switch header.version {
            case .ipv4:
                #expect(Int(wire[2]) << 8 | Int(wire[3]) == wire.count)
                #expect(Self.checksumIsValid(wire, headerLength: header.length))
                #expect(Array(wire[12..<20]) == Array(original[12..<20]))
            case .ipv6:
                #expect(Int(wire[4]) << 8 | Int(wire[5]) == wire.count - 40)
            }
            #expect(Array(wire[header.length..<header.length + 4]) == [0xC0, 0xFF, 0xEE, 0x01])
            let (range, opened) = try Self.openTransport(&inbound, &wire)
            #expect(opened.nextHeader == header.nextHeader)
            #expect(Array(wire[range]) == original)
        }
    }

    @Test("Seal in place: the IP packet at the start of the output buffer")
    func sealInPlace() throws {
        var (outbound, inbound) = try ESPTestSuite.aesGCM16_128.pair()
        let original = TestIPPacket.ipv4(total: 333, protocolNumber: 6, optionsWords: 1)
        var buffer = original + [UInt8](repeating: 0, count: outbound.maximumOverhead)
        let length = try buffer.withUnsafeMutableBytes { bytes throws(ESPError) in
            try outbound.sealTransportMode(UnsafeRawBufferPointer(rebasing: bytes[0..<original.count]), into: bytes)
        }
        var wire = Array(buffer.prefix(length))
        let (range, _) = try Self.openTransport(&inbound, &wire)
        #expect(Array(wire[range]) == original)
    }

    @Test("A dummy packet in transport mode is flagged for the caller to drop (RFC 4303 §2.6)")
    func dummy() throws {
        var (outbound, inbound) = try ESPTestSuite.aesGCM16_128.pair()
        let original = TestIPPacket.ipv4(total: 64, protocolNumber: 59)
        var wire = try Self.sealTransport(&outbound, original)
        #expect(try Self.openTransport(&inbound, &wire).opened.isDummy)
    }

    @Test("A short output buffer is refused without consuming a sequence number")
    func bufferTooSmall() throws {
        var (outbound, _) = try ESPTestSuite.aesGCM16_128.pair()
        let original = TestIPPacket.ipv4(total: 64)
        var output = [UInt8](repeating: 0, count: 64)
        let code = espError {
            _ = try original.withUnsafeBytes { packet in
                try output.withUnsafeMutableBytes { try outbound.sealTransportMode(packet, into: $0) }
            }
        }
        #expect(code == .bufferTooSmall)
        #expect(outbound.lastSequenceNumber == 0)
    }
}
