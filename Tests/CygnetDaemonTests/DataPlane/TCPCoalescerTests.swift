import Testing

@testable import CygnetDaemon

@Suite("Receive-side TCP merging (GRO before the TUN write)")
struct TCPCoalescerTests {
    /// The segments of a 4000-byte IPv4 or IPv6 TCP packet cut at 1400, each behind a
    /// DATA_VALID virtio-net header, as the inbound path delivers them.
    static func delivered(ipv6: Bool, payload: Int = 4000, flags: UInt8? = nil) throws -> [[UInt8]] {
        var packet = TCPSegmentationTests.tcpPacket(ipv6: ipv6, payload: payload)
        let tcp = ipv6 ? 40 : 20
        packet[tcp + 13] = flags ?? 0x10  // ACK
        let header = TCPSegmentationTests.virtio(gsoType: ipv6 ? 4 : 1, gsoSize: 1400)
        return try packet.withUnsafeBytes { bytes in
            let segmentation = try #require(TCPSegmentation(bytes, header: header))
            return (0..<segmentation.count).map { index in
                var output = [UInt8](repeating: 0, count: 1600)
                let length = output.withUnsafeMutableBytes { segmentation.writeSegment(index, into: $0) }
                return [VirtioNetHeader.dataValid] + [UInt8](repeating: 0, count: 9) + output.prefix(length)
            }
        }
    }

    static func run(_ packets: [[UInt8]]) -> [[UInt8]] {
        var coalescer = TCPCoalescer()
        defer { coalescer.deallocate() }
        var written: [[UInt8]] = []
        for packet in packets {
            packet.withUnsafeBytes { coalescer.add($0) { written.append(Array($0)) } }
        }
        coalescer.flush { written.append(Array($0)) }
        return written
    }

    @Test("Consecutive segments become one GSO packet; cut again, it gives back the very segments", arguments: [false, true])
    func mergeAndResegment(ipv6: Bool) throws {
        let segments = try Self.delivered(ipv6: ipv6)
        let written = Self.run(segments)
        try #require(written.count == 1)
        let merged = written[0]
        let header = merged.withUnsafeBytes { VirtioNetHeader($0) }
        #expect(header.isTCPSegmentation && header.gsoSize == 1400)
        #expect(header.flags == VirtioNetHeader.needsChecksum && header.checksumStart == (ipv6 ? 40 : 20) && header.checksumOffset == 16)
        let ip = Array(merged.dropFirst(VirtioNetHeader.length))
        #expect(ip.count == (ipv6 ? 60 : 40) + 4000)
        // The kernel would cut it like this (and finish the checksums): the originals.
        let again: [[UInt8]] = try ip.withUnsafeBytes { bytes in
            let segmentation = try #require(TCPSegmentation(bytes, header: header))
            return (0..<segmentation.count).map { index in
                var output = [UInt8](repeating: 0, count: 1600)
                let length = output.withUnsafeMutableBytes { segmentation.writeSegment(index, into: $0) }
                return Array(output.prefix(length))
            }
        }
        #expect(again == segments.map { Array($0.dropFirst(VirtioNetHeader.length)) })
    }

    @Test("A gap, another flow or a non-TCP packet ends the merge; everything comes out once, in order")
    func boundaries() throws {
        let segments = try Self.delivered(ipv6: false)
        // Without the middle segment: the first and last cannot join.
        #expect(Self.run([segments[0], segments[2]]) == [segments[0], segments[2]])
        // A different flow in between: written as it came.
        var other = segments[1]
        other[VirtioNetHeader.length + 19] ^= 1  // destination address
        let mixed = Self.run([segments[0], other, segments[1], segments[2]])
        #expect(mixed.count == 3)
        #expect(mixed[0] == segments[0] && mixed[1] == other)
        // A pure ACK (no data) and a SYN never merge.
        let ack = try Self.delivered(ipv6: false, payload: 0)
        #expect(Self.run(ack) == ack)
        let syn = try Self.delivered(ipv6: false, payload: 100, flags: 0x02)
        #expect(Self.run(syn) == syn)
    }

    @Test("A PSH segment is the last of its merge")
    func push() throws {
        let segments = try Self.delivered(ipv6: false, payload: 5600, flags: 0x18)
        // TCPSegmentation keeps PSH on the last segment only: four segments merge into one.
        let written = Self.run(segments + segments.prefix(1))
        #expect(written.count == 2)
        #expect(written[1] == segments[0])
    }
}
