import IKECrypto

/// The keyed transforms of one SA, built once when the SA is made and used in place for
/// every packet (one AEAD context per SA).
enum ESPProtection: Sendable {
    /// A combined-mode algorithm: AES-GCM (RFC 4106) or ChaCha20-Poly1305 (RFC 7634).
    case aead(any AEADContext)
    /// A cipher (AES-CBC, AES-CTR, 3DES or NULL) with a separate integrity algorithm
    /// (RFC 4303 §3.3.2.1: encrypt, then compute the ICV over the ciphertext).
    case cipher(any CipherContext, blockSize: Int, integrity: any IntegrityContext)
}
