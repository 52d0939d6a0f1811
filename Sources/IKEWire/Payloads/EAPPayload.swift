import NIOCore

/// Extensible Authentication payload, EAP (RFC 7296 §3.16), carrying one EAP message
/// (RFC 3748 §4).
///
/// ```
/// +---------------+---------------+---------------+---------------+
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// +---------------+---------------+---------------+---------------+
/// |     Code      | Identifier    |           Length              |
/// +---------------+---------------+---------------+---------------+
/// |     Type      | Type_Data...
/// +---------------+--
/// ```
public struct EAPPayload: Hashable, Sendable {
    public var code: EAPCode
    public var identifier: UInt8
    /// Present in requests and responses, absent in Success and Failure.
    public var type: EAPType?
    public var data: [UInt8]

    public init(code: EAPCode, identifier: UInt8, type: EAPType? = nil, data: [UInt8] = []) {
        self.code = code
        self.identifier = identifier
        self.type = type
        self.data = data
    }

    /// Decodes one EAP packet (RFC 3748 §4), as an EAP method hands it over.
    public init(message: [UInt8]) throws(IKEWireError) {
        var reader = WireReader(ByteBuffer(bytes: message))
        try self.init(parsing: &reader)
    }

    /// The EAP packet (RFC 3748 §4) this payload carries, as an EAP method takes it.
    public func encodedMessage() throws(IKEWireError) -> [UInt8] {
        var buffer = ByteBuffer()
        try write(to: &buffer)
        return Array(buffer.readableBytesView)
    }

    init(parsing reader: inout WireReader) throws(IKEWireError) {
        let start = reader.offset
        let total = reader.remaining
        code = EAPCode(rawValue: try reader.readUInt8("Code"))
        identifier = try reader.readUInt8("Identifier")
        let length = Int(try reader.readUInt16("Length"))
        // RFC 3748 §4: Length "indicates the length, in octets, of the EAP packet including
        // the Code, Identifier, Length, and Data fields"; the EAP payload holds exactly one.
        guard length == total else {
            throw reader.error(
                .invalidLength, "Length", at: start + 2, "EAP length \(length), payload holds \(total) bytes")
        }
        switch code {
        case .request, .response:
            type = EAPType(rawValue: try reader.readUInt8("Type"))
            data = reader.readRest()
        case .success, .failure:
            // RFC 3748 §4.2: Success and Failure packets carry no data.
            guard length == 4 else {
                throw reader.error(.invalidLength, "Length", at: start + 2, "\(length) for EAP \(code), expected 4")
            }
            type = nil
            data = []
        default:
            throw reader.error(.invalidValue, "Code", at: start, "EAP code \(code.rawValue)")
        }
    }

    func write(to buffer: inout ByteBuffer) throws(IKEWireError) {
        let start = buffer.writerIndex
        buffer.writeInteger(code.rawValue)
        buffer.writeInteger(identifier)
        try buffer.writeLengthPrefixed16(countingFrom: start, field: "Length") { buffer throws(IKEWireError) in
            if let type { buffer.writeInteger(type.rawValue) }
            buffer.writeBytes(data)
        }
    }
}
