import NIOCore

/// Certificate Request payload, CERTREQ (RFC 7296 §3.7).
///
/// ```
/// +---------------+---------------+---------------+---------------+
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// +---------------+---------------+---------------+---------------+
/// | Cert Encoding |                                               |
/// +---------------+                                               ~
/// ~                    Certification Authority                    ~
/// +---------------+---------------+---------------+---------------+
/// ```
public struct CertificateRequestPayload: Hashable, Sendable {
    /// Length of one SHA-1 hash in the Certification Authority field.
    public static let authorityHashLength = 20

    public var encoding: CertificateEncoding
    /// For ``CertificateEncoding/x509Signature``, concatenated SHA-1 hashes of the public
    /// keys of trusted CAs.
    public var certificationAuthority: [UInt8]

    public init(encoding: CertificateEncoding, certificationAuthority: [UInt8]) {
        self.encoding = encoding
        self.certificationAuthority = certificationAuthority
    }

    /// The SHA-1 hashes listed, for the X.509 encoding.
    public var authorityKeyHashes: [[UInt8]] {
        stride(from: 0, to: certificationAuthority.count, by: Self.authorityHashLength).map {
            Array(certificationAuthority[$0..<min($0 + Self.authorityHashLength, certificationAuthority.count)])
        }
    }

    init(parsing reader: inout WireReader) throws(IKEWireError) {
        encoding = CertificateEncoding(rawValue: try reader.readUInt8("Cert Encoding"))
        let offset = reader.offset
        certificationAuthority = reader.readRest()
        // RFC 7296 §3.7: "The Certification Authority value is a concatenated list of SHA-1
        // hashes of the public keys of trusted Certification Authorities (CAs)."
        if encoding == .x509Signature, !certificationAuthority.count.isMultiple(of: Self.authorityHashLength) {
            throw reader.error(
                .invalidLength, "Certification Authority", at: offset,
                "\(certificationAuthority.count) bytes is not a list of 20-byte SHA-1 hashes")
        }
    }

    func write(to buffer: inout ByteBuffer) {
        buffer.writeInteger(encoding.rawValue)
        buffer.writeBytes(certificationAuthority)
    }
}
