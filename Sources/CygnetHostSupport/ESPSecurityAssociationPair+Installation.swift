import ESPCore
import IKECore
import IKECrypto

extension ESPSecurityAssociationPair {
    /// Keys the two ESP SAs of a Child SA the engine installed: the inbound SA opens what
    /// the peer sends to ``IKECore/ChildSAInstallation/inboundSPI``, the outbound SA seals
    /// what we send to ``IKECore/ChildSAInstallation/outboundSPI``. The transforms are
    /// resolved through `provider` as the engine resolved them when it derived the keys.
    ///
    /// - Throws: ``ESPCore/ESPError/Code/invalidConfiguration`` when the provider lacks a
    ///   transform or a key has the wrong length.
    public init(_ installation: ChildSAInstallation, provider: CryptoProvider) throws(ESPError) {
        let transforms: (encryption: EncryptionAlgorithm, integrity: (any IntegrityAlgorithm)?)
        do {
            transforms = try provider.childSATransforms(
                encryption: installation.encryption, keyBits: installation.encryptionKeyBits,
                integrity: installation.integrity)
        } catch {
            throw ESPError(.invalidConfiguration, "\(error)")
        }
        try self.init(
            inboundSPI: installation.inboundSPI, outboundSPI: installation.outboundSPI, encryption: transforms.encryption,
            integrity: transforms.integrity, inboundEncryptionKey: installation.inboundEncryptionKey,
            inboundIntegrityKey: installation.inboundIntegrityKey, outboundEncryptionKey: installation.outboundEncryptionKey,
            outboundIntegrityKey: installation.outboundIntegrityKey,
            usesExtendedSequenceNumbers: installation.usesExtendedSequenceNumbers)
    }
}
