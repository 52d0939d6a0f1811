/// A TCP packet of up to 64 KiB that the kernel left for us to segment (TSO through a
/// TUN device with IFF_VNET_HDR), cut the way the kernel's own `tcp_gso_segment` would:
/// each segment has the headers with its own IPv4 total length, identification and
/// header checksum (or IPv6 payload length), its sequence number, FIN and PSH only on the
/// last segment and CWR only on the first, and a TCP checksum of its own.
struct TCPSegmentation {
    let packet: UnsafeRawBufferPointer
    let isIPv6: Bool
    let tcpOffset: Int
    let headerEnd: Int
    let segmentSize: Int
    let count: Int

    /// `nil` when the packet is not the IPv4 or IPv6 TCP packet the header announces, or
    /// its lengths disagree (the packet is then dropped).
    init?(_ packet: UnsafeRawBufferPointer, header: VirtioNetHeader) {
        guard header.isTCPSegmentation, header.gsoSize > 0, let first = packet.first else { return nil }
        switch first >> 4 {
        case 4:
            let ihl = Int(first & 0x0F) * 4
            guard ihl >= 20, packet.count >= ihl + 20, packet[9] == 6 else { return nil }
            isIPv6 = false
            tcpOffset = ihl
        case 6:
            // Extension headers before TCP are not segmented here (the kernel sends them
            // rarely with TSO); such a packet is dropped.
            guard packet.count >= 60, packet[6] == 6 else { return nil }
            isIPv6 = true
            tcpOffset = 40
        default:
            return nil
        }
        let tcpHeaderLength = Int(packet[tcpOffset + 12] >> 4) * 4
        guard tcpHeaderLength >= 20, tcpOffset + tcpHeaderLength <= packet.count else { return nil }
        self.packet = packet
        headerEnd = tcpOffset + tcpHeaderLength
        segmentSize = header.gsoSize
        let payload = packet.count - headerEnd
        count = max(1, (payload + segmentSize - 1) / segmentSize)
    }

    /// The length of segment `index` once written.
    func length(ofSegment index: Int) -> Int {
        headerEnd + min(segmentSize, packet.count - headerEnd - index * segmentSize)
    }

    /// Writes segment `index` at the start of `output` (at least ``length(ofSegment:)``
    /// bytes) and returns its length.
    func writeSegment(_ index: Int, into output: UnsafeMutableRawBufferPointer) -> Int {
        let payloadStart = headerEnd + index * segmentSize
        let payloadLength = min(segmentSize, packet.count - payloadStart)
        let total = headerEnd + payloadLength
        output.baseAddress!.copyMemory(from: packet.baseAddress!, byteCount: headerEnd)
        (output.baseAddress! + headerEnd).copyMemory(from: packet.baseAddress! + payloadStart, byteCount: payloadLength)
        let isLast = index == count - 1
        if isIPv6 {
            output.storeBytes(of: UInt16(total - 40).bigEndian, toByteOffset: 4, as: UInt16.self)
        } else {
            output.storeBytes(of: UInt16(total).bigEndian, toByteOffset: 2, as: UInt16.self)
            let identification = UInt16(bigEndian: packet.loadUnaligned(fromByteOffset: 4, as: UInt16.self))
            output.storeBytes(of: (identification &+ UInt16(truncatingIfNeeded: index)).bigEndian, toByteOffset: 4, as: UInt16.self)
            output.storeBytes(of: UInt16(0), toByteOffset: 10, as: UInt16.self)
            let headerSum = InternetChecksum.add(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(output)[0..<tcpOffset]))
            output.storeBytes(of: InternetChecksum.finish(headerSum).bigEndian, toByteOffset: 10, as: UInt16.self)
        }
        let sequence = UInt32(bigEndian: packet.loadUnaligned(fromByteOffset: tcpOffset + 4, as: UInt32.self))
        output.storeBytes(
            of: (sequence &+ UInt32(truncatingIfNeeded: index * segmentSize)).bigEndian, toByteOffset: tcpOffset + 4,
            as: UInt32.self)
        var flags = packet[tcpOffset + 13]
        if !isLast { flags &= ~0x09 }  // FIN, PSH
        if index > 0 { flags &= ~0x80 }  // CWR
        output[tcpOffset + 13] = flags
        // The TCP checksum from scratch: pseudo-header (RFC 9293 §3.1, RFC 8200 §8.1),
        // then the segment with the checksum field zero.
        output.storeBytes(of: UInt16(0), toByteOffset: tcpOffset + 16, as: UInt16.self)
        let tcpLength = total - tcpOffset
        let view = UnsafeRawBufferPointer(output)
        var sum = isIPv6
            ? InternetChecksum.add(UnsafeRawBufferPointer(rebasing: view[8..<40]))
            : InternetChecksum.add(UnsafeRawBufferPointer(rebasing: view[12..<20]))
        sum &+= 6 &+ UInt64(tcpLength)
        sum = InternetChecksum.add(UnsafeRawBufferPointer(rebasing: view[tcpOffset..<total]), to: sum)
        output.storeBytes(of: InternetChecksum.finish(sum).bigEndian, toByteOffset: tcpOffset + 16, as: UInt16.self)
        return total
    }

    /// Completes a partial checksum the kernel left (VIRTIO_NET_HDR_F_NEEDS_CSUM): the
    /// field already holds the pseudo-header's sum; add everything from `checksumStart`.
    /// Returns false when the offsets fall outside the packet.
    static func finishChecksum(_ packet: UnsafeMutableRawBufferPointer, header: VirtioNetHeader) -> Bool {
        let start = header.checksumStart
        let field = start + header.checksumOffset
        guard start < packet.count, field + 2 <= packet.count else { return false }
        let sum = InternetChecksum.add(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(packet)[start..<packet.count]))
        var checksum = InternetChecksum.finish(sum)
        // RFC 768: a UDP checksum of zero is sent as all ones.
        if checksum == 0, header.checksumOffset == 6 { checksum = 0xFFFF }
        packet.storeBytes(of: checksum.bigEndian, toByteOffset: field, as: UInt16.self)
        return true
    }
}
