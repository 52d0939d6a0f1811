import IKECrypto

/// What one side of EAP-TLS (RFC 5216) presents and trusts: both sides authenticate with
/// a certificate (RFC 5216 §2.1.1).
///
/// Chain validation is swift-nio-ssl's, against ``trustedRootsPEM``; matching the
/// certificate to a name (the EAP identity, the gateway's name) is the caller's, with the
/// DER the authenticator and peer expose once the handshake is done.
public struct EAPTLSConfiguration: Sendable {
    /// Our certificate, then any intermediates, in PEM.
    public var certificateChainPEM: [UInt8]
    /// Our private key in PEM.
    public var privateKeyPEM: SecretBytes
    /// The CA certificates the other side's chain must lead to, in PEM.
    public var trustedRootsPEM: [UInt8]
    /// The largest TLS data in one EAP packet; longer TLS messages are fragmented
    /// (RFC 5216 §2.1.5). strongSwan's default is 1024.
    public var fragmentSize: Int

    public init(
        certificateChainPEM: [UInt8], privateKeyPEM: SecretBytes, trustedRootsPEM: [UInt8], fragmentSize: Int = 1024
    ) {
        self.certificateChainPEM = certificateChainPEM
        self.privateKeyPEM = privateKeyPEM
        self.trustedRootsPEM = trustedRootsPEM
        self.fragmentSize = max(64, fragmentSize)
    }
}
