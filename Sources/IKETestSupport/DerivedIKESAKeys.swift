import IKECrypto
import IKEWire

/// The IKE SA keys a scripted peer derives from IKE_SA_INIT (RFC 7296 §2.14): the key
/// schedule of the chosen proposal, the seven keys, and the SK protection of each
/// direction.
struct DerivedIKESAKeys {
    var schedule: IKEKeySchedule
    var material: IKEKeyMaterial
    /// SK_ei (and SK_ai): seals the initiator's messages, opens them at the responder.
    var initiatorToResponder: SKPayloadProtection
    /// SK_er (and SK_ar).
    var responderToInitiator: SKPayloadProtection

    /// `nil` when `chosen` lacks an encryption algorithm or a PRF.
    init?(
        provider: CryptoProvider, chosen: Proposal, sharedSecret: SecretBytes, initiatorNonce: [UInt8],
        responderNonce: [UInt8], initiatorSPI: UInt64, responderSPI: UInt64
    ) throws {
        guard let encryption = chosen.transforms(ofType: .encryptionAlgorithm).first,
            let prf = chosen.transforms(ofType: .pseudorandomFunction).first
        else { return nil }
        schedule = try IKEKeySchedule(
            provider: provider, prf: PseudorandomFunctionID(rawValue: prf.id),
            encryption: EncryptionAlgorithmID(rawValue: encryption.id), keyBits: encryption.keyLength.map(Int.init),
            integrity: chosen.transforms(ofType: .integrityAlgorithm).first.map { IntegrityAlgorithmID(rawValue: $0.id) })
        let skeyseed = try schedule.skeyseed(
            initiatorNonce: initiatorNonce, responderNonce: responderNonce, sharedSecret: sharedSecret)
        material = try schedule.keyMaterial(
            skeyseed: skeyseed, initiatorNonce: initiatorNonce, responderNonce: responderNonce,
            initiatorSPI: initiatorSPI, responderSPI: responderSPI)
        let hasIntegrity = schedule.integrity != nil
        initiatorToResponder = try SKPayloadProtection(
            encryption: schedule.encryption, encryptionKey: material.ei, integrity: schedule.integrity,
            integrityKey: hasIntegrity ? material.ai : nil)
        responderToInitiator = try SKPayloadProtection(
            encryption: schedule.encryption, encryptionKey: material.er, integrity: schedule.integrity,
            integrityKey: hasIntegrity ? material.ar : nil)
    }
}
