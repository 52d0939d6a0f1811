import NIOCore

/// A Transform Attribute (RFC 7296 §3.3.5), in TV or TLV format.
///
/// ```
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |A|       Attribute Type        |    AF=0  Attribute Length     |
/// |F|                             |    AF=1  Attribute Value      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   AF=0  Attribute Value                       |
/// |                   AF=1  Not Transmitted                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
public struct TransformAttribute: Hashable, Sendable {
    /// The attribute's value, in the format it is sent in.
    public enum Value: Hashable, Sendable {
        /// TV format (AF = 1): a two-byte value.
        case short(UInt16)
        /// TLV format (AF = 0): a variable-length value.
        case variable([UInt8])
    }

    public var type: TransformAttributeType
    public var value: Value

    public init(type: TransformAttributeType, value: Value) {
        self.type = type
        self.value = value
    }

    /// A Key Length attribute, in bits (RFC 7296 §3.3.5: TV format).
    public static func keyLength(_ bits: UInt16) -> TransformAttribute {
        TransformAttribute(type: .keyLength, value: .short(bits))
    }

    init(parsing reader: inout WireReader) throws(IKEWireError) {
        let typeOffset = reader.offset
        let word = try reader.readUInt16("Attribute Type")
        type = TransformAttributeType(rawValue: word & 0x7FFF)
        if word & 0x8000 != 0 {
            value = .short(try reader.readUInt16("Attribute Value"))
        } else {
            let length = try reader.readUInt16("Attribute Length")
            value = .variable(try reader.readBytes(Int(length), "Attribute Value"))
        }
        // RFC 7296 §3.3.5: "Key Length ... Attribute Format TV".
        if type == .keyLength, case .variable = value {
            throw reader.error(.invalidValue, "Attribute Format", at: typeOffset, "Key Length must use TV format")
        }
    }

    func write(to buffer: inout ByteBuffer) throws(IKEWireError) {
        switch value {
        case .short(let short):
            buffer.writeInteger(type.rawValue | 0x8000)
            buffer.writeInteger(short)
        case .variable(let bytes):
            buffer.writeInteger(type.rawValue & 0x7FFF)
            try buffer.writeCount(bytes.count, as: UInt16.self, field: "Attribute Length")
            buffer.writeBytes(bytes)
        }
    }
}
