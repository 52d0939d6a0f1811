import IKEWire

extension CryptoProvider {
    /// The transforms of a Child SA's ESP SAs, looked up by the IDs its chosen proposal
    /// carries. 3DES and NULL come from ``addingLegacyTransforms()``: a Child SA has them
    /// only when its configuration offered them (its proposals are the opt-in).
    ///
    /// - Parameters:
    ///   - encryption: the encryption transform's ID.
    ///   - keyBits: its Key Length attribute (RFC 7296 §3.3.5), `nil` when it had none.
    ///   - integrity: the integrity transform's ID; `nil` with an AEAD.
    /// - Throws: ``IKECryptoError/Code/unsupportedTransform`` when the provider lacks one.
    public func childSATransforms(encryption: EncryptionAlgorithmID, keyBits: Int?, integrity: IntegrityAlgorithmID?)
        throws(IKECryptoError) -> (encryption: EncryptionAlgorithm, integrity: (any IntegrityAlgorithm)?)
    {
        let provider = [.tripleDES, .null].contains(encryption) ? addingLegacyTransforms() : self
        return (
            try provider.encryptionAlgorithm(encryption, keyBits: keyBits),
            try integrity.map { id throws(IKECryptoError) in try provider.integrityAlgorithm(id) }
        )
    }
}
