/// The IP header of a transport-mode packet (RFC 4303 §3.1.1): the part that stays in
/// front of ESP, and the field in it that names what follows.
///
/// ```
///  IPv4   |orig IP hdr (any options)| ESP | TCP | Data | ESP Trailer | ESP ICV |
///  IPv6   |orig IP hdr | hop-by-hop, dest*, routing | ESP | dest | TCP | Data | ... |
/// ```
/// (RFC 4303 §3.1.1; `dest*` are Destination Options for the intermediate destinations
/// of a Routing header.)
///
/// On output, ``init(outbound:)`` finds the upper-layer payload ESP protects and its
/// protocol (ESP's Next Header); ``rewrite(_:nextHeader:payloadLength:)`` then makes the
/// header announce ESP (50) with the new lengths. On input, ``init(inbound:)`` finds the
/// ESP packet after the header, and ``rewrite(_:nextHeader:payloadLength:)`` restores the
/// protocol and lengths of the packet that was protected. IPv4's header checksum is
/// recomputed each time.
///
/// Limits: IPv6 extension headers are walked only as far as ESP's position needs:
/// Hop-by-Hop Options and Routing headers (and Destination Options directly before a
/// Routing header) stay in front of ESP; everything else, Destination Options for the
/// final destination included, is protected as payload, which RFC 4303 §3.1.1 allows ("the
/// destination options extension header(s) could appear before, after, or both before
/// and after the ESP header"). AH, jumbograms (RFC 2675) and fragments are refused.
public struct ESPTransportHeader: Hashable, Sendable {
    /// The IP version of the header.
    public enum Version: Hashable, Sendable {
        case ipv4
        case ipv6
    }

    public let version: Version
    /// Bytes of IP header in front of the payload (IPv4 with its options; IPv6's fixed
    /// header with the extension headers that precede ESP).
    public let length: Int
    /// Where, in the header, the byte naming what follows it lies: IPv4's Protocol (9),
    /// or the Next Header of IPv6's last header kept (6 without extension headers).
    public let protocolFieldOffset: Int
    /// What follows the header: the upper-layer protocol of an outbound packet, which
    /// becomes ESP's Next Header; ``ESPNextHeader/esp`` for an inbound one.
    public let nextHeader: ESPNextHeader

    // IANA protocol numbers of the IPv6 extension headers walked here (RFC 8200 §4).
    private static let hopByHop: UInt8 = 0
    private static let routing: UInt8 = 43
    private static let fragment: UInt8 = 44
    private static let destinationOptions: UInt8 = 60

    /// Parses an outbound IP packet (what the TUN device hands over) for transport mode.
    ///
    /// - Throws: ``ESPError/Code/ipFragment`` for a fragment: RFC 4303 §3.3.4, "ESP is
    ///   applied only to whole IP datagrams (not to IP fragments)";
    ///   ``ESPError/Code/malformedIPPacket`` for anything that is not a whole IPv4 or
    ///   IPv6 packet of exactly `packet.count` bytes.
    public init(outbound packet: UnsafeRawBufferPointer) throws(ESPError) {
        self = try Self.parse(packet, inbound: false)
    }

    /// Parses a received IP packet whose payload is ESP in transport mode.
    ///
    /// - Throws: ``ESPError/Code/ipFragment`` for a fragment (RFC 4303 §3.4.1: "If
    ///   required, reassembly is performed prior to IPsec processing"), or
    ///   ``ESPError/Code/malformedIPPacket`` when the packet is not whole or ESP is not
    ///   where this type looks for it.
    public init(inbound packet: UnsafeRawBufferPointer) throws(ESPError) {
        self = try Self.parse(packet, inbound: true)
    }

    private init(version: Version, length: Int, protocolFieldOffset: Int, nextHeader: ESPNextHeader) {
        self.version = version
        self.length = length
        self.protocolFieldOffset = protocolFieldOffset
        self.nextHeader = nextHeader
    }

    /// Rewrites the header at the start of `header` for a packet whose payload (after
    /// ``length`` bytes of header) is now `payloadLength` bytes of `nextHeader`: the
    /// protocol field, IPv4's Total Length and Header Checksum, or IPv6's Payload Length.
    ///
    /// - Throws: ``ESPError/Code/malformedIPPacket`` if `header` is shorter than
    ///   ``length`` or the new packet would exceed 65535 bytes (IPv4) or a 65535-byte
    ///   payload (IPv6).
    public func rewrite(
        _ header: UnsafeMutableRawBufferPointer, nextHeader: ESPNextHeader, payloadLength: Int
    ) throws(ESPError) {
        guard header.count >= length, payloadLength >= 0 else {
            throw ESPError(.malformedIPPacket, "\(header.count)-byte header buffer, \(length) needed")
        }
        switch version {
        case .ipv4:
            let total = length + payloadLength
            guard total <= 0xFFFF else { throw ESPError(.malformedIPPacket, "IPv4 packet of \(total) bytes") }
            header[protocolFieldOffset] = nextHeader.rawValue
            header[2] = UInt8(truncatingIfNeeded: total >> 8)
            header[3] = UInt8(truncatingIfNeeded: total)
            header[10] = 0
            header[11] = 0
            let checksum = Self.internetChecksum(UnsafeRawBufferPointer(rebasing: header[0..<length]))
            header[10] = UInt8(truncatingIfNeeded: checksum >> 8)
            header[11] = UInt8(truncatingIfNeeded: checksum)
        case .ipv6:
            let payload = length - 40 + payloadLength
            guard payload <= 0xFFFF else { throw ESPError(.malformedIPPacket, "IPv6 payload of \(payload) bytes") }
            header[protocolFieldOffset] = nextHeader.rawValue
            header[4] = UInt8(truncatingIfNeeded: payload >> 8)
            header[5] = UInt8(truncatingIfNeeded: payload)
        }
    }

    /// The Internet checksum (RFC 1071) of an IPv4 header whose checksum field is zero.
    static func internetChecksum(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum &+= UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum &+= UInt32(bytes[index]) << 8 }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) &+ (sum >> 16) }
        return ~UInt16(truncatingIfNeeded: sum)
    }

    private static func parse(_ packet: UnsafeRawBufferPointer, inbound: Bool) throws(ESPError) -> ESPTransportHeader {
        guard let first = packet.first else { throw ESPError(.malformedIPPacket, "empty packet") }
        switch first >> 4 {
        case 4: return try parseIPv4(packet, inbound: inbound)
        case 6: return try parseIPv6(packet, inbound: inbound)
        default: throw ESPError(.malformedIPPacket, "IP version \(first >> 4)")
        }
    }

    private static func parseIPv4(_ packet: UnsafeRawBufferPointer, inbound: Bool) throws(ESPError) -> ESPTransportHeader {
        // RFC 791 §3.1: IHL in 32-bit words, at least 5; Total Length at 2; flags and
        // Fragment Offset at 6; Protocol at 9.
        guard packet.count >= 20 else { throw ESPError(.malformedIPPacket, "\(packet.count)-byte IPv4 packet") }
        let headerLength = Int(packet[0] & 0x0F) * 4
        let total = Int(packet[2]) << 8 | Int(packet[3])
        guard headerLength >= 20, headerLength <= packet.count, total == packet.count else {
            throw ESPError(
                .malformedIPPacket, "IPv4 header \(headerLength) bytes, Total Length \(total), \(packet.count) received")
        }
        let moreFragments = packet[6] & 0x20 != 0
        let offset = Int(packet[6] & 0x1F) << 8 | Int(packet[7])
        guard !moreFragments, offset == 0 else {
            throw ESPError(.ipFragment, "IPv4 fragment at offset \(offset * 8)")
        }
        let protocolNumber = ESPNextHeader(rawValue: packet[9])
        if inbound, protocolNumber != .esp {
            throw ESPError(.malformedIPPacket, "IPv4 Protocol \(protocolNumber), not ESP")
        }
        return ESPTransportHeader(version: .ipv4, length: headerLength, protocolFieldOffset: 9, nextHeader: protocolNumber)
    }

    private static func parseIPv6(_ packet: UnsafeRawBufferPointer, inbound: Bool) throws(ESPError) -> ESPTransportHeader {
        // RFC 8200 §3: 40-byte fixed header, Payload Length at 4, Next Header at 6.
        guard packet.count >= 40 else { throw ESPError(.malformedIPPacket, "\(packet.count)-byte IPv6 packet") }
        let payloadLength = Int(packet[4]) << 8 | Int(packet[5])
        guard payloadLength > 0, 40 + payloadLength == packet.count else {
            throw ESPError(.malformedIPPacket, "IPv6 Payload Length \(payloadLength), \(packet.count) bytes received")
        }
        var fieldOffset = 6
        var offset = 40
        var next = packet[6]
        while true {
            if next == fragment {
                throw ESPError(.ipFragment, "IPv6 Fragment header")
            }
            let kept: Bool
            switch next {
            case hopByHop, routing: kept = true
            case destinationOptions:
                // Before ESP on input; on output only when it serves a Routing header.
                kept = inbound || (offset < packet.count && packet[offset] == routing)
            default: kept = false
            }
            guard kept else { break }
            // RFC 8200 §4.3, §4.4, §4.6: Hdr Ext Len in 8-octet units, not counting the first 8.
            guard offset + 8 <= packet.count else {
                throw ESPError(.malformedIPPacket, "IPv6 extension header \(next) truncated")
            }
            let headerLength = (Int(packet[offset + 1]) + 1) * 8
            guard offset + headerLength <= packet.count else {
                throw ESPError(.malformedIPPacket, "IPv6 extension header \(next) of \(headerLength) bytes truncated")
            }
            fieldOffset = offset
            next = packet[offset]
            offset += headerLength
        }
        let nextHeader = ESPNextHeader(rawValue: next)
        if inbound, nextHeader != .esp {
            throw ESPError(.malformedIPPacket, "IPv6 header chain reaches \(nextHeader), not ESP")
        }
        return ESPTransportHeader(version: .ipv6, length: offset, protocolFieldOffset: fieldOffset, nextHeader: nextHeader)
    }
}
