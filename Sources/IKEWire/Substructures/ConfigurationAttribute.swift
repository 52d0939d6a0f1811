import NIOCore

/// A Configuration Attribute (RFC 7296 §3.15.1).
///
/// ```
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |R|         Attribute Type      |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                             Value                             ~
/// +---------------+---------------+---------------+---------------+
/// ```
public struct ConfigurationAttribute: Hashable, Sendable {
    public var type: ConfigurationAttributeType
    /// Empty in a CFG_REQUEST that asks for any value.
    public var value: [UInt8]

    public init(type: ConfigurationAttributeType, value: [UInt8] = []) {
        self.type = type
        self.value = value
    }

    init(parsing reader: inout WireReader) throws(IKEWireError) {
        // RFC 7296 §3.15.1: "R (Reserved, 1 bit) - This bit MUST be set to zero and MUST be
        // ignored on receipt."
        type = ConfigurationAttributeType(rawValue: try reader.readUInt16("Attribute Type") & 0x7FFF)
        let length = Int(try reader.readUInt16("Length"))
        value = try reader.readBytes(length, "Value")
    }

    func write(to buffer: inout ByteBuffer) throws(IKEWireError) {
        buffer.writeInteger(type.rawValue & 0x7FFF)
        try buffer.writeCount(value.count, as: UInt16.self, field: "Length")
        buffer.writeBytes(value)
    }
}
