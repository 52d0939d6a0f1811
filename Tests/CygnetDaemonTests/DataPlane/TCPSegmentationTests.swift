import Testing

@testable import CygnetDaemon

@Suite("TSO from the TUN device: segments cut as the kernel would, checksums (RFC 1071)")
struct TCPSegmentationTests {
    func checksum(_ bytes: [UInt8]) -> UInt16 {
        bytes.withUnsafeBytes { InternetChecksum.finish(InternetChecksum.add($0)) }
    }

    @Test("RFC 1071 §3's example sums to 0xddf2; a packet with its checksum in place sums to all ones")
    func rfc1071() {
        #expect(checksum([0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]) == ~UInt16(0xDDF2))
        // Odd lengths: the last byte is the high byte of a word.
        #expect(checksum([0x01]) == ~UInt16(0x0100))
        #expect(checksum([0x00, 0x01, 0xF2]) == ~UInt16(0xF201))
    }

    static func virtio(gsoType: UInt8, gsoSize: Int, flags: UInt8 = 1, start: Int = 0, offset: Int = 0) -> VirtioNetHeader {
        var raw = [UInt8](repeating: 0, count: 10)
        raw[0] = flags
        raw[1] = gsoType
        withUnsafeBytes(of: UInt16(gsoSize)) { raw[4] = $0[0]; raw[5] = $0[1] }
        withUnsafeBytes(of: UInt16(start)) { raw[6] = $0[0]; raw[7] = $0[1] }
        withUnsafeBytes(of: UInt16(offset)) { raw[8] = $0[0]; raw[9] = $0[1] }
        return raw.withUnsafeBytes { VirtioNetHeader($0) }
    }

    /// A TCP packet with `payload` bytes: IPv4 (ID 0x1234) or IPv6, seq 1000, flags
    /// CWR|PSH|ACK|FIN.
    static func tcpPacket(ipv6: Bool, payload: Int) -> [UInt8] {
        let tcp: [UInt8] = [0x9C, 0x40, 0x14, 0x51, 0, 0, 0x03, 0xE8, 0, 0, 0, 1, 0x50, 0x80 | 0x18 | 0x01, 0xFF, 0xFF, 0, 0, 0, 0]
        let data = (0..<payload).map { UInt8(truncatingIfNeeded: $0 * 7) }
        if ipv6 {
            let length = tcp.count + payload
            return [0x60, 0, 0, 0, UInt8(length >> 8), UInt8(length & 0xFF), 6, 64]
                + [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [1]
                + [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [2] + tcp + data
        }
        let total = 20 + tcp.count + payload
        return [0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF), 0x12, 0x34, 0x40, 0, 64, 6, 0, 0, 198, 51, 100, 1, 203, 0, 113, 1]
            + tcp + data
    }

    /// The TCP checksum of a segment verifies: pseudo-header plus segment sums to all ones.
    func tcpChecksumVerifies(_ segment: [UInt8], ipv6: Bool) -> Bool {
        let tcpOffset = ipv6 ? 40 : 20
        var sum = segment.withUnsafeBytes { bytes in
            ipv6 ? InternetChecksum.add(UnsafeRawBufferPointer(rebasing: bytes[8..<40]))
                : InternetChecksum.add(UnsafeRawBufferPointer(rebasing: bytes[12..<20]))
        }
        sum &+= 6 &+ UInt64(segment.count - tcpOffset)
        sum = segment.withUnsafeBytes { InternetChecksum.add(UnsafeRawBufferPointer(rebasing: $0[tcpOffset...]), to: sum) }
        return InternetChecksum.finish(sum) == 0
    }

    @Test("4000 bytes at 1400: three segments with their lengths, IDs, sequence numbers, flags and valid checksums",
          arguments: [false, true])
    func segments(ipv6: Bool) throws {
        let packet = Self.tcpPacket(ipv6: ipv6, payload: 4000)
        let header = Self.virtio(gsoType: ipv6 ? 4 : 1, gsoSize: 1400)
        var segments: [[UInt8]] = []
        try packet.withUnsafeBytes { bytes in
            let segmentation = try #require(TCPSegmentation(bytes, header: header))
            #expect(segmentation.count == 3)
            for index in 0..<segmentation.count {
                var output = [UInt8](repeating: 0xEE, count: 1600)
                let length = output.withUnsafeMutableBytes { segmentation.writeSegment(index, into: $0) }
                #expect(length == segmentation.length(ofSegment: index))
                segments.append(Array(output.prefix(length)))
            }
        }
        let headerEnd = ipv6 ? 60 : 40
        #expect(segments.map(\.count) == [headerEnd + 1400, headerEnd + 1400, headerEnd + 1200])
        // The payloads, put back together, are the original.
        #expect(segments.flatMap { $0.dropFirst(headerEnd) } == Array(packet.dropFirst(headerEnd)))
        for (index, segment) in segments.enumerated() {
            let tcp = ipv6 ? 40 : 20
            let sequence = UInt32(segment[tcp + 4]) << 24 | UInt32(segment[tcp + 5]) << 16 | UInt32(segment[tcp + 6]) << 8
                | UInt32(segment[tcp + 7])
            #expect(sequence == 1000 + UInt32(index * 1400))
            let flags = segment[tcp + 13]
            #expect((flags & 0x80 != 0) == (index == 0), "CWR only on the first")
            #expect((flags & 0x09 != 0) == (index == 2), "FIN and PSH only on the last")
            #expect(flags & 0x10 != 0, "ACK on all")
            #expect(tcpChecksumVerifies(segment, ipv6: ipv6), "segment \(index)")
            if ipv6 {
                #expect(Int(segment[4]) << 8 | Int(segment[5]) == segment.count - 40)
            } else {
                #expect(Int(segment[2]) << 8 | Int(segment[3]) == segment.count)
                #expect(Int(segment[4]) << 8 | Int(segment[5]) == 0x1234 + index)
                #expect(checksum(Array(segment[0..<20])) == 0, "IPv4 header checksum")
            }
        }
    }

    @Test("Packets that are not what the header says are refused")
    func refused() {
        let tcp = Self.tcpPacket(ipv6: false, payload: 100)
        var udp = tcp
        udp[9] = 17
        var badOffset = Self.tcpPacket(ipv6: false, payload: 10)
        badOffset[32] = 0xF0  // a 60-byte TCP header in a 50-byte packet
        for (packet, header) in [
            (tcp, Self.virtio(gsoType: 1, gsoSize: 0)), (udp, Self.virtio(gsoType: 1, gsoSize: 1400)),
            (badOffset, Self.virtio(gsoType: 1, gsoSize: 1400)), ([UInt8](repeating: 0, count: 60), Self.virtio(gsoType: 1, gsoSize: 10)),
            (tcp, Self.virtio(gsoType: 0, gsoSize: 1400)),
        ] {
            #expect(packet.withUnsafeBytes { TCPSegmentation($0, header: header) } == nil)
        }
    }

    @Test("A partial checksum is finished from checksum_start; UDP's zero becomes all ones")
    func partialChecksum() {
        var packet = Self.tcpPacket(ipv6: false, payload: 333)
        // Store the pseudo-header's sum (not complemented), as the kernel leaves it.
        let pseudo = packet.withUnsafeBytes { InternetChecksum.add(UnsafeRawBufferPointer(rebasing: $0[12..<20])) } &+ 6 &+ UInt64(packet.count - 20)
        var folded = pseudo
        while folded >> 16 != 0 { folded = (folded & 0xFFFF) + (folded >> 16) }
        packet[36] = UInt8(folded >> 8)
        packet[37] = UInt8(folded & 0xFF)
        let ok = packet.withUnsafeMutableBytes {
            TCPSegmentation.finishChecksum($0, header: Self.virtio(gsoType: 0, gsoSize: 0, start: 20, offset: 16))
        }
        #expect(ok)
        #expect(tcpChecksumVerifies(packet, ipv6: false))
        #expect(!packet.withUnsafeMutableBytes {
            TCPSegmentation.finishChecksum($0, header: Self.virtio(gsoType: 0, gsoSize: 0, start: 20, offset: 400))
        })
    }
}
