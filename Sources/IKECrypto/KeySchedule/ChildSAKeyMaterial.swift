/// The keys of a Child SA pair (RFC 7296 §2.17), by direction of traffic.
public struct ChildSAKeyMaterial: Sendable, Equatable {
    /// Protects traffic from the initiator of the exchange to its responder.
    public var initiatorEncryption: SecretBytes
    public var initiatorIntegrity: SecretBytes
    /// Protects traffic from the responder to the initiator.
    public var responderEncryption: SecretBytes
    public var responderIntegrity: SecretBytes

    public init(
        initiatorEncryption: SecretBytes, initiatorIntegrity: SecretBytes, responderEncryption: SecretBytes,
        responderIntegrity: SecretBytes
    ) {
        self.initiatorEncryption = initiatorEncryption
        self.initiatorIntegrity = initiatorIntegrity
        self.responderEncryption = responderEncryption
        self.responderIntegrity = responderIntegrity
    }
}
