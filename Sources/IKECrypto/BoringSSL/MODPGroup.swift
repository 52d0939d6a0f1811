import CCryptoBoringSSL
import IKEWire

/// The fixed parameters of one MODP group, built once per process: the prime `p`,
/// `p - 1`, the generator 2 and a Montgomery context for `p`.
///
/// `@unchecked Sendable` is safe: every field is written only in `init` and then only
/// read; `BN_mod_exp_mont_consttime` takes the prime and the `BN_MONT_CTX` as `const`
/// and keeps its scratch space in a per-call `BN_CTX`. The groups live in `static let`s,
/// which Swift initialises once, thread-safely, on first use.
final class MODPGroup: @unchecked Sendable {
    let prime: UnsafeMutablePointer<BIGNUM>
    let primeMinusOne: UnsafeMutablePointer<BIGNUM>
    let generator: UnsafeMutablePointer<BIGNUM>
    let montgomery: OpaquePointer
    /// Length of the prime in bytes: the length of public values and shared secrets.
    let byteCount: Int

    /// RFC 2409 §6.2, the Second Oakley Group (IKE group 2): 2^1024 - 2^960 - 1 +
    /// 2^64 * { [2^894 pi] + 129093 }. BoringSSL has no `BN_get_rfc2409_prime_1024`, so
    /// the published constant is written out here (the tests check it is prime and
    /// shares its leading digits of pi with RFC 3526's 1536-bit prime).
    static let oakleyGroup2PrimeHex =
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
        + "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
        + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
        + "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
        + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381"
        + "FFFFFFFFFFFFFFFF"

    static let group2 = MODPGroup(bits: 1024) { prime in
        oakleyGroup2PrimeHex.withCString { hex in
            var result: UnsafeMutablePointer<BIGNUM>? = prime
            return CCryptoBoringSSL_BN_hex2bn(&result, hex) == 256 ? result : nil
        }
    }
    static let group5 = MODPGroup(bits: 1536) { CCryptoBoringSSL_BN_get_rfc3526_prime_1536($0) }
    static let group14 = MODPGroup(bits: 2048) { CCryptoBoringSSL_BN_get_rfc3526_prime_2048($0) }
    static let group15 = MODPGroup(bits: 3072) { CCryptoBoringSSL_BN_get_rfc3526_prime_3072($0) }
    static let group16 = MODPGroup(bits: 4096) { CCryptoBoringSSL_BN_get_rfc3526_prime_4096($0) }
    static let group17 = MODPGroup(bits: 6144) { CCryptoBoringSSL_BN_get_rfc3526_prime_6144($0) }
    static let group18 = MODPGroup(bits: 8192) { CCryptoBoringSSL_BN_get_rfc3526_prime_8192($0) }

    /// The group for an ID, or `nil` if it is not a MODP group here or could not be built
    /// (allocation failure).
    static func group(_ id: KeyExchangeMethodID) -> MODPGroup? {
        switch id {
        case .modp1024: group2
        case .modp1536: group5
        case .modp2048: group14
        case .modp3072: group15
        case .modp4096: group16
        case .modp6144: group17
        case .modp8192: group18
        default: nil
        }
    }

    /// `loadPrime` writes the prime into the `BIGNUM` it is given and returns it, or
    /// `nil` on failure.
    private init?(bits: Int, loadPrime: (UnsafeMutablePointer<BIGNUM>) -> UnsafeMutablePointer<BIGNUM>?) {
        guard let prime = CCryptoBoringSSL_BN_new() else { return nil }
        guard loadPrime(prime) != nil, Int(CCryptoBoringSSL_BN_num_bits(prime)) == bits,
            let primeMinusOne = CCryptoBoringSSL_BN_dup(prime)
        else {
            CCryptoBoringSSL_BN_free(prime)
            return nil
        }
        guard CCryptoBoringSSL_BN_sub_word(primeMinusOne, 1) == 1, let generator = CCryptoBoringSSL_BN_new() else {
            CCryptoBoringSSL_BN_free(prime)
            CCryptoBoringSSL_BN_free(primeMinusOne)
            return nil
        }
        guard CCryptoBoringSSL_BN_set_word(generator, 2) == 1,
            let montgomery = CCryptoBoringSSL_BN_MONT_CTX_new_for_modulus(prime, nil)
        else {
            CCryptoBoringSSL_BN_free(prime)
            CCryptoBoringSSL_BN_free(primeMinusOne)
            CCryptoBoringSSL_BN_free(generator)
            return nil
        }
        self.prime = prime
        self.primeMinusOne = primeMinusOne
        self.generator = generator
        self.montgomery = montgomery
        self.byteCount = bits / 8
    }

    deinit {
        CCryptoBoringSSL_BN_free(prime)
        CCryptoBoringSSL_BN_free(primeMinusOne)
        CCryptoBoringSSL_BN_free(generator)
        CCryptoBoringSSL_BN_MONT_CTX_free(montgomery)
    }

    /// `base^exponent mod p`, in constant time, left-padded to ``byteCount`` bytes and
    /// written to `output`. `base` must be in [0, p), `exponent` the big-endian secret.
    func power(
        base: UnsafePointer<BIGNUM>, exponent: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(IKECryptoError) {
        guard output.count == byteCount else { throw IKECryptoError(.internalFailure, "MODP output size") }
        guard let context = CCryptoBoringSSL_BN_CTX_new() else {
            throw IKECryptoError(.internalFailure, "BN_CTX_new failed")
        }
        defer { CCryptoBoringSSL_BN_CTX_free(context) }
        guard let x = CCryptoBoringSSL_BN_bin2bn(BoringBuffer.base(exponent), exponent.count, nil) else {
            throw IKECryptoError(.internalFailure, "BN_bin2bn failed")
        }
        defer { CCryptoBoringSSL_BN_clear_free(x) }
        guard let result = CCryptoBoringSSL_BN_new() else { throw IKECryptoError(.internalFailure, "BN_new failed") }
        defer { CCryptoBoringSSL_BN_clear_free(result) }
        guard CCryptoBoringSSL_BN_mod_exp_mont_consttime(result, base, x, prime, context, montgomery) == 1,
            CCryptoBoringSSL_BN_bn2bin_padded(BoringBuffer.base(output), output.count, result) == 1
        else {
            throw IKECryptoError(.internalFailure, "modular exponentiation failed")
        }
    }

    /// The prime, big-endian, ``byteCount`` bytes (for diagnostics and tests).
    func primeBytes() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: byteCount)
        let ok = bytes.withUnsafeMutableBytes {
            CCryptoBoringSSL_BN_bn2bin_padded(BoringBuffer.base($0), $0.count, prime) == 1
        }
        return ok ? bytes : []
    }

    /// Parses a peer's public value and checks it, returning the `BIGNUM` (the caller
    /// frees it).
    ///
    /// RFC 7296 §3.4: "The length of the Diffie-Hellman public value for MODP groups MUST
    /// be equal to the length of the prime modulus over which the exponentiation was
    /// performed, prepending zero bits to the value if necessary." RFC 6989 §2.1 then has
    /// the recipient check that the value is in range, 1 < y < p-1, which for these
    /// safe-prime groups is the whole test (y = 0, 1 or p-1 would pin the shared secret
    /// to a tiny set).
    func parsePeerValue(_ value: [UInt8]) throws(IKECryptoError) -> UnsafeMutablePointer<BIGNUM> {
        guard value.count == byteCount else {
            throw IKECryptoError(
                .invalidPublicValue, "MODP public value is \(value.count) bytes, the prime is \(byteCount)")
        }
        let parsed = value.withUnsafeBytes { CCryptoBoringSSL_BN_bin2bn(BoringBuffer.base($0), $0.count, nil) }
        guard let y = parsed else { throw IKECryptoError(.internalFailure, "BN_bin2bn failed") }
        guard CCryptoBoringSSL_BN_cmp_word(y, 1) > 0, CCryptoBoringSSL_BN_cmp(y, primeMinusOne) < 0 else {
            CCryptoBoringSSL_BN_free(y)
            throw IKECryptoError(.invalidPublicValue, "MODP public value is not in 1 < y < p-1")
        }
        return y
    }
}
