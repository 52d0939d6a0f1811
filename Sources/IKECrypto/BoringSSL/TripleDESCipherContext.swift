import CCryptoBoringSSL

/// ENCR_3DES (RFC 2451): 3DES-EDE in CBC mode with three independent keys, scheduled
/// once for the SA; data processed in place.
///
/// `@unchecked Sendable` is safe: the three `DES_key_schedule`s are written only in
/// `init`, then only read (`DES_ede3_cbc_encrypt` takes them `const`).
final class TripleDESCipherContext: CipherContext, @unchecked Sendable {
    /// Three consecutive `DES_key_schedule`s.
    private let schedules: UnsafeMutablePointer<DES_key_schedule>

    /// `key` is 24 bytes (checked by ``BoringCipher``): K1 ‖ K2 ‖ K3, parity bits ignored.
    init(key: SecretBytes) {
        schedules = .allocate(capacity: 3)
        schedules.initialize(repeating: DES_key_schedule(), count: 3)
        key.withUnsafeBytes { key in
            for index in 0..<3 where key.count >= (index + 1) * 8 {
                var block = DES_cblock()
                withUnsafeMutableBytes(of: &block) {
                    $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: key[index * 8..<(index + 1) * 8]))
                }
                CCryptoBoringSSL_DES_set_key_unchecked(&block, schedules + index)
                explicitZero(&block, MemoryLayout<DES_cblock>.size)
            }
        }
    }

    deinit {
        explicitZero(schedules, 3 * MemoryLayout<DES_key_schedule>.stride)
        schedules.deallocate()
    }

    func encrypt(iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer) throws(IKECryptoError) {
        try run(iv: iv, data: data, mode: DES_ENCRYPT)
    }

    func decrypt(iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer) throws(IKECryptoError) {
        try run(iv: iv, data: data, mode: DES_DECRYPT)
    }

    private func run(iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer, mode: Int32)
        throws(IKECryptoError)
    {
        guard iv.count == 8 else { throw IKECryptoError(.invalidCiphertext, "3DES IV must be 8 bytes") }
        guard data.count % 8 == 0 else {
            throw IKECryptoError(.invalidCiphertext, "3DES data must be a multiple of 8 bytes")
        }
        guard data.count > 0 else { return }
        var chain = DES_cblock()
        withUnsafeMutableBytes(of: &chain) { $0.copyMemory(from: iv) }
        let bytes = BoringBuffer.base(data)
        CCryptoBoringSSL_DES_ede3_cbc_encrypt(
            bytes, bytes, data.count, schedules, schedules + 1, schedules + 2, &chain, mode)
    }
}
