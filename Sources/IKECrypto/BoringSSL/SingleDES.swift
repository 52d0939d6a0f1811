import CCryptoBoringSSL

/// Single DES (FIPS 46-3) on one 8-byte block in ECB mode, which swift-crypto's Swift
/// API lacks, for MS-CHAPv2's `DesEncrypt` (RFC 2759 §8.6) and nothing else.
public enum SingleDES {
    /// `DesEncrypt(Clear, Key)` of RFC 2759 §8.6: encrypts the 8-byte `block` with a
    /// 7-byte (56-bit) `key`, spread over the 8 bytes of a DES key with the parity bits
    /// left zero (DES ignores them).
    ///
    /// - Throws: ``IKECryptoError/Code-swift.struct/invalidKeyLength`` unless `key` is 7
    ///   bytes; ``IKECryptoError/Code-swift.struct/invalidParameter`` unless `block` is 8.
    public static func encrypt(block: [UInt8], key56: SecretBytes) throws(IKECryptoError) -> [UInt8] {
        guard key56.count == 7 else { throw IKECryptoError(.invalidKeyLength, "DES key must be 7 bytes") }
        guard block.count == 8 else { throw IKECryptoError(.invalidParameter, "DES block must be 8 bytes") }
        var key = DES_cblock()
        key56.withUnsafeBytes { source in
            withUnsafeMutableBytes(of: &key) { expanded in
                // Bit i of the 56 goes to the seven high bits of byte i / 7 of the key.
                var bits: UInt64 = 0
                for byte in source { bits = bits << 8 | UInt64(byte) }
                for index in 0..<8 {
                    expanded[index] = (UInt8(truncatingIfNeeded: bits >> UInt64(49 - 7 * index)) & 0x7F) << 1
                }
                explicitZero(&bits, MemoryLayout<UInt64>.size)
            }
        }
        var schedule = DES_key_schedule()
        CCryptoBoringSSL_DES_set_key_unchecked(&key, &schedule)
        var input = DES_cblock()
        var output = DES_cblock()
        withUnsafeMutableBytes(of: &input) { $0.copyBytes(from: block) }
        CCryptoBoringSSL_DES_ecb_encrypt(&input, &output, &schedule, DES_ENCRYPT)
        explicitZero(&key, MemoryLayout<DES_cblock>.size)
        explicitZero(&schedule, MemoryLayout<DES_key_schedule>.size)
        return withUnsafeBytes(of: &output) { Array($0) }
    }
}
