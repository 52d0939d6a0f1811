/// The `virtio_net_hdr` (10 bytes, the host's byte order) in front of every packet on a
/// TUN device opened with IFF_VNET_HDR: on reads it says whether the kernel left TCP
/// segmentation (TSO) or a checksum to us; on writes we say the packet is whole and, ESP
/// having authenticated it, needs no checksum check (DATA_VALID).
struct VirtioNetHeader: Hashable, Sendable {
    static let length = 10
    /// VIRTIO_NET_HDR_F_NEEDS_CSUM: the checksum at `checksumStart + checksumOffset` holds
    /// only the pseudo-header's sum; the rest is ours to add.
    static let needsChecksum: UInt8 = 1
    /// VIRTIO_NET_HDR_F_DATA_VALID.
    static let dataValid: UInt8 = 2
    static let gsoTCPv4: UInt8 = 1
    static let gsoTCPv6: UInt8 = 4
    static let gsoECN: UInt8 = 0x80

    var flags: UInt8
    var gsoType: UInt8
    var gsoSize: Int
    var checksumStart: Int
    var checksumOffset: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        flags = bytes[0]
        gsoType = bytes[1]
        gsoSize = Int(bytes.loadUnaligned(fromByteOffset: 4, as: UInt16.self))
        checksumStart = Int(bytes.loadUnaligned(fromByteOffset: 6, as: UInt16.self))
        checksumOffset = Int(bytes.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
    }

    /// Whether the packet is a TCP segment of up to 64 KiB to cut at `gsoSize`.
    var isTCPSegmentation: Bool {
        let type = gsoType & ~Self.gsoECN
        return type == Self.gsoTCPv4 || type == Self.gsoTCPv6
    }

    var isPlain: Bool { gsoType == 0 }

    /// Writes the header of a merged TCP packet (``TCPCoalescer``): segmentation at
    /// `segmentSize`, the TCP checksum to finish from `checksumStart`.
    static func writeSegmentation(
        into bytes: UnsafeMutableRawBufferPointer, isIPv6: Bool, headerLength: Int, segmentSize: Int, checksumStart: Int
    ) {
        bytes[0] = needsChecksum
        bytes[1] = isIPv6 ? gsoTCPv6 : gsoTCPv4
        bytes.storeBytes(of: UInt16(headerLength), toByteOffset: 2, as: UInt16.self)
        bytes.storeBytes(of: UInt16(segmentSize), toByteOffset: 4, as: UInt16.self)
        bytes.storeBytes(of: UInt16(checksumStart), toByteOffset: 6, as: UInt16.self)
        bytes.storeBytes(of: UInt16(16), toByteOffset: 8, as: UInt16.self)
    }

    /// Writes the header of a packet we deliver: no segmentation, checksum verified.
    static func writeDelivery(into bytes: UnsafeMutableRawBufferPointer) {
        bytes.storeBytes(of: UInt64(0), toByteOffset: 0, as: UInt64.self)
        bytes.storeBytes(of: UInt16(0), toByteOffset: 8, as: UInt16.self)
        bytes[0] = dataValid
    }
}
