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

    /// An installation as the engine makes one; a host makes its own to exercise its
    /// data plane without an engine (its fuzzer does).
    public init(
        name: String, inboundSPI: UInt32, outboundSPI: UInt32, encryption: EncryptionAlgorithmID, encryptionKeyBits: Int?,
        integrity: IntegrityAlgorithmID?, usesExtendedSequenceNumbers: Bool, inboundEncryptionKey: SecretBytes,
        inboundIntegrityKey: SecretBytes, outboundEncryptionKey: SecretBytes, outboundIntegrityKey: SecretBytes,
        localTrafficSelectors: [TrafficSelector], remoteTrafficSelectors: [TrafficSelector], mode: ChildSAConfiguration.Mode,
        localAddress: IKEEndpointAddress, remoteAddress: IKEEndpointAddress, isUDPEncapsulated: Bool
    ) {
        self.name = name
        self.inboundSPI = inboundSPI
        self.outboundSPI = outboundSPI
        self.encryption = encryption
        self.encryptionKeyBits = encryptionKeyBits
        self.integrity = integrity
        self.usesExtendedSequenceNumbers = usesExtendedSequenceNumbers
        self.inboundEncryptionKey = inboundEncryptionKey
        self.inboundIntegrityKey = inboundIntegrityKey
        self.outboundEncryptionKey = outboundEncryptionKey
        self.outboundIntegrityKey = outboundIntegrityKey
        self.localTrafficSelectors = localTrafficSelectors
        self.remoteTrafficSelectors = remoteTrafficSelectors
        self.mode = mode
        self.localAddress = localAddress
        self.remoteAddress = remoteAddress
        self.isUDPEncapsulated = isUDPEncapsulated
    }
}
