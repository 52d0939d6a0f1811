import CCryptoBoringSSL

/// MD4 (RFC 1320), which swift-crypto's Swift API lacks, for the NT password hash of
/// MS-CHAPv2 (RFC 2759 §8.3) and nothing else. Reached through ``LegacyDigest``.
struct MD4Hasher {
    /// The digest length in bytes.
    static let length = Int(MD4_DIGEST_LENGTH)

    private var context = MD4_CTX()

    init() {
        CCryptoBoringSSL_MD4_Init(&context)
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        CCryptoBoringSSL_MD4_Update(&context, base, bytes.count)
    }

    /// The digest; the context is zeroed afterwards (it held secret input).
    mutating func finalize() -> SecretBytes {
        let digest = SecretBytes(count: Self.length) { buffer in
            _ = CCryptoBoringSSL_MD4_Final(BoringBuffer.base(buffer), &context)
        }
        explicitZero(&context, MemoryLayout<MD4_CTX>.size)
        return digest
    }
}
