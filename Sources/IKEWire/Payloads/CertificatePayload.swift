import NIOCore

/// Certificate payload, CERT (RFC 7296 §3.6).
///
/// ```
/// +---------------+---------------+---------------+---------------+
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// +---------------+---------------+---------------+---------------+
/// | Cert Encoding |                                               |
/// +---------------+                                               ~
/// ~                       Certificate Data                        ~
/// +---------------+---------------+---------------+---------------+
/// ```
public struct CertificatePayload: Hashable, Sendable {
    public var encoding: CertificateEncoding
    /// For ``CertificateEncoding/x509Signature``, one DER-encoded certificate.
    public var data: [UInt8]

    public init(encoding: CertificateEncoding, data: [UInt8]) {
        self.encoding = encoding
        self.data = data
    }

    init(parsing reader: inout WireReader) throws(IKEWireError) {
        encoding = CertificateEncoding(rawValue: try reader.readUInt8("Cert Encoding"))
        data = reader.readRest()
    }

    func write(to buffer: inout ByteBuffer) {
        buffer.writeInteger(encoding.rawValue)
        buffer.writeBytes(data)
    }
}
