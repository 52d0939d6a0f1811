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
    ///   - encryption, integrity: the transforms, as `CryptoProvider.childSATransforms`
    ///     resolves them; `integrity` is `nil` with an AEAD.
    ///   - inboundEncryptionKey, inboundIntegrityKey: the keys of what the peer sends.
    ///   - outboundEncryptionKey, outboundIntegrityKey: the keys of what we send.
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
