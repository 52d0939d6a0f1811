/// The Notification Data of NO_NATS_ALLOWED (RFC 4555 §4.2.6): "the IP addresses and
/// ports from/to which the packet was sent", for the receiver to compare with the IP
/// header (§3.9).
///
/// ```
///                      1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !           Source IPv4 address (or 16-octet IPv6 address)      !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !        Destination IPv4 address (or 16-octet IPv6 address)    !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !          Source port          !       Destination port        !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// "For IPv4, the notification data is 12 octets long"; for IPv6, 36.
public struct NoNATsAllowedData: Sendable, Hashable {
    /// 4 or 16 octets, like ``destinationAddress``.
    public var sourceAddress: [UInt8]
    public var destinationAddress: [UInt8]
    public var sourcePort: UInt16
    public var destinationPort: UInt16

    public init(sourceAddress: [UInt8], destinationAddress: [UInt8], sourcePort: UInt16, destinationPort: UInt16) {
        self.sourceAddress = sourceAddress
        self.destinationAddress = destinationAddress
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
    }

    /// Decodes the Notification Data; any length but 12 or 36 octets is
    /// ``IKEWireError/Code-swift.struct/invalidLength``.
    public init(decoding data: [UInt8]) throws(IKEWireError) {
        let addressLength: Int
        switch data.count {
        case 12: addressLength = 4
        case 36: addressLength = 16
        default:
            throw IKEWireError(
                .invalidLength, offset: 0, field: "Notification Data", payloadType: .notify,
                detail: "NO_NATS_ALLOWED data is \(data.count) octets, not 12 (IPv4) or 36 (IPv6)")
        }
        sourceAddress = Array(data[0..<addressLength])
        destinationAddress = Array(data[addressLength..<2 * addressLength])
        let ports = 2 * addressLength
        sourcePort = UInt16(data[ports]) << 8 | UInt16(data[ports + 1])
        destinationPort = UInt16(data[ports + 2]) << 8 | UInt16(data[ports + 3])
    }

    /// The Notification Data.
    public var encoded: [UInt8] {
        sourceAddress + destinationAddress
            + [UInt8(sourcePort >> 8), UInt8(truncatingIfNeeded: sourcePort),
               UInt8(destinationPort >> 8), UInt8(truncatingIfNeeded: destinationPort)]
    }
}
