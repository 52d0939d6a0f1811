/// IKEv2 Certificate Encodings (IANA; RFC 7296 §3.6).
public struct CertificateEncoding: IANARegistry {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt8

    public static let pkcs7WrappedX509: CertificateEncoding = 1
    /// "X.509 Certificate - Signature": a DER certificate; in CERTREQ, a list of
    /// SHA-1 hashes of CA public keys.
    public static let x509Signature: CertificateEncoding = 4
    public static let crl: CertificateEncoding = 7
    public static let rawRSAKey: CertificateEncoding = 11
    public static let hashAndURLOfX509Certificate: CertificateEncoding = 12
    public static let hashAndURLOfX509Bundle: CertificateEncoding = 13
    public static let rawPublicKey: CertificateEncoding = 15

    public static let names: [UInt8: String] = [
        1: "PKCS #7 wrapped X.509 certificate", 2: "PGP Certificate", 3: "DNS Signed Key",
        4: "X.509 Certificate - Signature", 6: "Kerberos Token", 7: "Certificate Revocation List (CRL)",
        8: "Authority Revocation List (ARL)", 9: "SPKI Certificate", 10: "X.509 Certificate - Attribute",
        11: "Raw RSA Key", 12: "Hash and URL of X.509 certificate", 13: "Hash and URL of X.509 bundle",
        14: "OCSP Content", 15: "Raw Public Key",
    ]
}
