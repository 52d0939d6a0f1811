import CCryptoBoringSSL

/// The initiator's side of an ML-KEM exchange: the 64-byte seed (zeroed on release) and
/// the encoded encapsulation key.
struct MLKEMKeyExchangeShare: KeyExchangeShare {
    let method: MLKEMKeyExchange
    let seed: SecretBytes
    let publicValue: [UInt8]

    /// Decapsulates the responder's ciphertext.
    ///
    /// - Throws: ``IKECryptoError/Code/invalidPublicValue`` if the ciphertext is not
    ///   exactly 1088 (ML-KEM-768) or 1568 (ML-KEM-1024) bytes.
    func complete(peerValue: [UInt8]) throws(IKECryptoError) -> SecretBytes {
        guard peerValue.count == method.responderValueLength else {
            throw IKECryptoError(
                .invalidPublicValue,
                "\(method.id) ciphertext is \(peerValue.count) bytes, not \(method.responderValueLength)")
        }
        var ok = false
        let secret = SecretBytes(count: MLKEMKeyExchange.sharedSecretLength) { secret in
            let secret8 = BoringBuffer.base(secret)
            seed.withUnsafeBytes { seed in
                peerValue.withUnsafeBytes { ciphertext in
                    let ciphertext8 = BoringBuffer.base(ciphertext)
                    switch method.parameterSet {
                    case .mlKEM768:
                        var privateKey = MLKEM768_private_key()
                        defer { explicitZero(&privateKey, MemoryLayout<MLKEM768_private_key>.size) }
                        guard CCryptoBoringSSL_MLKEM768_private_key_from_seed(
                            &privateKey, BoringBuffer.base(seed), seed.count) == 1
                        else { return }
                        ok = CCryptoBoringSSL_MLKEM768_decap(secret8, ciphertext8, ciphertext.count, &privateKey) == 1
                    case .mlKEM1024:
                        var privateKey = MLKEM1024_private_key()
                        defer { explicitZero(&privateKey, MemoryLayout<MLKEM1024_private_key>.size) }
                        guard CCryptoBoringSSL_MLKEM1024_private_key_from_seed(
                            &privateKey, BoringBuffer.base(seed), seed.count) == 1
                        else { return }
                        ok = CCryptoBoringSSL_MLKEM1024_decap(secret8, ciphertext8, ciphertext.count, &privateKey) == 1
                    }
                }
            }
        }
        guard ok else { throw IKECryptoError(.internalFailure, "ML-KEM decapsulation failed") }
        return secret
    }
}
