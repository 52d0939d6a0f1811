import IKEWire
import NIOCore
import Testing

@testable import CygnetTools

@Suite("Capture reader: pcap, pcapng, link layers, IP and UDP")
struct CaptureReaderTests {
    typealias B = CaptureBuilder

    static func records(_ file: [UInt8]) throws -> [CaptureRecord] {
        var reader = try CaptureReader(bytes: file)
        return try reader.readAll()
    }

    static func ikeBytes(_ record: CaptureRecord?) -> [UInt8]? {
        guard case .ike(let buffer) = record?.content else { return nil }
        return Array(buffer.readableBytesView)
    }

    static let ike = B.saInitBytes()
    static let udp500 = B.udp(source: 500, destination: 500, ike)

    static let linkTypeFrames: [(UInt32, [UInt8])] = [
        (1, B.ethernet(B.ipv4(udp500))),
        (1, B.ethernet(B.ipv4(udp500), vlanTags: [100])),
        (1, B.ethernet(B.ipv4(udp500), vlanTags: [100, 200])),
        (1, B.ethernet(B.ipv6(udp500), etherType: 0x86DD)),
        (113, B.linuxSLL(B.ipv4(udp500))),
        (113, B.linuxSLL(B.ipv6(udp500), protocol: 0x86DD)),
        (276, B.linuxSLL2(B.ipv4(udp500))),
        (276, B.linuxSLL2(B.ipv6(udp500), protocol: 0x86DD)),
        (101, B.ipv4(udp500)),
        (228, B.ipv4(udp500)),
        (229, B.ipv6(udp500)),
        (0, B.null(B.ipv4(udp500))),
        (0, B.null(B.ipv6(udp500), family: 24)),
    ]

    @Test("Classic pcap in both byte orders, micro- and nanosecond magic")
    func classicPcap() throws {
        for littleEndian in [true, false] {
            for nanoseconds in [true, false] {
                let file = B.pcap(
                    linkType: 1, frames: [B.ethernet(B.ipv4(Self.udp500))], littleEndian: littleEndian,
                    nanoseconds: nanoseconds)
                let records = try Self.records(file)
                #expect(records.count == 1)
                #expect(Self.ikeBytes(records.first) == Self.ike)
                let record = try #require(records.first)
                #expect(record.frameNumber == 1)
                #expect(record.source?.description == "192.0.2.1:500")
                #expect(record.destination?.description == "192.0.2.2:500")
                #expect(record.timestamp?.description == (nanoseconds ? "1700000000.123456789" : "1700000000.123456000"))
            }
        }
    }

    @Test("pcapng: both byte orders, several interfaces, unknown blocks skipped, if_tsresol honoured")
    func pcapng() throws {
        for littleEndian in [true, false] {
            let file = B.pcapng(
                linkTypes: [1, 113],
                frames: [
                    (0, B.ethernet(B.ipv4(Self.udp500))), (1, B.linuxSLL(B.ipv4(Self.udp500))),
                    (0, B.ethernet(B.ipv4(B.udp(source: 53, destination: 53, [1, 2, 3])))),
                    (1, B.linuxSLL(B.ipv4(Self.udp500))),
                ], littleEndian: littleEndian, unknownBlockFirst: true)
            let records = try Self.records(file)
            #expect(records.map(\.frameNumber) == [1, 2, 4])
            #expect(records.allSatisfy { Self.ikeBytes($0) == Self.ike })
            #expect(records.first?.timestamp?.description == "1700000000.000000005")
        }
    }

    @Test("pcapng Simple Packet Blocks use interface 0")
    func simplePacketBlocks() throws {
        let file = B.pcapng(linkTypes: [101], frames: [(0, B.ipv4(Self.udp500))], simple: true)
        let records = try Self.records(file)
        #expect(records.count == 1)
        #expect(Self.ikeBytes(records.first) == Self.ike)
        #expect(records.first?.timestamp == nil)
    }

    @Test("pcapng packet naming an undescribed interface is an invalid file")
    func undescribedInterface() {
        let file = B.pcapng(linkTypes: [1], frames: [(3, B.ethernet(B.ipv4(Self.udp500)))])
        #expect(throws: CaptureError(.invalidFormat, offset: 0)) { try Self.records(file) }
    }

    @Test(
        "Link types: Ethernet, 802.1Q and QinQ, Linux SLL and SLL2, raw IP, IPv4, IPv6, BSD NULL",
        arguments: linkTypeFrames)
    func linkTypes(linkType: UInt32, frame: [UInt8]) throws {
        let records = try Self.records(B.pcap(linkType: linkType, frames: [frame]))
        #expect(records.count == 1)
        #expect(Self.ikeBytes(records.first) == Self.ike)
    }

    @Test("IPv4 header options are skipped (RFC 791 §3.1 IHL)")
    func ipv4Options() throws {
        let frame = B.ethernet(B.ipv4(Self.udp500, options: [1, 1, 1, 0, 0x94, 4, 0, 0]))
        let records = try Self.records(B.pcap(linkType: 1, frames: [frame]))
        #expect(Self.ikeBytes(records.first) == Self.ike)
    }

    @Test("IPv6 extension headers are walked (RFC 8200 §4): hop-by-hop, routing, destination options, fragment")
    func ipv6ExtensionHeaders() throws {
        let routing: [UInt8] = [0, 0, 0, 0, 0, 0, 0]  // Hdr Ext Len 0, type 0, segments left 0
        let packet = B.ipv6(
            Self.udp500,
            extensions: [
                (0, B.optionsHeaderBody), (43, routing), (60, B.optionsHeaderBody), (44, B.atomicFragmentBody),
            ])
        let records = try Self.records(B.pcap(linkType: 229, frames: [packet]))
        #expect(Self.ikeBytes(records.first) == Self.ike)
        #expect(records.first?.source?.description == "[2001:db8::1]:500")
    }

    @Test("IPv4 fragments are reassembled and decoded at the last fragment's frame (RFC 791 §3.2)")
    func ipv4Reassembly() throws {
        let datagram = B.udp(source: 500, destination: 500, Self.ike)
        let first = Array(datagram.prefix(64))
        let second = Array(datagram.dropFirst(64))
        let frames = [
            B.ethernet(B.ipv4(first, identification: 7, moreFragments: true)),
            B.ethernet(B.ipv4(second, identification: 7, fragmentOffset: 64)),
        ]
        let records = try Self.records(B.pcap(linkType: 1, frames: frames))
        #expect(records.count == 1)
        #expect(records.first?.frameNumber == 2)
        #expect(Self.ikeBytes(records.first) == Self.ike)
    }

    @Test("IPv6 fragments are reassembled (RFC 8200 §4.5)")
    func ipv6Reassembly() throws {
        let datagram = B.udp(source: 4500, destination: 4500, [0, 0, 0, 0] + Self.ike)
        let first = Array(datagram.prefix(48))
        let second = Array(datagram.dropFirst(48))
        let frames = [
            B.ipv6(first, extensions: [(44, [0, 0, 1, 0, 0, 0, 9])]),  // offset 0, M = 1, ID 9
            B.ipv6(second, extensions: [(44, [0, 0x00, 0x30, 0, 0, 0, 9])]),  // offset 6 units of 8 bytes
        ]
        let records = try Self.records(B.pcap(linkType: 229, frames: frames))
        #expect(records.count == 1)
        #expect(Self.ikeBytes(records.first) == Self.ike)
    }

    @Test("A fragment that never completes is reported, not decoded")
    func incompleteFragments() throws {
        let datagram = B.udp(source: 500, destination: 500, Self.ike)
        let frames = [B.ethernet(B.ipv4(Array(datagram.prefix(64)), moreFragments: true))]
        let records = try Self.records(B.pcap(linkType: 1, frames: frames))
        #expect(records.count == 1)
        guard case .note = records.first?.content else {
            Issue.record("expected a note, got \(String(describing: records.first?.content))")
            return
        }
    }

    @Test("UDP 4500: non-ESP marker stripped, ESP and NAT-keepalive recognised (RFC 3948 §2)")
    func natTraversal() throws {
        let frames = [
            B.ethernet(B.ipv4(B.udp(source: 4500, destination: 4500, [0, 0, 0, 0] + Self.ike))),
            B.ethernet(B.ipv4(B.udp(source: 4500, destination: 4500, [0xC1, 0, 0, 1] + Array(repeating: 7, count: 40)))),
            B.ethernet(B.ipv4(B.udp(source: 4500, destination: 4500, [0xFF]))),
            B.ethernet(B.ipv4(B.udp(source: 61000, destination: 4500, [0, 0]))),
            B.ethernet(B.ipv4(B.udp(source: 1234, destination: 53, [0, 0]))),
        ]
        let records = try Self.records(B.pcap(linkType: 1, frames: frames))
        #expect(records.count == 4)
        #expect(Self.ikeBytes(records.first) == Self.ike)
        guard records.count == 4 else { return }
        if case .esp(let spi, let length) = records[1].content {
            #expect(spi == 0xC100_0001)
            #expect(length == 44)
        } else {
            Issue.record("expected ESP")
        }
        if case .natKeepalive = records[2].content {} else { Issue.record("expected a keepalive") }
        if case .note = records[3].content {} else { Issue.record("expected a note") }
    }

    @Test("Non-IP, non-UDP and other-port frames yield no record")
    func ignoredFrames() throws {
        let frames = [
            B.ethernet([1, 2, 3], etherType: 0x0806),
            B.ethernet(B.ipv4(Self.udp500, protocol: 6)),
            B.ethernet(B.ipv4(B.udp(source: 5000, destination: 5001, Self.ike))),
            B.ethernet([0x45]),
        ]
        #expect(try Self.records(B.pcap(linkType: 1, frames: frames)).isEmpty)
    }

    @Test("Hex dumps: blocks, comments, colons, 0x prefixes and the non-ESP marker")
    func hexDump() throws {
        let hex = HexText.string(Self.ike)
        let colons = stride(from: 0, to: hex.count, by: 2).map {
            String(hex[hex.index(hex.startIndex, offsetBy: $0)..<hex.index(hex.startIndex, offsetBy: $0 + 2)])
        }.joined(separator: ":")
        let text = """
            # IKE_SA_INIT request
            \(hex.prefix(40))
            # still the same message
            \(hex.dropFirst(40))

            \(colons)   # with colons

            0x00000000 \(hex)
            """
        let records = try Self.records(Array(text.utf8))
        #expect(records.count == 3)
        #expect(records.allSatisfy { Self.ikeBytes($0) == Self.ike })
        #expect(records.map(\.frameNumber) == [1, 2, 3])
    }

    @Test("A file that is neither capture nor hex is an unrecognized format")
    func garbage() {
        #expect(throws: CaptureError(.unrecognizedFormat, offset: 0)) { try Self.records(Array("hello world".utf8)) }
        #expect(throws: CaptureError(.unrecognizedFormat, offset: 0)) { try Self.records([]) }
        #expect(throws: CaptureError(.invalidFormat, offset: 0)) { try Self.records(Array("abc".utf8)) }
    }
}
