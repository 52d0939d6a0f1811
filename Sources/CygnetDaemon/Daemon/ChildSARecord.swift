import IKEConfig
import IKECore
import IKECrypto
import IKEWire

/// What the daemon keeps of an installed Child SA for status: everything but the keys.
struct ChildSARecord: Sendable, Equatable {
    var name: String
    var inboundSPI: UInt32
    var outboundSPI: UInt32
    var encryption: EncryptionAlgorithmID
    var encryptionKeyBits: Int?
    var integrity: IntegrityAlgorithmID?
    var usesExtendedSequenceNumbers: Bool
    var isUDPEncapsulated: Bool

    init(_ installation: ChildSAInstallation) {
        name = installation.name
        inboundSPI = installation.inboundSPI
        outboundSPI = installation.outboundSPI
        encryption = installation.encryption
        encryptionKeyBits = installation.encryptionKeyBits
        integrity = installation.integrity
        usesExtendedSequenceNumbers = installation.usesExtendedSequenceNumbers
        isUDPEncapsulated = installation.isUDPEncapsulated
    }
}
