import NIOCore

/// Vendor ID payload, V (RFC 7296 §3.12).
///
/// ```
/// +---------------+---------------+---------------+---------------+
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// +---------------+---------------+---------------+---------------+
/// ~                        Vendor ID (VID)                        ~
/// +---------------+---------------+---------------+---------------+
/// ```
public struct VendorIDPayload: Hashable, Sendable {
    public var data: [UInt8]

    public init(data: [UInt8]) { self.data = data }

    init(parsing reader: inout WireReader) {
        data = reader.readRest()
    }

    func write(to buffer: inout ByteBuffer) {
        buffer.writeBytes(data)
    }
}
