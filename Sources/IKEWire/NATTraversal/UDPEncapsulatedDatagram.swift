import NIOCore

/// What arrives on UDP port 4500 (RFC 3948, RFC 7296 §2.23): an IKE message behind the
/// non-ESP marker, an ESP packet, or a NAT-keepalive.
public enum UDPEncapsulatedDatagram: Hashable, Sendable {
    /// An IKE message, with the non-ESP marker removed.
    case ike(ByteBuffer)
    /// An ESP packet, starting with its (non-zero) SPI.
    case esp(ByteBuffer)
    /// A NAT-keepalive (RFC 3948 §2.3), to be ignored.
    case natKeepalive

    /// RFC 3948 §2.2: "The Non-ESP Marker is 4 zero-valued bytes aligning with the SPI
    /// field of an ESP packet."
    public static let nonESPMarker: [UInt8] = [0, 0, 0, 0]
    /// RFC 3948 §2.3: the NAT-keepalive payload "is a single octet ... 0xFF".
    public static let natKeepaliveByte: UInt8 = 0xFF

    /// Sorts a datagram received on port 4500.
    public init(classifying datagram: ByteBuffer) throws(IKEWireError) {
        if datagram.readableBytes == 1, datagram.getInteger(at: datagram.readerIndex, as: UInt8.self) == Self.natKeepaliveByte {
            self = .natKeepalive
            return
        }
        guard let spi = datagram.getInteger(at: datagram.readerIndex, endianness: .big, as: UInt32.self) else {
            throw IKEWireError(
                .truncated, offset: 0, field: "Non-ESP Marker",
                detail: "\(datagram.readableBytes)-byte datagram is neither a keepalive, IKE nor ESP")
        }
        if spi == 0 {
            self = .ike(datagram.getSlice(at: datagram.readerIndex + 4, length: datagram.readableBytes - 4) ?? ByteBuffer())
        } else {
            self = .esp(datagram)
        }
    }

    /// The datagram to send on port 4500 for this value.
    public var framed: ByteBuffer {
        switch self {
        case .ike(let message):
            var buffer = ByteBuffer()
            buffer.reserveCapacity(message.readableBytes + 4)
            buffer.writeBytes(Self.nonESPMarker)
            buffer.writeImmutableBuffer(message)
            return buffer
        case .esp(let packet):
            return packet
        case .natKeepalive:
            return ByteBuffer(bytes: [Self.natKeepaliveByte])
        }
    }
}
