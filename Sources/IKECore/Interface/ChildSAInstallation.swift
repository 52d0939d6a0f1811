import IKECrypto
import IKEConfig
import IKEWire

/// Everything the data plane needs to install one Child SA pair (RFC 7296 §2.17).
public struct ChildSAInstallation: Sendable {
    public var name: String
    /// The SPI the peer sends to (our inbound SA) and the one we send to.
    public var inboundSPI: UInt32
    public var outboundSPI: UInt32
    public var encryption: EncryptionAlgorithmID
    public var encryptionKeyBits: Int?
    public var integrity: IntegrityAlgorithmID?
    public var usesExtendedSequenceNumbers: Bool
    public var inboundEncryptionKey: SecretBytes
    public var inboundIntegrityKey: SecretBytes
    public var outboundEncryptionKey: SecretBytes
    public var outboundIntegrityKey: SecretBytes
    public var localTrafficSelectors: [TrafficSelector]
    public var remoteTrafficSelectors: [TrafficSelector]
    public var mode: ChildSAConfiguration.Mode
    public var localAddress: IKEEndpointAddress
    public var remoteAddress: IKEEndpointAddress
    /// Whether ESP travels in UDP on port 4500 (RFC 3948).
    public var isUDPEncapsulated: Bool
}
