import NIOCore

/// Configuration payload, CP (RFC 7296 §3.15).
///
/// ```
/// +---------------+---------------+---------------+---------------+
/// | Next Payload  |C| RESERVED    |         Payload Length        |
/// +---------------+---------------+---------------+---------------+
/// |   CFG Type    |                    RESERVED                   |
/// +---------------+---------------+---------------+---------------+
/// ~                   Configuration Attributes                    ~
/// +---------------+---------------+---------------+---------------+
/// ```
public struct ConfigurationPayload: Hashable, Sendable {
    public var type: ConfigurationType
    public var attributes: [ConfigurationAttribute]

    public init(type: ConfigurationType, attributes: [ConfigurationAttribute]) {
        self.type = type
        self.attributes = attributes
    }

    init(parsing reader: inout WireReader) throws(IKEWireError) {
        type = ConfigurationType(rawValue: try reader.readUInt8("CFG Type"))
        _ = try reader.readBytes(3, "RESERVED")
        var attributes: [ConfigurationAttribute] = []
        while !reader.isAtEnd {
            attributes.append(try ConfigurationAttribute(parsing: &reader))
        }
        self.attributes = attributes
    }

    func write(to buffer: inout ByteBuffer) throws(IKEWireError) {
        buffer.writeInteger(type.rawValue)
        buffer.writeBytes([0, 0, 0])
        for attribute in attributes { try attribute.write(to: &buffer) }
    }
}
