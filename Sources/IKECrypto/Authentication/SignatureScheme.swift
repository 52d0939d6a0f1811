import IKEWire

/// What an AUTH signature is made with: the Authentication Method (RFC 7296 §3.8) and, for
/// method 14, the algorithm its AlgorithmIdentifier names (RFC 7427 §3).
///
/// | scheme | method | signature encoding |
/// |---|---|---|
/// | ``rsaSHA1`` | 1, RSA Digital Signature | RSASSA-PKCS1-v1_5 with SHA-1 (RFC 7296 §3.8) |
/// | ``ecdsaP256SHA256`` / ``ecdsaP384SHA384`` / ``ecdsaP521SHA512`` | 9 / 10 / 11 | r ‖ s, each fixed-length (RFC 4754 §7) |
/// | ``rsaPKCS1v15(_:)`` | 14 | RSASSA-PKCS1-v1_5 with SHA-256/384/512 |
/// | ``rsaPSS(_:saltLength:)`` | 14 | RSASSA-PSS, MGF1 with the same hash (RFC 4055, RFC 8017 §8.1) |
/// | ``ecdsa(_:)`` | 14 | DER ECDSA-Sig-Value (RFC 7427 §3), any of the three curves |
/// | ``ed25519`` | 14 | Ed25519 over the octets themselves (RFC 8420, hash "Identity") |
public enum SignatureScheme: Hashable, Sendable, CustomStringConvertible {
    /// Method 1. RFC 7296 §3.8: "RSA Digital Signature ... Computed as specified in
    /// Section 2.15 using an RSA private key with RSASSA-PKCS1-v1_5 signature scheme
    /// specified in [PKCS1]", with SHA-1 as the hash for interoperability.
    case rsaSHA1
    /// Method 9: ECDSA with SHA-256 on P-256 (RFC 4754).
    case ecdsaP256SHA256
    /// Method 10: ECDSA with SHA-384 on P-384 (RFC 4754).
    case ecdsaP384SHA384
    /// Method 11: ECDSA with SHA-512 on P-521 (RFC 4754).
    case ecdsaP521SHA512
    /// Method 14, sha256/384/512WithRSAEncryption (RFC 7427 Appendix A.1).
    case rsaPKCS1v15(HashAlgorithm)
    /// Method 14, id-RSASSA-PSS with the hash, MGF1 with the same hash, and `saltLength`
    /// octets of salt (RFC 7427 Appendix A.4; Cygnet signs with salt length = hash length).
    case rsaPSS(HashAlgorithm, saltLength: Int)
    /// Method 14, ecdsa-with-SHA256/384/512 (RFC 7427 Appendix A.3).
    case ecdsa(HashAlgorithm)
    /// Method 14, id-Ed25519 (RFC 8420).
    case ed25519

    /// The Auth Method field of the AUTH payload.
    public var authenticationMethod: AuthenticationMethod {
        switch self {
        case .rsaSHA1: .rsaDigitalSignature
        case .ecdsaP256SHA256: .ecdsaSHA256P256
        case .ecdsaP384SHA384: .ecdsaSHA384P384
        case .ecdsaP521SHA512: .ecdsaSHA512P521
        case .rsaPKCS1v15, .rsaPSS, .ecdsa, .ed25519: .digitalSignature
        }
    }

    /// The hash the signature is computed over, as numbered in SIGNATURE_HASH_ALGORITHMS.
    public var hashAlgorithm: HashAlgorithm {
        switch self {
        case .rsaSHA1: .sha1
        case .ecdsaP256SHA256: .sha2_256
        case .ecdsaP384SHA384: .sha2_384
        case .ecdsaP521SHA512: .sha2_512
        case .rsaPKCS1v15(let hash), .rsaPSS(let hash, _), .ecdsa(let hash): hash
        case .ed25519: .identity
        }
    }

    /// Whether a key of `keyType` can make or check this signature. Methods 9–11 fix the
    /// curve (RFC 4754 §3); method 14 ECDSA works with any supported curve.
    public func fits(_ keyType: KeyType) -> Bool {
        switch (self, keyType) {
        case (.rsaSHA1, .rsa), (.rsaPKCS1v15, .rsa), (.rsaPSS, .rsa): true
        case (.ecdsaP256SHA256, .p256), (.ecdsaP384SHA384, .p384), (.ecdsaP521SHA512, .p521): true
        case (.ecdsa, .p256), (.ecdsa, .p384), (.ecdsa, .p521): true
        case (.ed25519, .ed25519): true
        default: false
        }
    }

    /// The DER AlgorithmIdentifier sent in method-14 AUTH data, or `nil` for methods 1 and
    /// 9–11 (and for schemes Cygnet does not sign with).
    public var algorithmIdentifier: [UInt8]? {
        switch self {
        case .rsaSHA1, .ecdsaP256SHA256, .ecdsaP384SHA384, .ecdsaP521SHA512: nil
        case .rsaPKCS1v15(let hash):
            switch hash {
            case .sha2_256: SignatureAlgorithmIdentifier.sha256WithRSAEncryption
            case .sha2_384: SignatureAlgorithmIdentifier.sha384WithRSAEncryption
            case .sha2_512: SignatureAlgorithmIdentifier.sha512WithRSAEncryption
            default: nil
            }
        case .rsaPSS(let hash, let saltLength):
            switch (hash, saltLength) {
            case (.sha2_256, 32): SignatureAlgorithmIdentifier.rsassaPSSSHA256
            case (.sha2_384, 48): SignatureAlgorithmIdentifier.rsassaPSSSHA384
            case (.sha2_512, 64): SignatureAlgorithmIdentifier.rsassaPSSSHA512
            default: nil
            }
        case .ecdsa(let hash):
            switch hash {
            case .sha2_256: SignatureAlgorithmIdentifier.ecdsaWithSHA256
            case .sha2_384: SignatureAlgorithmIdentifier.ecdsaWithSHA384
            case .sha2_512: SignatureAlgorithmIdentifier.ecdsaWithSHA512
            default: nil
            }
        case .ed25519: SignatureAlgorithmIdentifier.ed25519
        }
    }

    public var description: String {
        switch self {
        case .rsaSHA1: "RSA PKCS#1 v1.5 with SHA-1 (method 1)"
        case .ecdsaP256SHA256: "ECDSA P-256 with SHA-256 (method 9)"
        case .ecdsaP384SHA384: "ECDSA P-384 with SHA-384 (method 10)"
        case .ecdsaP521SHA512: "ECDSA P-521 with SHA-512 (method 11)"
        case .rsaPKCS1v15(let hash): "RSA PKCS#1 v1.5 with \(hash)"
        case .rsaPSS(let hash, let saltLength): "RSASSA-PSS with \(hash), MGF1, \(saltLength)-octet salt"
        case .ecdsa(let hash): "ECDSA with \(hash)"
        case .ed25519: "Ed25519"
        }
    }

    /// The scheme to sign with, for `keyType` and the hashes the peer listed in its
    /// SIGNATURE_HASH_ALGORITHMS notify (`nil` when it sent none).
    ///
    /// With the notify, method 14 is used with the first hash of ``preferredHashes(for:)``
    /// that the peer listed (RFC 7427 §4: the signer picks a hash the verifier announced).
    /// Without the notify, or without a hash in common, RSA falls back to method 1 and
    /// ECDSA to the method for its curve (9–11) (``classic(for:)``). Ed25519 exists only
    /// under method 14 with the "Identity" hash (RFC 8420 §2).
    ///
    /// - Parameter preferPSS: sign RSA method 14 with RSASSA-PSS instead of PKCS#1 v1.5.
    /// - Throws: ``IKECryptoError/Code/invalidSignature`` when no scheme fits.
    public static func preferred(
        for keyType: KeyType, peerHashes: SignatureHashAlgorithms?, preferPSS: Bool = false
    ) throws(IKECryptoError) -> SignatureScheme {
        let legacy = classic(for: keyType)
        guard let peerHashes else {
            guard let legacy else {
                throw IKECryptoError(.invalidSignature,
                    "an \(keyType) key needs RFC 7427 signature authentication, but the peer sent no "
                        + "SIGNATURE_HASH_ALGORITHMS")
            }
            return legacy
        }
        if keyType == .ed25519 {
            guard peerHashes.algorithms.contains(.identity) else {
                throw IKECryptoError(.invalidSignature,
                    "an Ed25519 key needs the Identity hash (RFC 8420), which the peer did not list in "
                        + "SIGNATURE_HASH_ALGORITHMS (it listed \(peerHashes.algorithms))")
            }
            return .ed25519
        }
        if let hash = preferredHashes(for: keyType).first(where: { peerHashes.contains($0) }) {
            switch keyType {
            case .rsa: return preferPSS ? .rsaPSS(hash, saltLength: hash.digestLength) : .rsaPKCS1v15(hash)
            case .p256, .p384, .p521: return .ecdsa(hash)
            case .ed25519: break
            }
        }
        guard let legacy else {
            throw IKECryptoError(.invalidSignature, "no signature scheme fits an \(keyType) key")
        }
        return legacy
    }

    /// Cygnet's method-14 hashes for a key, in order of preference: SHA2-256, SHA2-384,
    /// SHA2-512 for RSA and P-256; the curve's own hash first for P-384 and P-521;
    /// Identity for Ed25519 (RFC 8420 §2).
    public static func preferredHashes(for keyType: KeyType) -> [HashAlgorithm] {
        switch keyType {
        case .rsa, .p256: [.sha2_256, .sha2_384, .sha2_512]
        case .p384: [.sha2_384, .sha2_512, .sha2_256]
        case .p521: [.sha2_512, .sha2_384, .sha2_256]
        case .ed25519: [.identity]
        }
    }

    /// The method of RFC 7296 §3.8 and RFC 4754 for a key: 1 (RSA with SHA-1) or 9–11
    /// (ECDSA with the curve's hash); `nil` for Ed25519, which has none.
    public static func classic(for keyType: KeyType) -> SignatureScheme? {
        switch keyType {
        case .rsa: .rsaSHA1
        case .p256: .ecdsaP256SHA256
        case .p384: .ecdsaP384SHA384
        case .p521: .ecdsaP521SHA512
        case .ed25519: nil
        }
    }
}

extension HashAlgorithm {
    /// Output length in octets of SHA-1 and SHA-2 (0 for Identity and unknown values): the
    /// salt length Cygnet signs RSASSA-PSS with.
    public var digestLength: Int {
        switch self {
        case .sha1: 20
        case .sha2_256: 32
        case .sha2_384: 48
        case .sha2_512: 64
        default: 0
        }
    }
}
