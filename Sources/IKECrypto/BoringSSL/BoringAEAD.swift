import IKEWire

/// AES-GCM with an 8, 12 or 16-byte ICV (RFC 4106 for ESP, RFC 5282 for IKEv2) and
/// ChaCha20-Poly1305 (RFC 7634), sealed and opened in place by BoringSSL's `EVP_AEAD`.
///
/// | transform | ID | key material |
/// |---|---|---|
/// | `ENCR_AES_GCM_8` / `_12` / `_16` | 18 / 19 / 20 | 16, 24 or 32-byte key + 4-byte salt |
/// | `ENCR_CHACHA20_POLY1305` | 28 | 32-byte key + 4-byte salt |
///
/// The key material is split as RFC 4106 §8.1 and RFC 5282 §7.1 say for AES-GCM (the
/// AES key first, then "the remaining four octets are used as the salt value in the
/// nonce") and RFC 7634 §2 for ChaCha20-Poly1305 (a 36-byte KEYMAT: 32 bytes of key,
/// then the 4-byte salt). The
/// 12-byte nonce is salt ‖ the 8-byte IV carried in each message (RFC 4106 §4,
/// RFC 7634 §2).
///
/// Each ``makeContext(keyMaterial:)`` builds one `EVP_AEAD_CTX` (the AES key schedule and
/// GHASH tables, or the ChaCha20 key) with the tag length fixed at creation, and every
/// packet of the SA is then sealed or opened in place with no allocation.
public struct BoringAEAD: AEADAlgorithm {
    /// The AEAD construction.
    public enum Construction: Hashable, Sendable {
        case aesGCM
        case chacha20Poly1305
    }

    public let id: EncryptionAlgorithmID
    public let construction: Construction
    public let keyBits: Int
    public let icvLength: Int

    /// The 4-byte salt after the key (RFC 4106 §8.1, RFC 5282 §7.1, RFC 7634 §2).
    public static let saltLength = 4

    /// The AES-GCM transform with this ICV length (8, 12 or 16) and key size (128, 192 or
    /// 256), or `nil` for any other combination.
    public static func aesGCM(icvLength: Int, keyBits: Int) -> BoringAEAD? {
        let id: EncryptionAlgorithmID
        switch icvLength {
        case 8: id = .aesGCM8
        case 12: id = .aesGCM12
        case 16: id = .aesGCM16
        default: return nil
        }
        guard [128, 192, 256].contains(keyBits) else { return nil }
        return BoringAEAD(id: id, construction: .aesGCM, keyBits: keyBits, icvLength: icvLength)
    }

    /// ENCR_CHACHA20_POLY1305 (RFC 7634): 256-bit key, 16-byte ICV.
    public static let chacha20Poly1305 = BoringAEAD(
        id: .chacha20Poly1305, construction: .chacha20Poly1305, keyBits: 256, icvLength: 16)

    /// Every AES-GCM ICV length with every AES key size, then ChaCha20-Poly1305.
    public static let all: [BoringAEAD] =
        [16, 12, 8].flatMap { icv in [256, 192, 128].compactMap { aesGCM(icvLength: icv, keyBits: $0) } }
        + [chacha20Poly1305]

    private init(id: EncryptionAlgorithmID, construction: Construction, keyBits: Int, icvLength: Int) {
        self.id = id
        self.construction = construction
        self.keyBits = keyBits
        self.icvLength = icvLength
    }

    public var keyMaterialLength: Int { keyBits / 8 + Self.saltLength }

    /// 8 bytes for both constructions (RFC 4106 §3.1, RFC 7634 §2).
    public var ivLength: Int { 8 }

    /// Keys one context for an SA.
    ///
    /// - Throws: ``IKECryptoError/Code/invalidKeyLength`` unless `keyMaterial` is exactly
    ///   ``keyMaterialLength`` bytes.
    public func makeContext(keyMaterial: SecretBytes) throws(IKECryptoError) -> any AEADContext {
        try BoringAEADContext(algorithm: self, keyMaterial: keyMaterial)
    }
}
