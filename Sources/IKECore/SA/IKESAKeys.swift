import IKECrypto

/// The negotiated transforms and keys of an established or establishing IKE SA.
struct IKESAKeys: Sendable {
    var schedule: IKEKeySchedule
    var material: IKEKeyMaterial
    /// Protects what we send (SK_e/SK_a of our direction) and opens what we receive.
    var outbound: SKPayloadProtection
    var inbound: SKPayloadProtection
    var initiatorNonce: [UInt8]
    var responderNonce: [UInt8]

    init(
        schedule: IKEKeySchedule, material: IKEKeyMaterial, role: IKESARole, initiatorNonce: [UInt8],
        responderNonce: [UInt8]
    ) throws(IKECryptoError) {
        self.schedule = schedule
        self.material = material
        self.initiatorNonce = initiatorNonce
        self.responderNonce = responderNonce
        let hasIntegrity = schedule.integrity != nil
        let initiatorSide = try SKPayloadProtection(
            encryption: schedule.encryption, encryptionKey: material.ei, integrity: schedule.integrity,
            integrityKey: hasIntegrity ? material.ai : nil)
        let responderSide = try SKPayloadProtection(
            encryption: schedule.encryption, encryptionKey: material.er, integrity: schedule.integrity,
            integrityKey: hasIntegrity ? material.ar : nil)
        switch role {
        case .initiator:
            outbound = initiatorSide
            inbound = responderSide
        case .responder:
            outbound = responderSide
            inbound = initiatorSide
        }
    }
}
