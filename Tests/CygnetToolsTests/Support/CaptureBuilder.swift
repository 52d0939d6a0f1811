import IKEWire
import NIOCore

/// Builds packets and capture files byte by byte, for tests of the capture reader.
enum CaptureBuilder {
    static let ipv4A: [UInt8] = [192, 0, 2, 1]
    static let ipv4B: [UInt8] = [192, 0, 2, 2]
    static let ipv6A: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1]
    static let ipv6B: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [2]

    // MARK: IKE

    /// An IKE_SA_INIT request like strongSwan's.
    static func saInitMessage(messageID: UInt32 = 0) -> IKEMessage {
        IKEMessage(
            header: IKEHeader(
                initiatorSPI: 0x9c0e_115e_afdb_fdd0, exchangeType: .ikeSAInit, flags: .initiator, messageID: messageID),
            payloads: [
                .securityAssociation(
                    SecurityAssociationPayload(proposals: [
                        Proposal(
                            number: 1, protocolID: .ike,
                            transforms: [
                                Transform(EncryptionAlgorithmID.aesGCM16, keyLength: 256), Transform(PseudorandomFunctionID.hmacSHA2_256),
                                Transform(KeyExchangeMethodID.curve25519),
                            ])
                    ])),
                .keyExchange(KeyExchangePayload(method: .curve25519, data: Array(repeating: 0xAB, count: 32))),
                .nonce(NoncePayload(data: Array(repeating: 0x11, count: 32))),
                .notify(NotifyPayload(type: .natDetectionSourceIP, data: Array(0..<20))),
                .notify(NotifyPayload(type: .signatureHashAlgorithms, data: [0, 2, 0, 3, 0, 4])),
                .vendorID(VendorIDPayload(data: hex("882fe56d6fd20dbc2251613b2ebe5beb"))),
            ])
    }

    static func saInitBytes(messageID: UInt32 = 0) -> [UInt8] {
        encode(saInitMessage(messageID: messageID))
    }

    static func encode(_ message: IKEMessage) -> [UInt8] {
        guard let buffer = try? message.encoded() else { return [] }
        return Array(buffer.readableBytesView)
    }

    // MARK: Network layers

    static func udp(source: UInt16, destination: UInt16, _ payload: [UInt8]) -> [UInt8] {
        be16(source) + be16(destination) + be16(UInt16(payload.count + 8)) + [0, 0] + payload
    }

    static func ipv4(
        _ payload: [UInt8], protocol proto: UInt8 = 17, options: [UInt8] = [], identification: UInt16 = 0x1234,
        fragmentOffset: Int = 0, moreFragments: Bool = false, source: [UInt8] = ipv4A, destination: [UInt8] = ipv4B
    ) -> [UInt8] {
        let headerLength = 20 + options.count
        let flags = UInt16(fragmentOffset / 8) | (moreFragments ? 0x2000 : 0)
        return [0x40 | UInt8(headerLength / 4), 0] + be16(UInt16(headerLength + payload.count)) + be16(identification)
            + be16(flags) + [64, proto, 0, 0] + source + destination + options + payload
    }

    /// IPv6 with the given extension headers (each: next-header value it is announced by,
    /// bytes) in front of the payload.
    static func ipv6(_ payload: [UInt8], extensions: [(type: UInt8, body: [UInt8])] = [], upper: UInt8 = 17) -> [UInt8] {
        var chain: [UInt8] = []
        for (index, ext) in extensions.enumerated() {
            let next = index + 1 < extensions.count ? extensions[index + 1].type : upper
            chain += [next] + ext.body
        }
        let first = extensions.first?.type ?? upper
        return [0x60, 0, 0, 0] + be16(UInt16(chain.count + payload.count)) + [first, 64] + ipv6A + ipv6B + chain
            + payload
    }

    /// An 8-byte options header (hop-by-hop or destination options) with PadN.
    static let optionsHeaderBody: [UInt8] = [0, 1, 4, 0, 0, 0, 0]
    /// A Fragment header body for an unfragmented packet (offset 0, M = 0).
    static let atomicFragmentBody: [UInt8] = [0, 0, 0, 0, 0, 0, 42]

    static func ethernet(_ packet: [UInt8], etherType: UInt16 = 0x0800, vlanTags: [UInt16] = []) -> [UInt8] {
        var frame = Array(repeating: UInt8(0x02), count: 6) + Array(repeating: UInt8(0x04), count: 6)
        for tag in vlanTags { frame += be16(0x8100) + be16(tag) }
        frame += be16(etherType) + packet
        // Pad to the 60-byte Ethernet minimum, as a capture of a short frame shows.
        if frame.count < 60 { frame += Array(repeating: 0, count: 60 - frame.count) }
        return frame
    }

    static func linuxSLL(_ packet: [UInt8], protocol proto: UInt16 = 0x0800) -> [UInt8] {
        [0, 0, 0, 1, 0, 6] + Array(repeating: 0x02, count: 6) + [0, 0] + be16(proto) + packet
    }

    static func linuxSLL2(_ packet: [UInt8], protocol proto: UInt16 = 0x0800) -> [UInt8] {
        be16(proto) + [0, 0] + [0, 0, 0, 2] + [0, 1] + [4, 6] + Array(repeating: 0x02, count: 6) + [0, 0] + packet
    }

    static func null(_ packet: [UInt8], family: UInt32 = 2) -> [UInt8] {
        [UInt8(family & 0xFF), 0, 0, 0] + packet
    }

    // MARK: Files

    /// A classic pcap file.
    static func pcap(
        linkType: UInt32, frames: [[UInt8]], littleEndian: Bool = true, nanoseconds: Bool = false
    ) -> [UInt8] {
        func put32(_ value: UInt32) -> [UInt8] { littleEndian ? le32(value) : be32(value) }
        func put16(_ value: UInt16) -> [UInt8] { littleEndian ? le16(value) : be16(value) }
        var file = put32(nanoseconds ? 0xA1B2_3C4D : 0xA1B2_C3D4) + put16(2) + put16(4) + put32(0) + put32(0)
        file += put32(65535) + put32(linkType)
        for (index, frame) in frames.enumerated() {
            file += put32(1_700_000_000 + UInt32(index)) + put32(nanoseconds ? 123_456_789 : 123_456)
            file += put32(UInt32(frame.count)) + put32(UInt32(frame.count)) + frame
        }
        return file
    }

    /// A pcapng file: one section with the given interfaces, then one Enhanced Packet
    /// Block per frame (interface index, bytes); `simple` frames use Simple Packet Blocks.
    static func pcapng(
        linkTypes: [UInt16], frames: [(interface: UInt32, data: [UInt8])], littleEndian: Bool = true,
        simple: Bool = false, unknownBlockFirst: Bool = false
    ) -> [UInt8] {
        func put32(_ value: UInt32) -> [UInt8] { littleEndian ? le32(value) : be32(value) }
        func put16(_ value: UInt16) -> [UInt8] { littleEndian ? le16(value) : be16(value) }
        func block(_ type: UInt32, _ body: [UInt8]) -> [UInt8] {
            let padded = body + Array(repeating: 0, count: (4 - body.count % 4) % 4)
            let length = UInt32(padded.count + 12)
            return put32(type) + put32(length) + padded + put32(length)
        }
        var file = block(0x0A0D_0D0A, put32(0x1A2B_3C4D) + put16(1) + put16(0) + Array(repeating: 0xFF, count: 8))
        if unknownBlockFirst { file += block(0x0BAD_0001, [1, 2, 3, 4, 5]) }
        for linkType in linkTypes {
            // if_tsresol = 9 (nanoseconds), then opt_endofopt.
            file += block(1, put16(linkType) + put16(0) + put32(0) + put16(9) + put16(1) + [9, 0, 0, 0] + [0, 0, 0, 0])
        }
        for (index, frame) in frames.enumerated() {
            if simple {
                file += block(3, put32(UInt32(frame.data.count)) + frame.data)
            } else {
                let time = UInt64(1_700_000_000 + index) * 1_000_000_000 + 5
                file += block(
                    6,
                    put32(frame.interface) + put32(UInt32(time >> 32)) + put32(UInt32(time & 0xFFFF_FFFF))
                        + put32(UInt32(frame.data.count)) + put32(UInt32(frame.data.count)) + frame.data)
            }
        }
        return file
    }

    // MARK: Bytes

    static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    static func le16(_ value: UInt16) -> [UInt8] { be16(value).reversed() }
    static func be32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
    static func le32(_ value: UInt32) -> [UInt8] { be32(value).reversed() }

    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8)
        return stride(from: 0, to: digits.count - 1, by: 2).compactMap {
            UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)
        }
    }
}
