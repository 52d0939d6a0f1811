import Crypto
import IKEWire

extension CryptoProvider {
    /// Every modern transform: HMAC-SHA1/SHA2, AES-XCBC and AES-CMAC PRFs and integrity;
    /// AES-GCM (8/12/16-byte ICV), ChaCha20-Poly1305, AES-CBC and AES-CTR; MODP 2048 to
    /// 8192, ECP 256/384/521, Curve25519, ML-KEM-768/1024.
    ///
    /// Left out, for ``addingLegacyTransforms()``: 3DES, NULL (ESP only) and MODP 1024/1536.
    public static let `default` = CryptoProvider(
        pseudorandomFunctions: [
            HMACPseudorandomFunction<SHA256>(id: .hmacSHA2_256), HMACPseudorandomFunction<SHA384>(id: .hmacSHA2_384),
            HMACPseudorandomFunction<SHA512>(id: .hmacSHA2_512), HMACPseudorandomFunction<Insecure.SHA1>(id: .hmacSHA1),
            AESCMACPseudorandomFunction(),
        ] + BoringSSLTransforms.pseudorandomFunctions,
        // HMAC integrity runs on BoringSSL's SHA states (no allocation per ESP packet);
        // HMACIntegrityAlgorithm (swift-crypto) computes the same ICVs.
        integrityAlgorithms: [AESCMACIntegrityAlgorithm()] + BoringSSLTransforms.integrityAlgorithms,
        encryptionAlgorithms: BoringSSLTransforms.encryptionAlgorithms,
        keyExchangeMethods: [
            Curve25519KeyExchange(), ECPKeyExchange(.p256), ECPKeyExchange(.p384), ECPKeyExchange(.p521),
        ] + BoringSSLTransforms.keyExchangeMethods)

    /// This provider plus the transforms only an explicit opt-in may use: 3DES, NULL
    /// (ESP only) and MODP 1024/1536 (RFC 8247 §2.4 and §2.4: MUST NOT / SHOULD NOT).
    public func addingLegacyTransforms() -> CryptoProvider {
        var provider = self
        for cipher in BoringSSLTransforms.legacyCiphers + BoringSSLTransforms.espOnlyCiphers {
            provider.encryptionAlgorithms[EncryptionKey(cipher.id)] = .cipher(cipher)
        }
        for method in BoringSSLTransforms.legacyKeyExchangeMethods {
            provider.keyExchangeMethods[method.id] = method
        }
        return provider
    }
}
