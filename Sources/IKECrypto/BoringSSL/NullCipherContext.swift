/// ENCR_NULL (RFC 2410): leaves the data as it is. ESP only, for debugging.
///
/// RFC 2410 §2: "NULL does nothing to alter plaintext data. In fact, NULL, by itself,
/// does nothing."
struct NullCipherContext: CipherContext {
    func encrypt(iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer) throws(IKECryptoError) {
        guard iv.isEmpty else { throw IKECryptoError(.invalidCiphertext, "NULL takes no IV") }
    }

    func decrypt(iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer) throws(IKECryptoError) {
        guard iv.isEmpty else { throw IKECryptoError(.invalidCiphertext, "NULL takes no IV") }
    }
}
