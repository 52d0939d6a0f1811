/// A CA certificate a connection names (`remote { cacerts }`).
public struct CertificateAuthority: Hashable, Sendable {
    /// The certificate, DER.
    public var certificate: [UInt8]
    /// The SHA-1 hash of its SubjectPublicKeyInfo, which names it in a CERTREQ payload
    /// (RFC 7296 §3.7).
    public var keyHash: [UInt8]

    public init(certificate: [UInt8], keyHash: [UInt8]) {
        self.certificate = certificate
        self.keyHash = keyHash
    }
}
