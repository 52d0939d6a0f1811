import NIOCore

/// Key Exchange payload, KE (RFC 7296 §3.4).
///
/// ```
///                      1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// +---------------+---------------+---------------+---------------+
/// |   Key Exchange Method Num     |           RESERVED            |
/// +---------------+---------------+---------------+---------------+
/// ~                       Key Exchange Data                       ~
/// +---------------+---------------+---------------+---------------+
/// ```
public struct KeyExchangePayload: Hashable, Sendable {
    /// The key exchange method (Diffie-Hellman group) the data belongs to.
    public var method: KeyExchangeMethodID
    /// The public value (or KEM public key / ciphertext).
    public var data: [UInt8]

    public init(method: KeyExchangeMethodID, data: [UInt8]) {
        self.method = method
        self.data = data
    }

    init(parsing reader: inout WireReader) throws(IKEWireError) {
        method = KeyExchangeMethodID(rawValue: try reader.readUInt16("Key Exchange Method Num"))
        _ = try reader.readUInt16("RESERVED")  // RFC 7296 §3.4: "MUST be ignored on receipt."
        data = reader.readRest()
    }

    func write(to buffer: inout ByteBuffer) {
        buffer.writeInteger(method.rawValue)
        buffer.writeInteger(UInt16(0))
        buffer.writeBytes(data)
    }
}
