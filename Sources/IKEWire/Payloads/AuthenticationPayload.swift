import NIOCore

/// Authentication payload, AUTH (RFC 7296 §3.8).
///
/// ```
/// +---------------+---------------+---------------+---------------+
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// +---------------+---------------+---------------+---------------+
/// | Auth Method   |                RESERVED                       |
/// +---------------+---------------+---------------+---------------+
/// ~                      Authentication Data                      ~
/// +---------------+---------------+---------------+---------------+
/// ```
public struct AuthenticationPayload: Hashable, Sendable {
    public var method: AuthenticationMethod
    public var data: [UInt8]

    public init(method: AuthenticationMethod, data: [UInt8]) {
        self.method = method
        self.data = data
    }

    init(parsing reader: inout WireReader) throws(IKEWireError) {
        method = AuthenticationMethod(rawValue: try reader.readUInt8("Auth Method"))
        _ = try reader.readBytes(3, "RESERVED")
        data = reader.readRest()
    }

    func write(to buffer: inout ByteBuffer) {
        buffer.writeInteger(method.rawValue)
        buffer.writeBytes([0, 0, 0])
        buffer.writeBytes(data)
    }
}
