import CCryptoBoringSSL

/// An RSA key with public exponent 3, made with BoringSSL, and the arithmetic to attack
/// it: the private-key operation on any encoded message (to sign non-canonical PKCS#1
/// v1.5 encodings), integer cube roots (Bleichenbacher's 2006 forgery for e = 3 needs no
/// private key at all), and cubes (to show what a forgery decrypts to).
struct ExponentThreeRSA: Sendable {
    /// RSAPrivateKey (PKCS#1, RFC 8017 Appendix A.1.2).
    var privateKeyDER: [UInt8]
    /// RSAPublicKey (PKCS#1, RFC 8017 Appendix A.1.1).
    var publicKeyDER: [UInt8]
    /// n, big-endian, as many octets as a signature.
    var modulus: [UInt8]

    /// One 2048-bit key per test process (key generation is slow in debug builds).
    static let shared: ExponentThreeRSA? = ExponentThreeRSA(bits: 2048)

    init?(bits: Int) {
        guard let rsa = CCryptoBoringSSL_RSA_new() else { return nil }
        defer { CCryptoBoringSSL_RSA_free(rsa) }
        guard let exponent = CCryptoBoringSSL_BN_new() else { return nil }
        defer { CCryptoBoringSSL_BN_free(exponent) }
        guard CCryptoBoringSSL_BN_set_word(exponent, 3) == 1,
            CCryptoBoringSSL_RSA_generate_key_ex(rsa, Int32(bits), exponent, nil) == 1,
            let privateKey = Self.marshal({ CCryptoBoringSSL_RSA_private_key_to_bytes($0, $1, rsa) }),
            let publicKey = Self.marshal({ CCryptoBoringSSL_RSA_public_key_to_bytes($0, $1, rsa) }),
            let n = CCryptoBoringSSL_RSA_get0_n(rsa)
        else { return nil }
        var modulus = [UInt8](repeating: 0, count: Int(CCryptoBoringSSL_RSA_size(rsa)))
        guard CCryptoBoringSSL_BN_bn2bin_padded(&modulus, modulus.count, n) == 1 else { return nil }
        (privateKeyDER, publicKeyDER, self.modulus) = (privateKey, publicKey, modulus)
    }

    private static func marshal(
        _ body: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, UnsafeMutablePointer<Int>) -> Int32
    ) -> [UInt8]? {
        var bytes: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard body(&bytes, &length) == 1, let bytes else { return nil }
        defer { CCryptoBoringSSL_OPENSSL_free(bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: length))
    }

    /// `encoded^d mod n`, with no padding added or checked: a signature whose public-key
    /// operation gives back exactly `encoded` (which must be below n).
    func signRaw(_ encoded: [UInt8]) -> [UInt8]? {
        let rsa = privateKeyDER.withUnsafeBufferPointer {
            CCryptoBoringSSL_RSA_private_key_from_bytes($0.baseAddress, $0.count)
        }
        guard let rsa else { return nil }
        defer { CCryptoBoringSSL_RSA_free(rsa) }
        var signature = [UInt8](repeating: 0, count: modulus.count)
        var length = 0
        guard CCryptoBoringSSL_RSA_sign_raw(
            rsa, &length, &signature, signature.count, encoded, encoded.count, RSA_NO_PADDING) == 1
        else { return nil }
        return Array(signature.prefix(length))
    }

    /// ⌊∛value⌋ as `length` big-endian octets, by Newton's iteration on integers.
    static func cubeRoot(_ value: [UInt8], length: Int) -> [UInt8]? {
        guard let context = CCryptoBoringSSL_BN_CTX_new() else { return nil }
        defer { CCryptoBoringSSL_BN_CTX_free(context) }
        let numbers = (0..<4).compactMap { _ in CCryptoBoringSSL_BN_new() }
        defer { numbers.forEach { CCryptoBoringSSL_BN_free($0) } }
        guard numbers.count == 4, CCryptoBoringSSL_BN_bin2bn(value, value.count, numbers[0]) != nil else { return nil }
        let (n, x, y, square) = (numbers[0], numbers[1], numbers[2], numbers[3])
        // x₀ = 2^(⌈bits/3⌉ + 1) is above the root; x ← (2x + ⌊n/x²⌋) / 3 decreases to it.
        guard CCryptoBoringSSL_BN_set_bit(x, Int32((CCryptoBoringSSL_BN_num_bits(n) + 2) / 3 + 1)) == 1 else { return nil }
        while true {
            guard CCryptoBoringSSL_BN_sqr(square, x, context) == 1,
                CCryptoBoringSSL_BN_div(y, nil, n, square, context) == 1,
                CCryptoBoringSSL_BN_add(y, y, x) == 1, CCryptoBoringSSL_BN_add(y, y, x) == 1
            else { return nil }
            _ = CCryptoBoringSSL_BN_div_word(y, 3)
            if CCryptoBoringSSL_BN_cmp(y, x) >= 0 { break }
            guard CCryptoBoringSSL_BN_copy(x, y) != nil else { return nil }
        }
        var root = [UInt8](repeating: 0, count: length)
        return CCryptoBoringSSL_BN_bn2bin_padded(&root, length, x) == 1 ? root : nil
    }

    /// value³ as `length` big-endian octets (`nil` when it does not fit).
    static func cube(_ value: [UInt8], length: Int) -> [UInt8]? {
        guard let context = CCryptoBoringSSL_BN_CTX_new() else { return nil }
        defer { CCryptoBoringSSL_BN_CTX_free(context) }
        let numbers = (0..<3).compactMap { _ in CCryptoBoringSSL_BN_new() }
        defer { numbers.forEach { CCryptoBoringSSL_BN_free($0) } }
        guard numbers.count == 3, CCryptoBoringSSL_BN_bin2bn(value, value.count, numbers[0]) != nil,
            CCryptoBoringSSL_BN_sqr(numbers[1], numbers[0], context) == 1,
            CCryptoBoringSSL_BN_mul(numbers[2], numbers[1], numbers[0], context) == 1
        else { return nil }
        var result = [UInt8](repeating: 0, count: length)
        return CCryptoBoringSSL_BN_bn2bin_padded(&result, length, numbers[2]) == 1 ? result : nil
    }
}
