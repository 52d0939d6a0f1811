/// What the data plane needs of an inner IP packet to choose or check a Child SA: its
/// addresses, protocol and ports (RFC 4301 §4.4.1.1 selectors), read without copying.
///
/// Addresses are 128-bit numbers: an IPv4 address in the low 32 bits (with
/// ``isIPv6`` false), so ranges compare as integers. For ICMP and ICMPv6 the "ports"
/// are the type and code, as RFC 7296 §3.13.1 carries them in a traffic selector
/// (type in the high byte of the start port). Ports are 0 when the packet is a later
/// fragment or its transport header is cut short (RFC 4301 §7: such packets match only
/// selectors with ANY ports).
public struct InnerIPHeader: Hashable, Sendable {
    public var isIPv6: Bool
    public var source: UInt128
    public var destination: UInt128
    /// The transport protocol (the IPv4 Protocol field, or IPv6's last Next Header).
    public var ipProtocol: UInt8
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// Whether `sourcePort`/`destinationPort` were read from a transport header.
    public var hasPorts: Bool
    /// The packet's own length from its header (IPv4 Total Length, IPv6 40 + Payload
    /// Length).
    public var totalLength: Int

    /// Reads the header of the IPv4 or IPv6 packet in `packet`; `nil` when it is neither,
    /// or shorter than its fixed header or than the length it claims.
    public init?(_ packet: UnsafeRawBufferPointer) {
        guard let first = packet.first else { return nil }
        switch first >> 4 {
        case 4:
            guard packet.count >= 20 else { return nil }
            let headerLength = Int(first & 0x0F) * 4
            let total = Int(packet[2]) << 8 | Int(packet[3])
            guard headerLength >= 20, total >= headerLength, total <= packet.count else { return nil }
            isIPv6 = false
            totalLength = total
            ipProtocol = packet[9]
            source = UInt128(Self.load32(packet, 12))
            destination = UInt128(Self.load32(packet, 16))
            let fragmentOffset = (Int(packet[6]) << 8 | Int(packet[7])) & 0x1FFF
            (sourcePort, destinationPort, hasPorts) =
                fragmentOffset == 0 ? Self.ports(packet, at: headerLength, end: total, protocol: ipProtocol) : (0, 0, false)
        case 6:
            guard packet.count >= 40 else { return nil }
            let total = 40 + (Int(packet[4]) << 8 | Int(packet[5]))
            guard total <= packet.count else { return nil }
            isIPv6 = true
            totalLength = total
            source = Self.load128(packet, 8)
            destination = Self.load128(packet, 24)
            // Walk the extension headers that carry no transport data (RFC 8200 §4).
            var next = packet[6]
            var offset = 40
            var isLaterFragment = false
            walk: while true {
                switch next {
                case 0, 43, 60:  // Hop-by-Hop, Routing, Destination Options
                    guard offset + 8 <= total else { break walk }
                    next = packet[offset]
                    offset += (Int(packet[offset + 1]) + 1) * 8
                case 44:  // Fragment
                    guard offset + 8 <= total else { break walk }
                    next = packet[offset]
                    isLaterFragment = (Int(packet[offset + 2]) << 8 | Int(packet[offset + 3])) & 0xFFF8 != 0
                    offset += 8
                default:
                    break walk
                }
            }
            ipProtocol = next
            (sourcePort, destinationPort, hasPorts) =
                isLaterFragment ? (0, 0, false) : Self.ports(packet, at: offset, end: total, protocol: next)
        default:
            return nil
        }
    }

    private static func ports(_ packet: UnsafeRawBufferPointer, at offset: Int, end: Int, protocol number: UInt8)
        -> (UInt16, UInt16, Bool)
    {
        switch number {
        case 6, 17, 132, 136:  // TCP, UDP, SCTP, UDP-Lite
            guard offset + 4 <= end else { return (0, 0, false) }
            return (UInt16(packet[offset]) << 8 | UInt16(packet[offset + 1]),
                    UInt16(packet[offset + 2]) << 8 | UInt16(packet[offset + 3]), true)
        case 1, 58:  // ICMP, ICMPv6: type and code (RFC 7296 §3.13.1)
            guard offset + 2 <= end else { return (0, 0, false) }
            let typeAndCode = UInt16(packet[offset]) << 8 | UInt16(packet[offset + 1])
            return (typeAndCode, typeAndCode, true)
        default:
            return (0, 0, false)
        }
    }

    private static func load32(_ packet: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(bigEndian: packet.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    private static func load128(_ packet: UnsafeRawBufferPointer, _ offset: Int) -> UInt128 {
        let high = UInt64(bigEndian: packet.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        let low = UInt64(bigEndian: packet.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
        return UInt128(high) << 64 | UInt128(low)
    }
}
