import CCryptoBoringSSL

/// AES-CTR (RFC 3686) keyed for one SA: the key schedule made once, data processed in
/// place.
///
/// RFC 3686 §4 builds each 16-byte counter block as nonce (4 bytes, the end of the key
/// material) ‖ IV (8 bytes, from the message) ‖ block counter (4 bytes, big-endian),
/// and "the least significant 32 bits of the counter block are initially set to one".
final class AESCTRCipherContext: CipherContext, Sendable {
    private let key: AESKeySchedule
    private let nonce: UInt32

    init(keyMaterial: SecretBytes) throws(IKECryptoError) {
        let keyLength = keyMaterial.count - 4
        let made: Result<(AESKeySchedule, UInt32), IKECryptoError> = keyMaterial.withUnsafeBytes { material in
            guard keyLength > 0 else { return .failure(IKECryptoError(.invalidKeyLength, "AES-CTR key material too short")) }
            do throws(IKECryptoError) {
                let key = try AESKeySchedule(
                    key: UnsafeRawBufferPointer(rebasing: material[0..<keyLength]), direction: .encrypt)
                var nonce: UInt32 = 0
                withUnsafeMutableBytes(of: &nonce) {
                    $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: material[keyLength..<keyLength + 4]))
                }
                return .success((key, nonce))
            } catch {
                return .failure(error)
            }
        }
        (key, nonce) = try made.get()
    }

    func encrypt(iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer) throws(IKECryptoError) {
        try apply(iv: iv, data: data)
    }

    /// Counter mode decrypts with the same keystream.
    func decrypt(iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer) throws(IKECryptoError) {
        try apply(iv: iv, data: data)
    }

    private func apply(iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer) throws(IKECryptoError) {
        guard iv.count == 8 else { throw IKECryptoError(.invalidCiphertext, "AES-CTR IV must be 8 bytes") }
        // 2^32 blocks of 16 bytes per IV; a datagram is far below that.
        guard data.count <= Int(UInt32.max) else { throw IKECryptoError(.invalidCiphertext, "AES-CTR data too long") }
        guard data.count > 0 else { return }
        // nonce ‖ IV ‖ 00 00 00 01
        var counterBlock: (UInt32, UInt32, UInt32, UInt32) = (nonce, 0, 0, UInt32(1).bigEndian)
        var keystream: (UInt64, UInt64) = (0, 0)
        var used: UInt32 = 0
        withUnsafeMutableBytes(of: &counterBlock) { counter in
            UnsafeMutableRawBufferPointer(rebasing: counter[4..<12]).copyMemory(from: iv)
            withUnsafeMutableBytes(of: &keystream) { keystream in
                let bytes = BoringBuffer.base(data)
                CCryptoBoringSSL_AES_ctr128_encrypt(
                    bytes, bytes, data.count, key.pointer, BoringBuffer.base(counter),
                    BoringBuffer.base(keystream), &used)
                explicitZero(BoringBuffer.base(keystream), 16)
            }
        }
    }
}
