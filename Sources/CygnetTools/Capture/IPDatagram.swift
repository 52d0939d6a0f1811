/// The parts of an IPv4 or IPv6 packet the decoder needs: addresses, the upper-layer
/// protocol and its bytes, and fragment information.
struct IPDatagram {
    /// Where a fragment sits in its original datagram.
    struct Fragment: Hashable {
        /// IPv4 Identification or IPv6 fragment header Identification.
        var identification: UInt32
        /// Byte offset of this fragment's data in the reassembled payload.
        var offset: Int
        /// Whether more fragments follow (the MF / M flag).
        var hasMoreFragments: Bool
    }

    static let udp: UInt8 = 17

    /// 4 or 6.
    var version: Int
    var source: [UInt8]
    var destination: [UInt8]
    /// The upper-layer protocol after all extension headers (for a fragment, the protocol
    /// of the reassembled payload).
    var upperProtocol: UInt8
    /// The upper-layer bytes (for a fragment, this fragment's share).
    var payload: ArraySlice<UInt8>
    var fragment: Fragment?

    /// Parses an IPv4 or IPv6 packet; `nil` for anything that is not a well-formed IP
    /// packet (the decoder skips such frames, as they cannot hold IKE).
    init?(_ bytes: ArraySlice<UInt8>) {
        let packet = Array(bytes)
        guard let first = packet.first else { return nil }
        switch first >> 4 {
        case 4: self.init(ipv4: packet)
        case 6: self.init(ipv6: packet)
        default: return nil
        }
    }

    /// RFC 791 §3.1: the header is IHL 32-bit words (options included); Total Length
    /// bounds the datagram, which drops Ethernet padding.
    private init?(ipv4 packet: [UInt8]) {
        let reader = CaptureByteReader(packet)
        guard let first = reader.byte(at: 0), let totalLength = reader.uint16(at: 2),
            let identification = reader.uint16(at: 4), let flagsAndOffset = reader.uint16(at: 6),
            let proto = reader.byte(at: 9)
        else { return nil }
        let headerLength = Int(first & 0x0F) * 4
        guard headerLength >= 20, headerLength <= packet.count, Int(totalLength) >= headerLength else { return nil }
        version = 4
        source = Array(packet[12..<16])
        destination = Array(packet[16..<20])
        upperProtocol = proto
        payload = packet[headerLength..<min(Int(totalLength), packet.count)]
        let offset = Int(flagsAndOffset & 0x1FFF) * 8
        let hasMore = flagsAndOffset & 0x2000 != 0
        fragment = offset != 0 || hasMore
            ? Fragment(identification: UInt32(identification), offset: offset, hasMoreFragments: hasMore) : nil
    }

    /// RFC 8200 §4: walks Hop-by-Hop Options, Routing, Destination Options and Fragment
    /// headers (and AH, RFC 4302) to the upper-layer header.
    private init?(ipv6 packet: [UInt8]) {
        let reader = CaptureByteReader(packet)
        guard let payloadLength = reader.uint16(at: 4), let firstNext = reader.byte(at: 6), packet.count >= 40 else {
            return nil
        }
        version = 6
        source = Array(packet[8..<24])
        destination = Array(packet[24..<40])
        // A zero Payload Length means a jumbogram (RFC 2675): use what was captured.
        let end = payloadLength == 0 ? packet.count : min(packet.count, 40 + Int(payloadLength))
        var next = firstNext
        var position = 40
        var fragment: Fragment?
        walk: while true {
            switch next {
            case 0, 43, 60:  // Hop-by-Hop, Routing, Destination Options: (Hdr Ext Len + 1) * 8
                guard let following = reader.byte(at: position), let length = reader.byte(at: position + 1) else {
                    return nil
                }
                next = following
                position += (Int(length) + 1) * 8
            case 51:  // AH: (Payload Len + 2) * 4
                guard let following = reader.byte(at: position), let length = reader.byte(at: position + 1) else {
                    return nil
                }
                next = following
                position += (Int(length) + 2) * 4
            case 44:  // Fragment header, 8 bytes
                guard let following = reader.byte(at: position), let offsetAndFlags = reader.uint16(at: position + 2),
                    let identification = reader.uint32(at: position + 4)
                else { return nil }
                next = following
                position += 8
                fragment = Fragment(
                    identification: identification, offset: Int(offsetAndFlags >> 3) * 8,
                    hasMoreFragments: offsetAndFlags & 1 != 0)
                // Headers after the Fragment header belong to the fragmentable part and are
                // walked after reassembly.
                break walk
            default:
                break walk
            }
        }
        guard position <= end else { return nil }
        upperProtocol = next
        payload = packet[position..<end]
        self.fragment = fragment
    }

    /// Walks IPv6 extension headers that follow a Fragment header, in a reassembled
    /// payload: returns the upper-layer protocol and bytes.
    static func skipIPv6ExtensionHeaders(_ next: UInt8, _ payload: ArraySlice<UInt8>) -> (UInt8, ArraySlice<UInt8>)? {
        let bytes = Array(payload)
        let reader = CaptureByteReader(bytes)
        var next = next
        var position = 0
        while [0, 43, 60].contains(next) {
            guard let following = reader.byte(at: position), let length = reader.byte(at: position + 1) else {
                return nil
            }
            next = following
            position += (Int(length) + 1) * 8
        }
        guard position <= bytes.count else { return nil }
        return (next, bytes[position...])
    }
}
