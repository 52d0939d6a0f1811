import Crypto
import _CryptoExtras

/// A long-term signing key for IKEv2 authentication (RFC 7296 §2.15, RFC 7427): RSA of
/// 2048 to 8192 bits, ECDSA on P-256, P-384 or P-521, or Ed25519.
///
/// Load one with ``init(pemRepresentation:)`` or ``init(derRepresentation:)``, which read
/// the formats `openssl` and strongSwan write: PKCS#1 `RSA PRIVATE KEY`, PKCS#8
/// `PRIVATE KEY` (RSA, EC or Ed25519) and SEC1 `EC PRIVATE KEY`. Encrypted keys are
/// recognised and refused with a clear error; they are not supported yet.
///
/// A private key never prints its material: `description` shows the algorithm and size.
/// The network-facing engine never holds one (`Docs/architecture.md`, "Principles"); it
/// asks the host to sign, and the host uses this type through ``AuthenticationSigner``.
public enum PrivateKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    case rsa(_RSA.Signing.PrivateKey)
    case p256(P256.Signing.PrivateKey)
    case p384(P384.Signing.PrivateKey)
    case p521(P521.Signing.PrivateKey)
    case ed25519(Curve25519.Signing.PrivateKey)

    /// Reads a PEM file's text: exactly one private key block (an `EC PARAMETERS` block
    /// beside an `EC PRIVATE KEY`, as `openssl ecparam -genkey` writes, is skipped).
    ///
    /// - Throws: ``IKECryptoError/Code/invalidKey`` for anything else, with a message that
    ///   names the problem (an encrypted key, a public key or certificate, an unsupported
    ///   algorithm or curve, an RSA size outside 2048–8192 bits, malformed PEM or DER).
    public init(pemRepresentation: String) throws(IKECryptoError) {
        self = try KeyDecoder.privateKey(pem: pemRepresentation)
    }

    /// Reads a DER private key in PKCS#1 (RSAPrivateKey, RFC 8017 Appendix A.1.2), PKCS#8
    /// (PrivateKeyInfo / OneAsymmetricKey, RFC 5958) or SEC1 (ECPrivateKey, RFC 5915) form,
    /// told apart by their structure.
    public init(derRepresentation: [UInt8]) throws(IKECryptoError) {
        self = try KeyDecoder.privateKey(der: derRepresentation[...])
    }

    /// A new key of `keyType`, from the operating system's generator (through swift-crypto).
    ///
    /// Long-term keys are made by the host, outside the engine, so this does not take a
    /// ``RandomSource``.
    ///
    /// - Throws: ``IKECryptoError/Code/invalidKey`` for an RSA size outside
    ///   ``KeyType/rsaBits`` or not a multiple of 8, ``IKECryptoError/Code/internalFailure``
    ///   when generation fails.
    public static func generate(_ keyType: KeyType) throws(IKECryptoError) -> PrivateKey {
        switch keyType {
        case .rsa(let bits):
            try KeyDecoder.checkRSASize(bits)
            guard bits % 8 == 0 else { throw IKECryptoError(.invalidKey, "RSA key size \(bits) is not a multiple of 8") }
            do {
                return .rsa(try _RSA.Signing.PrivateKey(keySize: .init(bitCount: bits)))
            } catch {
                throw IKECryptoError(.internalFailure, "RSA-\(bits) key generation failed")
            }
        case .p256: return .p256(P256.Signing.PrivateKey())
        case .p384: return .p384(P384.Signing.PrivateKey())
        case .p521: return .p521(P521.Signing.PrivateKey())
        case .ed25519: return .ed25519(Curve25519.Signing.PrivateKey())
        }
    }

    /// The matching public key.
    public var publicKey: PublicKey {
        switch self {
        case .rsa(let key): .rsa(key.publicKey)
        case .p256(let key): .p256(key.publicKey)
        case .p384(let key): .p384(key.publicKey)
        case .p521(let key): .p521(key.publicKey)
        case .ed25519(let key): .ed25519(key.publicKey)
        }
    }

    /// The key in PEM (PKCS#8 `PRIVATE KEY`, or PKCS#1 `RSA PRIVATE KEY` for RSA), for a
    /// library that reads keys only that way (TLS for EAP-TLS); `nil` for Ed25519, which
    /// swift-crypto does not write as PEM.
    public var pemRepresentation: SecretBytes? {
        switch self {
        case .rsa(let key): SecretBytes(Array(key.pemRepresentation.utf8))
        case .p256(let key): SecretBytes(Array(key.pemRepresentation.utf8))
        case .p384(let key): SecretBytes(Array(key.pemRepresentation.utf8))
        case .p521(let key): SecretBytes(Array(key.pemRepresentation.utf8))
        case .ed25519: nil
        }
    }

    /// What kind of key this is.
    public var keyType: KeyType { publicKey.keyType }

    public var description: String { "\(keyType) private key" }
    public var debugDescription: String { description }
}

/// The algorithm and size of a key, for choosing a signature scheme and for messages.
public enum KeyType: Hashable, Sendable, CustomStringConvertible {
    /// An RSA key with a modulus of this many bits.
    case rsa(bits: Int)
    case p256
    case p384
    case p521
    case ed25519

    public var description: String {
        switch self {
        case .rsa(let bits): "RSA-\(bits)"
        case .p256: "ECDSA P-256"
        case .p384: "ECDSA P-384"
        case .p521: "ECDSA P-521"
        case .ed25519: "Ed25519"
        }
    }

    /// Whether this is one of the ECDSA curves.
    public var isECDSA: Bool {
        switch self {
        case .p256, .p384, .p521: true
        case .rsa, .ed25519: false
        }
    }

    /// The smallest and largest RSA modulus Cygnet accepts, in bits: RFC 8247 §3.2
    /// discourages RSA authentication keys under 2048 bits, and keys above 8192 bits only
    /// cost the verifier time.
    public static let rsaBits: ClosedRange<Int> = 2048...8192
}
