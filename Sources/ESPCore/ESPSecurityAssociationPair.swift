import IKECrypto

/// The two ESP SAs of one Child SA, one per direction (RFC 7296 §2.17), with the same
/// transforms and keys of their own: the inbound SA opens what the peer sends to
/// `inboundSPI`, the outbound SA seals what we send to `outboundSPI`.
public struct ESPSecurityAssociationPair: Sendable {
    public var inbound: ESPSecurityAssociation
    public var outbound: ESPSecurityAssociation

    /// Keys both SAs.
    ///
    /// - Parameters:
    ///   - inboundSPI: the SPI the peer sends to.
    ///   - outboundSPI: the SPI we send to.
    ///   - encryption: the encryption transform, as `CryptoProvider.childSATransforms`
    ///     resolves it.
    ///   - integrity: the integrity transform; `nil` with an AEAD.
    ///   - inboundEncryptionKey: the encryption key of what the peer sends.
    ///   - inboundIntegrityKey: its integrity key (empty with an AEAD).
    ///   - outboundEncryptionKey: the encryption key of what we send.
    ///   - outboundIntegrityKey: its integrity key (empty with an AEAD).
    ///   - usesExtendedSequenceNumbers: whether the Child SA negotiated ESN (RFC 4303 §2.2.1).
    /// - Throws: ``ESPError/Code/invalidConfiguration`` when a key has the wrong length or
    ///   the transforms do not fit together (see ``ESPSecurityAssociation``).
    public init(
        inboundSPI: UInt32, outboundSPI: UInt32, encryption: EncryptionAlgorithm, integrity: (any IntegrityAlgorithm)?,
        inboundEncryptionKey: SecretBytes, inboundIntegrityKey: SecretBytes, outboundEncryptionKey: SecretBytes,
        outboundIntegrityKey: SecretBytes, usesExtendedSequenceNumbers: Bool
    ) throws(ESPError) {
        inbound = try ESPSecurityAssociation(
            spi: inboundSPI, encryption: encryption, encryptionKey: inboundEncryptionKey, integrity: integrity,
            integrityKey: inboundIntegrityKey, usesExtendedSequenceNumbers: usesExtendedSequenceNumbers)
        outbound = try ESPSecurityAssociation(
            spi: outboundSPI, encryption: encryption, encryptionKey: outboundEncryptionKey, integrity: integrity,
            integrityKey: outboundIntegrityKey, usesExtendedSequenceNumbers: usesExtendedSequenceNumbers)
    }
}
