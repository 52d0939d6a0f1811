import IKEWire

/// The transforms Cygnet can use, looked up by IANA ID: the one place that says which
/// implementation serves which transform.
///
/// Tests inject another provider (for instance a deterministic, insecure one for
/// fuzzing); every provider passes the same known-answer suite.
public struct CryptoProvider: Sendable {
    public var pseudorandomFunctions: [PseudorandomFunctionID: any PseudorandomFunction]
    public var integrityAlgorithms: [IntegrityAlgorithmID: any IntegrityAlgorithm]
    /// Keyed by transform ID and key length in bits (0 for fixed-length ciphers).
    public var encryptionAlgorithms: [EncryptionKey: EncryptionAlgorithm]
    public var keyExchangeMethods: [KeyExchangeMethodID: any KeyExchangeMethod]

    /// Identifies an encryption transform with its Key Length attribute.
    public struct EncryptionKey: Hashable, Sendable {
        public var id: EncryptionAlgorithmID
        /// The Key Length attribute in bits; 0 when the transform has none.
        public var keyBits: Int

        public init(_ id: EncryptionAlgorithmID, keyBits: Int = 0) {
            self.id = id
            self.keyBits = keyBits
        }
    }

    public init(
        pseudorandomFunctions: [any PseudorandomFunction], integrityAlgorithms: [any IntegrityAlgorithm],
        encryptionAlgorithms: [EncryptionAlgorithm], keyExchangeMethods: [any KeyExchangeMethod]
    ) {
        self.pseudorandomFunctions = Dictionary(pseudorandomFunctions.map { ($0.id, $0) }) { first, _ in first }
        self.integrityAlgorithms = Dictionary(integrityAlgorithms.map { ($0.id, $0) }) { first, _ in first }
        self.encryptionAlgorithms = Dictionary(
            encryptionAlgorithms.map { algorithm in
                let bits: Int =
                    switch algorithm {
                    case .cipher(let cipher): cipher.id.hasKeyLengthAttribute ? cipher.keyBits : 0
                    case .aead(let aead): aead.id.hasKeyLengthAttribute ? aead.keyBits : 0
                    }
                return (EncryptionKey(algorithm.id, keyBits: bits), algorithm)
            }
        ) { first, _ in first }
        self.keyExchangeMethods = Dictionary(keyExchangeMethods.map { ($0.id, $0) }) { first, _ in first }
    }

    public func pseudorandomFunction(_ id: PseudorandomFunctionID) throws(IKECryptoError) -> any PseudorandomFunction {
        guard let prf = pseudorandomFunctions[id] else { throw IKECryptoError(.unsupportedTransform, "\(id)") }
        return prf
    }

    public func integrityAlgorithm(_ id: IntegrityAlgorithmID) throws(IKECryptoError) -> any IntegrityAlgorithm {
        guard let integrity = integrityAlgorithms[id] else { throw IKECryptoError(.unsupportedTransform, "\(id)") }
        return integrity
    }

    /// The encryption transform for an ID and its Key Length attribute (`nil` when the
    /// transform carried none).
    public func encryptionAlgorithm(_ id: EncryptionAlgorithmID, keyBits: Int?) throws(IKECryptoError)
        -> EncryptionAlgorithm
    {
        let key = EncryptionKey(id, keyBits: id.hasKeyLengthAttribute ? keyBits ?? 0 : 0)
        guard let algorithm = encryptionAlgorithms[key] else {
            throw IKECryptoError(.unsupportedTransform, "\(id)" + (keyBits.map { " with \($0)-bit key" } ?? ""))
        }
        return algorithm
    }

    public func keyExchangeMethod(_ id: KeyExchangeMethodID) throws(IKECryptoError) -> any KeyExchangeMethod {
        guard let method = keyExchangeMethods[id] else { throw IKECryptoError(.unsupportedTransform, "\(id)") }
        return method
    }
}

extension EncryptionAlgorithmID {
    /// Whether the transform takes a Key Length attribute (RFC 7296 §3.3.5: AES and
    /// Camellia modes, not 3DES, NULL or ChaCha20-Poly1305).
    public var hasKeyLengthAttribute: Bool {
        switch self {
        case .aesCBC, .aesCTR, .aesCCM8, .aesCCM12, .aesCCM16, .aesGCM8, .aesGCM12, .aesGCM16, .nullAuthAESGMAC:
            true
        default:
            (23...27).contains(rawValue)  // Camellia
        }
    }
}
