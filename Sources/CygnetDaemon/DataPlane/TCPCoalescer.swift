import Glibc

/// Merges consecutive TCP segments of one flow, as they come out of one receive batch,
/// into a single packet the TUN device takes with a virtio-net GSO header: one write and
/// one pass through the stack instead of one per segment (the kernel's GRO, which does
/// not see our writes one by one, done before the write).
///
/// Only plain data segments merge: IPv4 without options or IPv6 without extension
/// headers, not fragmented, ACK with or without PSH and no other flag, the same headers
/// (addresses, ports, TTL, TOS, acknowledgement, window, options), each starting where
/// the previous ended, all of the first one's size but the last. A PSH or a short segment
/// ends a merge. Everything else is written as it came, in order.
struct TCPCoalescer {
    /// The merged packet, behind room for its virtio-net header.
    private let buffer: UnsafeMutableRawBufferPointer
    private var length = 0
    private var segments = 0
    private var segmentSize = 0
    private var headerLength = 0
    private var tcpOffset = 0
    private var isIPv6 = false
    private var nextSequence: UInt32 = 0

    static let maximumLength = 65_535

    init() {
        buffer = .allocate(byteCount: VirtioNetHeader.length + Self.maximumLength, alignment: 64)
    }

    func deallocate() { buffer.deallocate() }

    private var packet: UnsafeMutableRawBufferPointer {
        buffer.slice(VirtioNetHeader.length..<VirtioNetHeader.length + Self.maximumLength)
    }

    /// Takes one delivered packet (virtio-net header, then the IP packet), merging it or
    /// writing it (and what it cannot join) through `write`.
    mutating func add(_ delivered: UnsafeRawBufferPointer, write: (UnsafeRawBufferPointer) -> Void) {
        let ip = UnsafeRawBufferPointer(rebasing: delivered[VirtioNetHeader.length...])
        guard let segment = Segment(ip) else {
            flush(write: write)
            write(delivered)
            return
        }
        if segments > 0, canAppend(segment, ip) {
            let payload = ip.count - segment.headerLength
            (packet.baseAddress! + length).copyMemory(from: ip.baseAddress! + segment.headerLength, byteCount: payload)
            length += payload
            segments += 1
            nextSequence &+= UInt32(payload)
            if segment.isPush {
                packet[tcpOffset + 13] |= 0x08
                flush(write: write)
            } else if payload < segmentSize {
                flush(write: write)
            }
            return
        }
        flush(write: write)
        packet.baseAddress!.copyMemory(from: ip.baseAddress!, byteCount: ip.count)
        length = ip.count
        segments = 1
        headerLength = segment.headerLength
        tcpOffset = segment.tcpOffset
        isIPv6 = segment.isIPv6
        segmentSize = ip.count - segment.headerLength
        nextSequence = segment.sequence &+ UInt32(segmentSize)
        if segment.isPush { flush(write: write) }
    }

    private func canAppend(_ segment: Segment, _ ip: UnsafeRawBufferPointer) -> Bool {
        let payload = ip.count - segment.headerLength
        guard segment.isIPv6 == isIPv6, segment.headerLength == headerLength, segment.sequence == nextSequence,
            payload <= segmentSize, length + payload <= Self.maximumLength
        else { return false }
        let merged = UnsafeRawBufferPointer(packet)
        // The IP header but its lengths, identification and checksum.
        let same: [Range<Int>] = isIPv6
            ? [0..<4, 6..<40] : [0..<2, 6..<10, 12..<20]
        for range in same where !Self.equal(merged, ip, range) { return false }
        // TCP: ports, then acknowledgement, offset and flags, window; then the options.
        return Self.equal(merged, ip, tcpOffset..<tcpOffset + 4)
            && Self.equal(merged, ip, tcpOffset + 8..<tcpOffset + 16)
            && Self.equal(merged, ip, tcpOffset + 20..<headerLength)
    }

    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        range.isEmpty || memcmp(a.baseAddress! + range.lowerBound, b.baseAddress! + range.lowerBound, range.count) == 0
    }

    /// Writes what is being merged, if anything.
    mutating func flush(write: (UnsafeRawBufferPointer) -> Void) {
        defer { segments = 0 }
        guard segments > 0 else { return }
        let header = buffer.slice(0..<VirtioNetHeader.length)
        if segments == 1 {
            VirtioNetHeader.writeDelivery(into: header)
        } else {
            if isIPv6 {
                packet.storeBytes(of: UInt16(length - 40).bigEndian, toByteOffset: 4, as: UInt16.self)
            } else {
                packet.storeBytes(of: UInt16(length).bigEndian, toByteOffset: 2, as: UInt16.self)
                packet.storeBytes(of: UInt16(0), toByteOffset: 10, as: UInt16.self)
                let sum = InternetChecksum.add(UnsafeRawBufferPointer(packet.slice(0..<tcpOffset)))
                packet.storeBytes(of: InternetChecksum.finish(sum).bigEndian, toByteOffset: 10, as: UInt16.self)
            }
            // CHECKSUM_PARTIAL: the field holds the pseudo-header's sum, uncomplemented.
            let view = UnsafeRawBufferPointer(packet)
            var sum = isIPv6
                ? InternetChecksum.add(UnsafeRawBufferPointer(rebasing: view[8..<40]))
                : InternetChecksum.add(UnsafeRawBufferPointer(rebasing: view[12..<20]))
            sum &+= 6 &+ UInt64(length - tcpOffset)
            packet.storeBytes(of: (~InternetChecksum.finish(sum)).bigEndian, toByteOffset: tcpOffset + 16, as: UInt16.self)
            VirtioNetHeader.writeSegmentation(
                into: header, isIPv6: isIPv6, headerLength: headerLength, segmentSize: segmentSize, checksumStart: tcpOffset)
        }
        write(UnsafeRawBufferPointer(buffer.slice(0..<VirtioNetHeader.length + length)))
    }

    /// A TCP data segment that may merge.
    struct Segment {
        var isIPv6: Bool
        var tcpOffset: Int
        var headerLength: Int
        var sequence: UInt32
        var isPush: Bool

        init?(_ ip: UnsafeRawBufferPointer) {
            guard let first = ip.first else { return nil }
            if first == 0x45 {
                // No options, TCP, not a fragment, its own length.
                guard ip.count >= 40, ip[9] == 6, ip[6] & 0x3F == 0, ip[7] == 0,
                    Int(ip[2]) << 8 | Int(ip[3]) == ip.count
                else { return nil }
                isIPv6 = false
                tcpOffset = 20
            } else if first >> 4 == 6 {
                guard ip.count >= 60, ip[6] == 6, 40 + (Int(ip[4]) << 8 | Int(ip[5])) == ip.count else { return nil }
                isIPv6 = true
                tcpOffset = 40
            } else {
                return nil
            }
            let tcpHeaderLength = Int(ip[tcpOffset + 12] >> 4) * 4
            let flags = ip[tcpOffset + 13]
            // ACK, maybe PSH, nothing else; and data.
            guard tcpHeaderLength >= 20, flags & ~0x08 == 0x10, tcpOffset + tcpHeaderLength < ip.count else { return nil }
            headerLength = tcpOffset + tcpHeaderLength
            sequence = UInt32(bigEndian: ip.loadUnaligned(fromByteOffset: tcpOffset + 4, as: UInt32.self))
            isPush = flags & 0x08 != 0
        }
    }
}
