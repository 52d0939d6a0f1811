import CCryptoBoringSSL
import IKEWire

/// Finite-field Diffie-Hellman over the MODP groups of RFC 2409 §6.2 (group 2) and
/// RFC 3526 (groups 5 and 14–18), generator 2, on BoringSSL's constant-time Montgomery
/// exponentiation with one Montgomery context per group built once per process.
///
/// ### Private exponent
/// RFC 3526 §8: "The exponent size used in the Diffie-Hellman must be selected so that it
/// matches other parts of the system. It should not be the weakest link in the security
/// system. It should have double the entropy of the strength of the entire system".
/// Cygnet takes the larger ("Strength Estimate 2") exponent size of the table in that
/// section, rounded up to a multiple of 64 bits; for group 2, which RFC 3526 does not
/// list, 256 bits. The top bit is set so every exponent has the same length.
///
/// | group | prime | strength estimate 2 | exponent bits |
/// |---|---|---|---|
/// | 2 | 1024 | – | 256 |
/// | 5 | 1536 | 120 (240-) | 256 |
/// | 14 | 2048 | 160 (320-) | 320 |
/// | 15 | 3072 | 210 (420-) | 448 |
/// | 16 | 4096 | 240 (480-) | 512 |
/// | 17 | 6144 | 270 (540-) | 576 |
/// | 18 | 8192 | 310 (620-) | 640 |
///
/// ### Values on the wire
/// Public values and the shared secret are left-padded with zeros to the length of the
/// prime. RFC 7296 §3.4: "The length of the Diffie-Hellman public value for MODP groups
/// MUST be equal to the length of the prime modulus over which the exponentiation was
/// performed, prepending zero bits to the value if necessary." A peer value of another
/// length, or outside 1 < y < p-1 (RFC 6989 §2.1), throws
/// ``IKECryptoError/Code/invalidPublicValue``.
public struct MODPKeyExchange: KeyExchangeMethod {
    public let id: KeyExchangeMethodID
    /// Prime length in bits.
    public let primeBits: Int
    /// Private exponent length in bits (see the table above).
    public let exponentBits: Int

    /// Whether the group is too weak for a default proposal (1024 and 1536-bit): the
    /// configuration has to ask for it by name.
    public var isLegacy: Bool { primeBits < 2048 }

    /// MODP group 2 (RFC 2409 §6.2), legacy.
    public static let modp1024 = MODPKeyExchange(id: .modp1024, primeBits: 1024, exponentBits: 256)
    /// MODP group 5 (RFC 3526 §2), legacy.
    public static let modp1536 = MODPKeyExchange(id: .modp1536, primeBits: 1536, exponentBits: 256)
    /// MODP group 14 (RFC 3526 §3).
    public static let modp2048 = MODPKeyExchange(id: .modp2048, primeBits: 2048, exponentBits: 320)
    /// MODP group 15 (RFC 3526 §4).
    public static let modp3072 = MODPKeyExchange(id: .modp3072, primeBits: 3072, exponentBits: 448)
    /// MODP group 16 (RFC 3526 §5).
    public static let modp4096 = MODPKeyExchange(id: .modp4096, primeBits: 4096, exponentBits: 512)
    /// MODP group 17 (RFC 3526 §6).
    public static let modp6144 = MODPKeyExchange(id: .modp6144, primeBits: 6144, exponentBits: 576)
    /// MODP group 18 (RFC 3526 §7).
    public static let modp8192 = MODPKeyExchange(id: .modp8192, primeBits: 8192, exponentBits: 640)

    /// Every group, weakest first.
    public static let all: [MODPKeyExchange] = [modp1024, modp1536, modp2048, modp3072, modp4096, modp6144, modp8192]

    private init(id: KeyExchangeMethodID, primeBits: Int, exponentBits: Int) {
        self.id = id
        self.primeBits = primeBits
        self.exponentBits = exponentBits
    }

    public var initiatorValueLength: Int { primeBits / 8 }
    public var responderValueLength: Int { primeBits / 8 }

    /// Draws a private exponent from `random` and computes g^x mod p.
    public func generate(using random: inout some RandomSource) throws(IKECryptoError) -> any KeyExchangeShare {
        try makeShare(group: try parameters(), using: &random)
    }

    private func makeShare(group: MODPGroup, using random: inout some RandomSource) throws(IKECryptoError)
        -> MODPKeyExchangeShare
    {
        let exponent = makeExponent(using: &random)
        var publicValue = [UInt8](repeating: 0, count: group.byteCount)
        let outcome: Result<Void, IKECryptoError> = publicValue.withUnsafeMutableBytes { output in
            exponent.withUnsafeBytes { exponent in
                Result { () throws(IKECryptoError) in
                    try group.power(base: group.generator, exponent: exponent, into: output)
                }
            }
        }
        try outcome.get()
        return MODPKeyExchangeShare(group: group, exponent: exponent, publicValue: publicValue)
    }

    /// Checks the peer's value, makes this side's key and returns g^y mod p with the
    /// shared secret.
    public func respond(to peerValue: [UInt8], using random: inout some RandomSource) throws(IKECryptoError)
        -> (publicValue: [UInt8], sharedSecret: SecretBytes)
    {
        let group = try parameters()
        // Check the peer's value before spending randomness or time on it.
        let peer = try group.parsePeerValue(peerValue)
        defer { BoringBignum.free(peer) }
        let share = try makeShare(group: group, using: &random)
        return (share.publicValue, try share.sharedSecret(with: peer))
    }

    private func parameters() throws(IKECryptoError) -> MODPGroup {
        guard let group = MODPGroup.group(id) else {
            throw IKECryptoError(.internalFailure, "MODP group \(id.rawValue) parameters unavailable")
        }
        return group
    }

    /// `exponentBits` random bits with the top bit set (so never 0 or 1).
    func makeExponent(using random: inout some RandomSource) -> SecretBytes {
        SecretBytes(count: exponentBits / 8) { bytes in
            random.fill(bytes)
            bytes[0] |= 0x80
        }
    }
}
