import EAPCore
import IKECertificates
import IKEConfig
import IKECore
import IKECrypto

/// Everything `cygnetd` runs with: the configuration file's connections and its
/// `cygnet { }` settings, the secrets, and the host's keys and trust anchors.
public struct DaemonConfiguration: Sendable {
    /// The connections: where each runs, whether it starts on its own, and the engine's
    /// ``IKEConfig/PeerConfiguration`` ready to run (local certificate chain completed).
    public var connections: [ConnectionConfiguration]
    /// The pre-shared keys of the `secrets` section.
    public var preSharedKeys: [PreSharedKey]
    /// `secrets { eap-… }`: the passwords of EAP users (gateway) and our own (client).
    public var eapSecrets: [EAPSecret] = []
    /// EAP-TLS (RFC 5216) by connection name: our certificate and key and the CAs the
    /// other side's certificate must lead to (``EAPTLSCredentials``).
    public var eapTLS: [String: EAPTLSConfiguration] = [:]
    /// The `cygnet { }` section: ports, listen addresses, the data plane, metrics and the
    /// protocol settings of the engines.
    public var settings: DaemonSettings
    /// Private keys for IKE_AUTH signatures, by local identity.
    public var signer: LocalSigner
    /// Validates peers' certificate chains; `nil` when no connection uses certificates.
    public var validator: CertificateValidator?
    /// Engines, one per event loop; SAs are sharded among them by SPI.
    public var engineCount: Int
    /// The address pools (`pools { }`) the connections' `pools` name.
    public var pools: [AddressPoolConfiguration] = []

    public init(
        connections: [ConnectionConfiguration], preSharedKeys: [PreSharedKey], settings: DaemonSettings = DaemonSettings(),
        signer: LocalSigner = LocalSigner(keys: [:]), validator: CertificateValidator? = nil, engineCount: Int = 1
    ) {
        self.connections = connections
        self.preSharedKeys = preSharedKeys
        self.settings = settings
        self.signer = signer
        self.validator = validator
        self.engineCount = engineCount
    }

    public func connection(named name: String) -> ConnectionConfiguration? { connections.first { $0.name == name } }

    /// What every engine runs with (the daemon gives each its SPI shard): the connections'
    /// peers, the secrets, and the protocol settings of ``settings``.
    public var engine: IKEEngineConfiguration {
        var engine = IKEEngineConfiguration(
            peers: connections.map(\.peer), preSharedKeys: preSharedKeys,
            provider: connections.contains(where: \.requiresLegacyTransforms)
                ? CryptoProvider.default.addingLegacyTransforms() : .default,
            retransmission: RetransmissionPolicy(
                timeout: settings.retransmitTimeout, base: settings.retransmitBase, tries: settings.retransmitTries),
            halfOpenTimeout: settings.halfOpenTimeout)
        engine.windowSize = settings.windowSize
        engine.fragmentation.fragmentSize = settings.fragmentSize
        engine.cookieThreshold = settings.cookieThreshold
        engine.maximumHalfOpenSAsPerAddress = settings.blockThreshold
        engine.maximumHalfOpenSAs = settings.halfOpenLimit
        engine.natTraversalPort = settings.natTraversalPort
        engine.certificateAuthorityKeyHashes = validator?.certificateRequestHashes ?? []
        return engine
    }
}
