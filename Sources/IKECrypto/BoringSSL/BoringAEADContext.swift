import CCryptoBoringSSL

/// One keyed `EVP_AEAD_CTX` for an SA: seals and opens in place with
/// `EVP_AEAD_CTX_seal_scatter` / `EVP_AEAD_CTX_open_gather`.
///
/// `@unchecked Sendable` is safe: the context is written only in `init` and freed in
/// `deinit`; BoringSSL documents that seal and open "may be called concurrently with
/// itself or any other seal/open function on the same `EVP_AEAD_CTX`" (aead.h), since
/// they do not mutate it. The salt is an immutable value.
final class BoringAEADContext: AEADContext, @unchecked Sendable {
    let icvLength: Int
    private let context: UnsafeMutablePointer<EVP_AEAD_CTX>
    /// The 4-byte salt, kept in memory order as the first word of the nonce.
    private let salt: UInt32

    init(algorithm: BoringAEAD, keyMaterial: SecretBytes) throws(IKECryptoError) {
        guard keyMaterial.count == algorithm.keyMaterialLength else {
            throw IKECryptoError(
                .invalidKeyLength, "\(algorithm.id) needs \(algorithm.keyMaterialLength) bytes of key material")
        }
        let keyLength = algorithm.keyBits / 8
        let cipher: OpaquePointer?
        switch (algorithm.construction, algorithm.keyBits) {
        case (.aesGCM, 128): cipher = CCryptoBoringSSL_EVP_aead_aes_128_gcm()
        case (.aesGCM, 192): cipher = CCryptoBoringSSL_EVP_aead_aes_192_gcm()
        case (.aesGCM, 256): cipher = CCryptoBoringSSL_EVP_aead_aes_256_gcm()
        case (.chacha20Poly1305, 256): cipher = CCryptoBoringSSL_EVP_aead_chacha20_poly1305()
        default: throw IKECryptoError(.invalidKeyLength, "\(algorithm.id) with a \(algorithm.keyBits)-bit key")
        }
        let made: (UnsafeMutablePointer<EVP_AEAD_CTX>?, UInt32) = keyMaterial.withUnsafeBytes { material in
            let context = CCryptoBoringSSL_EVP_AEAD_CTX_new(
                cipher, BoringBuffer.base(material), keyLength, algorithm.icvLength)
            var salt: UInt32 = 0
            withUnsafeMutableBytes(of: &salt) {
                $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: material[keyLength..<keyLength + 4]))
            }
            return (context, salt)
        }
        guard let context = made.0 else {
            throw IKECryptoError(.internalFailure, "EVP_AEAD_CTX_new failed for \(algorithm.id)")
        }
        self.context = context
        self.salt = made.1
        self.icvLength = algorithm.icvLength
    }

    deinit {
        // EVP_AEAD_CTX_free runs the AEAD's cleanup and OPENSSL_free, which zeroes the
        // allocation (key schedule included) before releasing it.
        CCryptoBoringSSL_EVP_AEAD_CTX_free(context)
    }

    func seal(
        iv: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer,
        icv: UnsafeMutableRawBufferPointer
    ) throws(IKECryptoError) {
        guard iv.count == 8 else { throw IKECryptoError(.invalidCiphertext, "IV must be 8 bytes") }
        guard icv.count == icvLength else { throw IKECryptoError(.invalidCiphertext, "ICV must be \(icvLength) bytes") }
        var nonce: (UInt32, UInt32, UInt32) = (salt, 0, 0)
        let result = withUnsafeMutableBytes(of: &nonce) { nonce -> Int32 in
            UnsafeMutableRawBufferPointer(rebasing: nonce[4..<12]).copyMemory(from: iv)
            var tagLength = 0
            let data8 = BoringBuffer.base(data)
            let ok = CCryptoBoringSSL_EVP_AEAD_CTX_seal_scatter(
                context, data8, BoringBuffer.base(icv), &tagLength, icv.count,
                BoringBuffer.base(UnsafeRawBufferPointer(nonce)), 12,
                UnsafePointer(data8), data.count, nil, 0,
                BoringBuffer.base(aad), aad.count)
            return ok == 1 && tagLength == icv.count ? 1 : 0
        }
        guard result == 1 else { throw IKECryptoError(.internalFailure, "AEAD seal failed") }
    }

    func open(
        iv: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer,
        icv: UnsafeRawBufferPointer
    ) throws(IKECryptoError) {
        guard iv.count == 8 else { throw IKECryptoError(.invalidCiphertext, "IV must be 8 bytes") }
        guard icv.count == icvLength else { throw IKECryptoError(.invalidCiphertext, "ICV must be \(icvLength) bytes") }
        var nonce: (UInt32, UInt32, UInt32) = (salt, 0, 0)
        let result = withUnsafeMutableBytes(of: &nonce) { nonce -> Int32 in
            UnsafeMutableRawBufferPointer(rebasing: nonce[4..<12]).copyMemory(from: iv)
            let data8 = BoringBuffer.base(data)
            return CCryptoBoringSSL_EVP_AEAD_CTX_open_gather(
                context, data8, BoringBuffer.base(UnsafeRawBufferPointer(nonce)), 12,
                UnsafePointer(data8), data.count, BoringBuffer.base(icv), icv.count,
                BoringBuffer.base(aad), aad.count)
        }
        guard result == 1 else {
            // open_gather leaves BoringSSL's error queue set; clear it so it cannot
            // surface later in an unrelated call on this thread.
            CCryptoBoringSSL_ERR_clear_error()
            throw IKECryptoError(.authenticationFailed)
        }
    }
}
