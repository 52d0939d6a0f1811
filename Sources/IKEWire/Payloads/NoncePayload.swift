import NIOCore

/// Nonce payload, Ni or Nr (RFC 7296 §3.9).
///
/// ```
/// +---------------+---------------+---------------+---------------+
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// +---------------+---------------+---------------+---------------+
/// ~                            Nonce Data                         ~
/// +---------------+---------------+---------------+---------------+
/// ```
public struct NoncePayload: Hashable, Sendable {
    /// RFC 7296 §3.9: "The size of the Nonce Data MUST be between 16 and 256 octets,
    /// inclusive."
    public static let allowedLengths = 16...256

    public var data: [UInt8]

    public init(data: [UInt8]) { self.data = data }

    init(parsing reader: inout WireReader) throws(IKEWireError) {
        let offset = reader.offset
        data = reader.readRest()
        guard Self.allowedLengths.contains(data.count) else {
            throw reader.error(
                .invalidLength, "Nonce Data", at: offset, payload: .nonce,
                "\(data.count) bytes; RFC 7296 §3.9 requires 16 to 256")
        }
    }

    func write(to buffer: inout ByteBuffer) {
        buffer.writeBytes(data)
    }
}
