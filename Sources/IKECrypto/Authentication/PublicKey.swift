import Crypto
import _CryptoExtras

/// A peer's (or our own) public key for checking AUTH signatures: RSA of 2048 to 8192 bits,
/// ECDSA on P-256, P-384 or P-521, or Ed25519.
///
/// Load one from SubjectPublicKeyInfo (`PUBLIC KEY`, RFC 5280 §4.1.2.7 — what a
/// certificate carries) or PKCS#1 `RSA PUBLIC KEY` with ``init(pemRepresentation:)`` or
/// ``init(derRepresentation:)``.
public enum PublicKey: Sendable, CustomStringConvertible {
    case rsa(_RSA.Signing.PublicKey)
    case p256(P256.Signing.PublicKey)
    case p384(P384.Signing.PublicKey)
    case p521(P521.Signing.PublicKey)
    case ed25519(Curve25519.Signing.PublicKey)

    /// Reads a PEM file's text holding exactly one `PUBLIC KEY` or `RSA PUBLIC KEY` block.
    ///
    /// - Throws: ``IKECryptoError/Code/invalidKey`` with a message naming the problem.
    public init(pemRepresentation: String) throws(IKECryptoError) {
        self = try KeyDecoder.publicKey(pem: pemRepresentation)
    }

    /// Reads a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7; RFC 5480 for EC, RFC 8410 for
    /// Ed25519) or PKCS#1 RSAPublicKey (RFC 8017 Appendix A.1.1).
    public init(derRepresentation: [UInt8]) throws(IKECryptoError) {
        self = try KeyDecoder.publicKey(der: derRepresentation[...])
    }

    /// What kind of key this is.
    public var keyType: KeyType {
        switch self {
        case .rsa(let key): .rsa(bits: key.keySizeInBits)
        case .p256: .p256
        case .p384: .p384
        case .p521: .p521
        case .ed25519: .ed25519
        }
    }

    public var description: String { "\(keyType) public key" }
}
