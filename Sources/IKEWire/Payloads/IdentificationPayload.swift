import NIOCore

/// Identification payload, IDi or IDr (RFC 7296 §3.5).
///
/// ```
/// +---------------+---------------+---------------+---------------+
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// +---------------+---------------+---------------+---------------+
/// |   ID Type     |                 RESERVED                      |
/// +---------------+---------------+---------------+---------------+
/// ~                   Identification Data                         ~
/// +---------------+---------------+---------------+---------------+
/// ```
public struct IdentificationPayload: Hashable, Sendable {
    public var type: IdentificationType
    /// The identity in the encoding of ``type``: 4 or 16 address bytes, an ASCII name,
    /// or DER.
    public var data: [UInt8]

    public init(type: IdentificationType, data: [UInt8]) {
        self.type = type
        self.data = data
    }

    init(parsing reader: inout WireReader) throws(IKEWireError) {
        type = IdentificationType(rawValue: try reader.readUInt8("ID Type"))
        _ = try reader.readBytes(3, "RESERVED")
        let dataOffset = reader.offset
        data = reader.readRest()
        // RFC 7296 §3.5: ID_IPV4_ADDR is "A single four (4) octet IPv4 address",
        // ID_IPV6_ADDR "A single sixteen (16) octet IPv6 address".
        let expected: Int? =
            switch type {
            case .ipv4Address: 4
            case .ipv6Address: 16
            default: nil
            }
        if let expected, data.count != expected {
            throw reader.error(
                .invalidLength, "Identification Data", at: dataOffset,
                "\(type) needs \(expected) bytes, has \(data.count)")
        }
    }

    func write(to buffer: inout ByteBuffer) {
        buffer.writeInteger(type.rawValue)
        buffer.writeBytes([0, 0, 0])
        buffer.writeBytes(data)
    }
}
