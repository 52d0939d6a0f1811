import IKEConfig
import IKECrypto

/// A configuration with its credentials read from the swanctl directories: what the
/// daemon runs with.
public struct LoadedConfiguration: Sendable {
    /// The configuration, each connection's ``IKEConfig/PeerConfiguration/localCertificates``
    /// filled with the DER of its `certs` and its
    /// ``IKEConfig/PeerConfiguration/remoteCertificateAuthorities`` with its `cacerts`.
    public var configuration: CygnetConfiguration
    /// Every private key found: the key files in `private/`, `rsa/`, `ecdsa/`, `pkcs8/`
    /// and those named in `secrets`.
    public var privateKeys: [LoadedPrivateKey]
    /// The DER of every trust anchor: the files in `x509ca/` and every connection's
    /// `cacerts`, without duplicates.
    public var trustAnchors: [[UInt8]]

    public init(configuration: CygnetConfiguration, privateKeys: [LoadedPrivateKey], trustAnchors: [[UInt8]]) {
        self.configuration = configuration
        self.privateKeys = privateKeys
        self.trustAnchors = trustAnchors
    }
}

/// A private key and the file it came from.
public struct LoadedPrivateKey: Sendable, CustomStringConvertible {
    public var path: String
    public var key: PrivateKey

    public init(path: String, key: PrivateKey) {
        self.path = path
        self.key = key
    }

    /// Never the key material.
    public var description: String { "\(key) from \(path)" }
}
