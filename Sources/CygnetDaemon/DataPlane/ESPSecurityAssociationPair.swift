import ESPCore
import IKECore
import IKECrypto
import IKEWire

/// The two ESP SAs of one installed Child SA, one per direction (RFC 7296 §2.17), keyed
/// from the engine's ``ChildSAInstallation``: the inbound SA opens what the peer sends to
/// ``ChildSAInstallation/inboundSPI``, the outbound SA seals what we send to
/// ``ChildSAInstallation/outboundSPI``.
struct ESPSecurityAssociationPair: Sendable {
    var inbound: ESPSecurityAssociation
    var outbound: ESPSecurityAssociation

    /// Resolves the negotiated transforms through `provider`, as the engine did when it
    /// derived the keys (3DES and NULL come from its legacy set: a Child SA has them only
    /// when its configuration offered them).
    ///
    /// - Throws: ``ESPError/Code/invalidConfiguration`` when the provider lacks a transform
    ///   or a key has the wrong length.
    init(_ installation: ChildSAInstallation, provider: CryptoProvider) throws(ESPError) {
        let provider =
            [.tripleDES, .null].contains(installation.encryption) ? provider.addingLegacyTransforms() : provider
        let encryption: EncryptionAlgorithm
        let integrity: (any IntegrityAlgorithm)?
        do {
            encryption = try provider.encryptionAlgorithm(installation.encryption, keyBits: installation.encryptionKeyBits)
            integrity = try installation.integrity.map { id throws(IKECryptoError) in try provider.integrityAlgorithm(id) }
        } catch {
            throw ESPError(.invalidConfiguration, "\(error)")
        }
        inbound = try ESPSecurityAssociation(
            spi: installation.inboundSPI, encryption: encryption, encryptionKey: installation.inboundEncryptionKey,
            integrity: integrity, integrityKey: installation.inboundIntegrityKey,
            usesExtendedSequenceNumbers: installation.usesExtendedSequenceNumbers)
        outbound = try ESPSecurityAssociation(
            spi: installation.outboundSPI, encryption: encryption, encryptionKey: installation.outboundEncryptionKey,
            integrity: integrity, integrityKey: installation.outboundIntegrityKey,
            usesExtendedSequenceNumbers: installation.usesExtendedSequenceNumbers)
    }
}
