import CCryptoBoringSSL
import IKEWire

/// ML-KEM-768 and ML-KEM-1024 (FIPS 203) as IKEv2 key exchange methods 36 and 37
/// (RFC 9370 additional key exchanges; draft-ietf-ipsecme-ikev2-mlkem), on BoringSSL.
///
/// The initiator sends its encapsulation key (1184 or 1568 bytes); the responder
/// encapsulates to it and sends the ciphertext (1088 or 1568 bytes); both get a 32-byte
/// shared secret.
///
/// - The key pair is derived from a 64-byte seed (d ‖ z, FIPS 203 §7.1) drawn from the
///   injected ``RandomSource``, so the same seed always gives the same key pair. Only the
///   seed is kept (zeroed on release); the expanded private key is rebuilt on the stack
///   when the ciphertext arrives and zeroed after use.
/// - Encapsulation randomness comes from BoringSSL's own generator (the OS CSPRNG):
///   BoringSSL keeps its external-entropy encapsulation (`BCM_mlkem768_encap_external_entropy`)
///   in an internal header, outside the module swift-crypto exposes. A responder's
///   ciphertext is therefore not reproducible from the ``RandomSource``.
/// - A peer's encapsulation key of the wrong length, or one that fails the FIPS 203 §7.2
///   modulus check (`MLKEM*_parse_public_key` rejects coefficients ≥ q), and a ciphertext of
///   the wrong length, throw ``IKECryptoError/Code/invalidPublicValue``. A well-formed but
///   wrong ciphertext decapsulates to an unrelated secret (implicit rejection), which the
///   later ICV check catches.
public struct MLKEMKeyExchange: KeyExchangeMethod {
    /// The parameter set.
    public enum ParameterSet: Hashable, Sendable {
        case mlKEM768
        case mlKEM1024
    }

    public let parameterSet: ParameterSet

    /// ML-KEM-768, key exchange method 36.
    public static let mlKEM768 = MLKEMKeyExchange(parameterSet: .mlKEM768)
    /// ML-KEM-1024, key exchange method 37.
    public static let mlKEM1024 = MLKEMKeyExchange(parameterSet: .mlKEM1024)

    /// Both parameter sets.
    public static let all: [MLKEMKeyExchange] = [mlKEM768, mlKEM1024]

    private init(parameterSet: ParameterSet) {
        self.parameterSet = parameterSet
    }

    /// Seed length (FIPS 203 d ‖ z).
    public static let seedLength = 64
    /// Shared secret length.
    public static let sharedSecretLength = 32

    public var id: KeyExchangeMethodID {
        switch parameterSet {
        case .mlKEM768: .mlKEM768
        case .mlKEM1024: .mlKEM1024
        }
    }

    /// Encapsulation key length: 1184 or 1568 bytes.
    public var initiatorValueLength: Int {
        switch parameterSet {
        case .mlKEM768: 1184
        case .mlKEM1024: 1568
        }
    }

    /// Ciphertext length: 1088 or 1568 bytes.
    public var responderValueLength: Int {
        switch parameterSet {
        case .mlKEM768: 1088
        case .mlKEM1024: 1568
        }
    }

    /// Derives the key pair from 64 bytes of `random`.
    public func generate(using random: inout some RandomSource) throws(IKECryptoError) -> any KeyExchangeShare {
        let seed = random.secretBytes(Self.seedLength)
        let publicKey = try Self.encapsulationKey(seed: seed, parameterSet: parameterSet)
        return MLKEMKeyExchangeShare(method: self, seed: seed, publicValue: publicKey)
    }

    /// Checks the peer's encapsulation key and encapsulates to it. `random` is not used
    /// (see the type's notes).
    public func respond(to peerValue: [UInt8], using random: inout some RandomSource) throws(IKECryptoError)
        -> (publicValue: [UInt8], sharedSecret: SecretBytes)
    {
        guard peerValue.count == initiatorValueLength else {
            throw IKECryptoError(
                .invalidPublicValue, "\(id) encapsulation key is \(peerValue.count) bytes, not \(initiatorValueLength)")
        }
        var ciphertext = [UInt8](repeating: 0, count: responderValueLength)
        var parsed = false
        let secret = SecretBytes(count: Self.sharedSecretLength) { secret in
            let secret8 = BoringBuffer.base(secret)
            peerValue.withUnsafeBytes { peer in
                ciphertext.withUnsafeMutableBytes { ciphertext in
                    var cbs = CBS()
                    CCryptoBoringSSL_CBS_init(&cbs, BoringBuffer.base(peer), peer.count)
                    let out = BoringBuffer.base(ciphertext)
                    switch parameterSet {
                    case .mlKEM768:
                        var key = MLKEM768_public_key()
                        guard CCryptoBoringSSL_MLKEM768_parse_public_key(&key, &cbs) == 1 else { return }
                        CCryptoBoringSSL_MLKEM768_encap(out, secret8, &key)
                    case .mlKEM1024:
                        var key = MLKEM1024_public_key()
                        guard CCryptoBoringSSL_MLKEM1024_parse_public_key(&key, &cbs) == 1 else { return }
                        CCryptoBoringSSL_MLKEM1024_encap(out, secret8, &key)
                    }
                    parsed = true
                }
            }
        }
        guard parsed else {
            CCryptoBoringSSL_ERR_clear_error()
            throw IKECryptoError(.invalidPublicValue, "\(id) encapsulation key fails the FIPS 203 modulus check")
        }
        return (ciphertext, secret)
    }

    /// The encoded encapsulation key for `seed`.
    static func encapsulationKey(seed: SecretBytes, parameterSet: ParameterSet) throws(IKECryptoError) -> [UInt8] {
        let length = parameterSet == .mlKEM768 ? 1184 : 1568
        var publicKey = [UInt8](repeating: 0, count: length)
        let ok: Bool = seed.withUnsafeBytes { seed in
            publicKey.withUnsafeMutableBytes { output in
                var cbb = CBB()
                guard CCryptoBoringSSL_CBB_init_fixed(&cbb, BoringBuffer.base(output), output.count) == 1 else {
                    return false
                }
                defer { CCryptoBoringSSL_CBB_cleanup(&cbb) }
                let written: Bool
                switch parameterSet {
                case .mlKEM768:
                    var privateKey = MLKEM768_private_key()
                    defer { explicitZero(&privateKey, MemoryLayout<MLKEM768_private_key>.size) }
                    var publicKey = MLKEM768_public_key()
                    guard CCryptoBoringSSL_MLKEM768_private_key_from_seed(
                        &privateKey, BoringBuffer.base(seed), seed.count) == 1
                    else { return false }
                    CCryptoBoringSSL_MLKEM768_public_from_private(&publicKey, &privateKey)
                    written = CCryptoBoringSSL_MLKEM768_marshal_public_key(&cbb, &publicKey) == 1
                case .mlKEM1024:
                    var privateKey = MLKEM1024_private_key()
                    defer { explicitZero(&privateKey, MemoryLayout<MLKEM1024_private_key>.size) }
                    var publicKey = MLKEM1024_public_key()
                    guard CCryptoBoringSSL_MLKEM1024_private_key_from_seed(
                        &privateKey, BoringBuffer.base(seed), seed.count) == 1
                    else { return false }
                    CCryptoBoringSSL_MLKEM1024_public_from_private(&publicKey, &privateKey)
                    written = CCryptoBoringSSL_MLKEM1024_marshal_public_key(&cbb, &publicKey) == 1
                }
                return written && CCryptoBoringSSL_CBB_len(&cbb) == output.count
            }
        }
        guard ok else { throw IKECryptoError(.internalFailure, "ML-KEM key generation failed") }
        return publicKey
    }
}
