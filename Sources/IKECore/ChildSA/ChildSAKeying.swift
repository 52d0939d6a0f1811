import IKEConfig
import IKECrypto
import IKEWire
import NIOCore

/// Child SA keys (RFC 7296 §2.17) and their installation, for every exchange that
/// creates a Child SA, on either side.
extension IKEEngine {
    /// Derives Child SA keys (RFC 7296 §2.17) and asks the host to install the pair.
    /// `isExchangeInitiator` says whether we started the exchange that created it: its
    /// initiator sends with the "initiator" keys.
    mutating func installChildSA(
        _ sa: IKESA, config: ChildSAConfiguration, chosen: Proposal, inboundSPI: UInt32, outboundSPI: UInt32,
        localSelectors: [TrafficSelector], remoteSelectors: [TrafficSelector], sharedSecrets: [SecretBytes],
        initiatorNonce: [UInt8], responderNonce: [UInt8], isExchangeInitiator: Bool
    ) -> ChildSA? {
        guard let keys = sa.keys, let encryptionTransform = chosen.transforms(ofType: .encryptionAlgorithm).first else {
            return nil
        }
        let integrityTransform = chosen.transforms(ofType: .integrityAlgorithm).first
        let esn = chosen.transforms(ofType: .sequenceNumbers).first?.id == SequenceNumbersID.extendedSequenceNumbers.rawValue
        do {
            let encryptionID = EncryptionAlgorithmID(rawValue: encryptionTransform.id)
            let integrityID = integrityTransform.map { IntegrityAlgorithmID(rawValue: $0.id) }
            // 3DES and NULL come from the legacy set: a Child SA gets them only when the
            // configuration offered them (its proposals are the opt-in).
            let (encryption, integrity) = try configuration.provider.childSATransforms(
                encryption: encryptionID, keyBits: encryptionTransform.keyLength.map(Int.init), integrity: integrityID)
            let material = try keys.schedule.childKeyMaterial(
                skD: keys.material.d, encryption: encryption, integrity: integrity, sharedSecrets: sharedSecrets,
                initiatorNonce: initiatorNonce, responderNonce: responderNonce)
            effects.append(.installChildSA(ChildSAInstallation(
                name: config.name, inboundSPI: inboundSPI, outboundSPI: outboundSPI, encryption: encryptionID,
                encryptionKeyBits: encryptionTransform.keyLength.map(Int.init),
                integrity: integrityID,
                usesExtendedSequenceNumbers: esn,
                inboundEncryptionKey: isExchangeInitiator ? material.responderEncryption : material.initiatorEncryption,
                inboundIntegrityKey: isExchangeInitiator ? material.responderIntegrity : material.initiatorIntegrity,
                outboundEncryptionKey: isExchangeInitiator ? material.initiatorEncryption : material.responderEncryption,
                outboundIntegrityKey: isExchangeInitiator ? material.initiatorIntegrity : material.responderIntegrity,
                localTrafficSelectors: localSelectors, remoteTrafficSelectors: remoteSelectors, mode: config.mode,
                localAddress: sa.local, remoteAddress: sa.remote,
                isUDPEncapsulated: sa.isUDPEncapsulated)))
            return ChildSA(
                name: config.name, inboundSPI: inboundSPI, outboundSPI: outboundSPI, localSelectors: localSelectors,
                remoteSelectors: remoteSelectors, transforms: chosen.transforms, mode: config.mode)
        } catch {
            return nil
        }
    }

    /// Adds an installed Child SA to an established IKE SA and reports it.
    mutating func addChild(_ sa: inout IKESA, _ child: ChildSA, isExchangeInitiator: Bool) {
        guard case .established(var state) = sa.state else { return }
        state.children.append(child)
        sa.state = .established(state)
        events.append(.childSAInstalled(
            name: child.name, inboundSPI: child.inboundSPI, outboundSPI: child.outboundSPI,
            isExchangeInitiator: isExchangeInitiator))
    }
}
