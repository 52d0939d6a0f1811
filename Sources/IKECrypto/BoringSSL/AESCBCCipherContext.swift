import CCryptoBoringSSL

/// AES-CBC (RFC 3602) keyed for one SA: both key schedules made once, data processed
/// in place.
final class AESCBCCipherContext: CipherContext, Sendable {
    private let encryptionKey: AESKeySchedule
    private let decryptionKey: AESKeySchedule

    init(key: SecretBytes) throws(IKECryptoError) {
        let schedules: Result<(AESKeySchedule, AESKeySchedule), IKECryptoError> = key.withUnsafeBytes { key in
            Result { () throws(IKECryptoError) in
                (try AESKeySchedule(key: key, direction: .encrypt), try AESKeySchedule(key: key, direction: .decrypt))
            }
        }
        (encryptionKey, decryptionKey) = try schedules.get()
    }

    func encrypt(iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer) throws(IKECryptoError) {
        try run(iv: iv, data: data, key: encryptionKey, mode: AES_ENCRYPT)
    }

    func decrypt(iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer) throws(IKECryptoError) {
        try run(iv: iv, data: data, key: decryptionKey, mode: AES_DECRYPT)
    }

    private func run(
        iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer, key: AESKeySchedule, mode: Int32
    ) throws(IKECryptoError) {
        // RFC 3602 §3: "The IV field MUST be the same size as the block size of the
        // cipher algorithm being used." §2.4: the padded data is a whole number of
        // 16-octet blocks.
        guard iv.count == 16 else { throw IKECryptoError(.invalidCiphertext, "AES-CBC IV must be 16 bytes") }
        guard data.count % 16 == 0 else {
            throw IKECryptoError(.invalidCiphertext, "AES-CBC data must be a multiple of 16 bytes")
        }
        guard data.count > 0 else { return }
        var chain: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &chain) { chain in
            chain.copyMemory(from: iv)
            let bytes = BoringBuffer.base(data)
            CCryptoBoringSSL_AES_cbc_encrypt(
                bytes, bytes, data.count, key.pointer, BoringBuffer.base(chain), mode)
            explicitZero(BoringBuffer.base(chain), 16)
        }
    }
}
