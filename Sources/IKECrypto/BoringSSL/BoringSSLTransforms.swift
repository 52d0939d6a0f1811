/// Every transform this folder implements on BoringSSL, grouped so the provider can
/// register the defaults and leave the legacy and debugging ones to an explicit opt-in.
///
/// - Defaults: ``aeads``, ``ciphers``, ``pseudorandomFunctions``,
///   ``integrityAlgorithms``, ``keyExchangeMethods``.
/// - Opt-in only: ``legacyCiphers`` (3DES, for peers that need it),
///   ``espOnlyCiphers`` (NULL, for debugging ESP; never for IKE), and
///   ``legacyKeyExchangeMethods`` (MODP 1024 and 1536).
public enum BoringSSLTransforms {
    /// AES-GCM with 16, 12 and 8-byte ICVs and 256, 192 and 128-bit keys, and
    /// ChaCha20-Poly1305.
    public static let aeads: [any AEADAlgorithm] = BoringAEAD.all

    /// AES-CBC and AES-CTR with 256, 192 and 128-bit keys.
    public static let ciphers: [any CipherAlgorithm] =
        [256, 192, 128].compactMap { BoringCipher.aesCBC(keyBits: $0) }
        + [256, 192, 128].compactMap { BoringCipher.aesCTR(keyBits: $0) }

    /// 3DES: never in defaults.
    public static let legacyCiphers: [any CipherAlgorithm] = [BoringCipher.tripleDES]

    /// NULL encryption: ESP only, never in defaults.
    public static let espOnlyCiphers: [any CipherAlgorithm] = [BoringCipher.null]

    /// PRF_AES128_XCBC.
    public static let pseudorandomFunctions: [any PseudorandomFunction] = [AESXCBCPseudorandomFunction()]

    /// AUTH_HMAC_SHA2_256_128/384_192/512_256, AUTH_HMAC_SHA1_96 and AUTH_AES_XCBC_96.
    public static let integrityAlgorithms: [any IntegrityAlgorithm] =
        BoringHMACIntegrityAlgorithm.all + [AESXCBCIntegrityAlgorithm()]

    /// MODP 2048 to 8192, ML-KEM-768 and ML-KEM-1024.
    public static let keyExchangeMethods: [any KeyExchangeMethod] =
        MODPKeyExchange.all.filter { !$0.isLegacy } + MLKEMKeyExchange.all

    /// MODP 1024 and 1536: only on explicit opt-in.
    public static let legacyKeyExchangeMethods: [any KeyExchangeMethod] = MODPKeyExchange.all.filter(\.isLegacy)

    /// ``aeads`` and ``ciphers`` as ``EncryptionAlgorithm`` values, for the provider.
    public static var encryptionAlgorithms: [EncryptionAlgorithm] {
        aeads.map { .aead($0) } + ciphers.map { .cipher($0) }
    }
}
