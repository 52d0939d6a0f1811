/// AES-XCBC-MAC-128 (RFC 3566 §4) with a 128-bit key, on BoringSSL's AES block function.
///
/// The mode is composed here because neither swift-crypto nor BoringSSL offers it; the
/// block cipher itself is BoringSSL's. Keyed once; ``mac(_:)`` only reads the context.
final class AESXCBCMAC: Sendable {
    /// K1 = E(K, 0x01 × 16), the CBC key.
    private let k1: AESKeySchedule
    /// K2 = E(K, 0x02 × 16) and K3 = E(K, 0x03 × 16): the last-block masks.
    private let masks: SecretBytes

    /// `key` must be 16 bytes (callers check).
    init(key: UnsafeRawBufferPointer) throws(IKECryptoError) {
        guard key.count == 16 else { throw IKECryptoError(.invalidKeyLength, "AES-XCBC needs a 16-byte key") }
        let k = try AESKeySchedule(key: key, direction: .encrypt)
        var derived = [UInt8](repeating: 0, count: 48)
        derived.withUnsafeMutableBytes { derived in
            let bytes = BoringBuffer.base(derived)
            for index in 0..<3 {
                (bytes + 16 * index).initialize(repeating: UInt8(index + 1), count: 16)
                k.encryptBlock(bytes + 16 * index, bytes + 16 * index)
            }
        }
        defer { derived.withUnsafeMutableBytes { explicitZero(BoringBuffer.base($0), 48) } }
        let k1Schedule: Result<AESKeySchedule, IKECryptoError> = derived.withUnsafeBytes { derived in
            Result { () throws(IKECryptoError) in
                try AESKeySchedule(key: UnsafeRawBufferPointer(rebasing: derived[0..<16]), direction: .encrypt)
            }
        }
        k1 = try k1Schedule.get()
        masks = SecretBytes(derived[16..<48])
    }

    /// The full 128-bit MAC of `message`, written to the first 16 bytes of `output`
    /// (or fewer if `output` is shorter).
    func mac(_ message: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        var state: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &state) { state in
            let e = BoringBuffer.base(state)
            let count = message.count
            // RFC 3566 §4: every block but the last is chained with K1; the last block
            // is XORed with K2 when complete, or padded (10*) and XORed with K3 when not.
            // An empty message is one incomplete block.
            let fullBlocksBeforeLast = count == 0 ? 0 : (count - 1) / 16
            for block in 0..<fullBlocksBeforeLast {
                for index in 0..<16 { e[index] ^= message[block * 16 + index] }
                k1.encryptBlock(e, e)
            }
            let lastStart = fullBlocksBeforeLast * 16
            let lastCount = count - lastStart
            masks.withUnsafeBytes { masks in
                let maskOffset = lastCount == 16 ? 0 : 16
                for index in 0..<16 {
                    let byte: UInt8 =
                        index < lastCount ? message[lastStart + index] : (index == lastCount ? 0x80 : 0)
                    e[index] ^= byte ^ masks[maskOffset + index]
                }
            }
            k1.encryptBlock(e, e)
            output.copyMemory(from: UnsafeRawBufferPointer(rebasing: state[0..<min(16, output.count)]))
            explicitZero(e, 16)
        }
    }
}
