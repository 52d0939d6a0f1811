/// Tunnel mode (RFC 4303 §3.1.2): the ESP payload is a whole inner IP packet, with Next
/// Header 4 (IPv4) or 41 (IPv6), possibly followed by Traffic Flow Confidentiality
/// padding; and dummy packets (Next Header 59) that carry nothing.
///
/// RFC 4303 §2: "If tunnel mode is being used, then the IPsec implementation can add
/// Traffic Flow Confidentiality (TFC) padding (see Section 2.7) after the Payload Data
/// and before the Padding (0-255 bytes) field." §2.7: "TFC padding can be added only if
/// the Payload Data field contains a specification of the length of the IP datagram.
/// This is always true in tunnel mode". So on input the inner packet's own length (IPv4
/// Total Length, IPv6 40 + Payload Length) says where the TFC padding starts, and
/// ``innerPacketRange(of:in:)-(_,UnsafeRawBufferPointer)`` cuts it off.
///
/// Only the fields that give the version and the length are read; the inner header is
/// not otherwise checked here.
public enum ESPTunnelPayload {
    /// The Next Header for an inner packet: 4 for IPv4, 41 for IPv6, from its version.
    ///
    /// - Throws: ``ESPError/Code/malformedIPPacket`` for an empty packet or a version
    ///   other than 4 or 6.
    public static func nextHeader(forInnerPacket packet: UnsafeRawBufferPointer) throws(ESPError) -> ESPNextHeader {
        guard let first = packet.first else { throw ESPError(.malformedIPPacket, "empty inner packet") }
        switch first >> 4 {
        case 4: return .ipv4
        case 6: return .ipv6
        default: throw ESPError(.malformedIPPacket, "IP version \(first >> 4)")
        }
    }

    /// The length of the inner packet at the start of `payload` (the payload of a tunnel
    /// mode ESP packet with this Next Header): what remains after it is TFC padding.
    ///
    /// - Throws: ``ESPError/Code/malformedIPPacket`` when Next Header is neither IPv4 (4)
    ///   nor IPv6 (41), when the packet's version disagrees with it, or when the length
    ///   the inner header states is shorter than its own header or longer than `payload`.
    public static func innerPacketLength(
        in payload: UnsafeRawBufferPointer, nextHeader: ESPNextHeader
    ) throws(ESPError) -> Int {
        let length: Int
        switch nextHeader {
        case .ipv4:
            // RFC 791: Version 4, IHL in 32-bit words (at least 5), Total Length at 2.
            guard payload.count >= 20, payload[0] >> 4 == 4 else {
                throw ESPError(.malformedIPPacket, "Next Header 4 but no IPv4 header (\(payload.count) bytes)")
            }
            let headerLength = Int(payload[0] & 0x0F) * 4
            length = Int(payload[2]) << 8 | Int(payload[3])
            guard headerLength >= 20, length >= headerLength else {
                throw ESPError(.malformedIPPacket, "IPv4 Total Length \(length), header \(headerLength) bytes")
            }
        case .ipv6:
            // RFC 8200 §3: Version 6, Payload Length at 4 (the fixed 40 bytes excluded).
            guard payload.count >= 40, payload[0] >> 4 == 6 else {
                throw ESPError(.malformedIPPacket, "Next Header 41 but no IPv6 header (\(payload.count) bytes)")
            }
            // A Payload Length of 0 with a Jumbo Payload option (RFC 2675) cannot occur
            // here: an ESP packet is itself at most 65535 bytes on IPv4, and Cygnet does
            // not send jumbograms.
            length = 40 + (Int(payload[4]) << 8 | Int(payload[5]))
        default:
            throw ESPError(.malformedIPPacket, "Next Header \(nextHeader) on a tunnel-mode SA")
        }
        guard length <= payload.count else {
            throw ESPError(.malformedIPPacket, "inner packet of \(length) bytes in a \(payload.count)-byte payload")
        }
        return length
    }

    /// Where the inner IP packet of an opened tunnel-mode ESP packet lies in `packet` (the
    /// buffer ``ESPSecurityAssociation/open(_:)-(UnsafeMutableRawBufferPointer)`` decrypted), TFC padding cut off; `nil`
    /// for a dummy packet, which the caller drops without further ado: RFC 4303 §2.6, "A
    /// receiver MUST be prepared to silently discard dummy packets."
    ///
    /// - Throws: ``ESPError/Code/malformedIPPacket`` as
    ///   ``innerPacketLength(in:nextHeader:)`` says, or when `opened` does not lie in
    ///   `packet`.
    public static func innerPacketRange(
        of opened: ESPInboundPacket, in packet: UnsafeRawBufferPointer
    ) throws(ESPError) -> Range<Int>? {
        guard !opened.isDummy else { return nil }
        let range = opened.payloadRange
        guard range.lowerBound >= 0, range.upperBound <= packet.count else {
            throw ESPError(.malformedIPPacket, "payload \(range) outside a \(packet.count)-byte buffer")
        }
        let length = try innerPacketLength(
            in: UnsafeRawBufferPointer(rebasing: packet[range]), nextHeader: opened.nextHeader)
        return range.lowerBound..<range.lowerBound + length
    }

    /// ``innerPacketRange(of:in:)-(_,UnsafeRawBufferPointer)`` over an array (tests and cold paths).
    public static func innerPacketRange(of opened: ESPInboundPacket, in packet: [UInt8]) throws(ESPError) -> Range<Int>? {
        let result: Result<Range<Int>?, ESPError> = packet.withUnsafeBytes { bytes in
            Result { () throws(ESPError) in try innerPacketRange(of: opened, in: bytes) }
        }
        return try result.get()
    }
}
