import IKEWire

/// The plain ciphers (used with a separate integrity transform), on BoringSSL's AES and
/// DES block functions with the key scheduled once per context.
///
/// | transform | ID | key material | IV | block |
/// |---|---|---|---|---|
/// | `ENCR_AES_CBC` (RFC 3602) | 12 | 16/24/32 | 16 | 16 |
/// | `ENCR_AES_CTR` (RFC 3686) | 13 | 16/24/32 + 4-byte nonce | 8 | 1 |
/// | `ENCR_3DES` (RFC 2451), legacy | 3 | 24 | 8 | 8 |
/// | `ENCR_NULL` (RFC 2410), ESP only | 11 | 0 | 0 | 1 |
///
/// AES-CTR is a stream mode, so its ``blockSize`` is 1: the SK payload needs no padding
/// for it. ESP still aligns its trailer to 4 bytes (RFC 4303 §2.4), which `ESPCore`
/// does for every transform.
public struct BoringCipher: CipherAlgorithm {
    /// The cipher mode.
    public enum Mode: Hashable, Sendable {
        case aesCBC
        case aesCTR
        case tripleDESCBC
        case null
    }

    public let id: EncryptionAlgorithmID
    public let mode: Mode
    public let keyBits: Int

    /// AES-CBC (RFC 3602) with a 128, 192 or 256-bit key; `nil` for other sizes.
    public static func aesCBC(keyBits: Int) -> BoringCipher? {
        guard [128, 192, 256].contains(keyBits) else { return nil }
        return BoringCipher(id: .aesCBC, mode: .aesCBC, keyBits: keyBits)
    }

    /// AES-CTR (RFC 3686) with a 128, 192 or 256-bit key; `nil` for other sizes.
    public static func aesCTR(keyBits: Int) -> BoringCipher? {
        guard [128, 192, 256].contains(keyBits) else { return nil }
        return BoringCipher(id: .aesCTR, mode: .aesCTR, keyBits: keyBits)
    }

    /// ENCR_3DES (RFC 2451): three-key 3DES-EDE in CBC mode. Only for peers that need it;
    /// never in a default proposal.
    public static let tripleDES = BoringCipher(id: .tripleDES, mode: .tripleDESCBC, keyBits: 192)

    /// ENCR_NULL (RFC 2410): no confidentiality. **ESP only**, for debugging: an IKE SA
    /// always needs confidentiality, so it is never offered for IKE and never in a
    /// default proposal.
    public static let null = BoringCipher(id: .null, mode: .null, keyBits: 0)

    private init(id: EncryptionAlgorithmID, mode: Mode, keyBits: Int) {
        self.id = id
        self.mode = mode
        self.keyBits = keyBits
    }

    /// Whether the transform is kept only for old peers (3DES), so the provider leaves it
    /// out of its defaults.
    public var isLegacy: Bool { mode == .tripleDESCBC }

    /// Whether the transform may only protect ESP, never an IKE SA (NULL).
    public var isESPOnly: Bool { mode == .null }

    public var keyMaterialLength: Int {
        switch mode {
        case .aesCBC, .tripleDESCBC: keyBits / 8
        // RFC 3686 §5.1: the key, then four more octets used as the counter-block nonce.
        case .aesCTR: keyBits / 8 + 4
        case .null: 0
        }
    }

    public var ivLength: Int {
        switch mode {
        case .aesCBC: 16
        case .aesCTR, .tripleDESCBC: 8
        case .null: 0
        }
    }

    public var blockSize: Int {
        switch mode {
        case .aesCBC: 16
        case .tripleDESCBC: 8
        case .aesCTR, .null: 1
        }
    }

    /// Schedules the key once for an SA.
    ///
    /// - Throws: ``IKECryptoError/Code/invalidKeyLength`` unless `key` is exactly
    ///   ``keyMaterialLength`` bytes.
    public func makeContext(key: SecretBytes) throws(IKECryptoError) -> any CipherContext {
        guard key.count == keyMaterialLength else {
            throw IKECryptoError(.invalidKeyLength, "\(id) needs \(keyMaterialLength) bytes of key material")
        }
        switch mode {
        case .aesCBC: return try AESCBCCipherContext(key: key)
        case .aesCTR: return try AESCTRCipherContext(keyMaterial: key)
        case .tripleDESCBC: return TripleDESCipherContext(key: key)
        case .null: return NullCipherContext()
        }
    }
}
