import IKEWire

/// One `connections { name { ... } }` section: the engine's ``PeerConfiguration`` plus
/// what only the daemon uses (addresses, ports, NAT and certificate policies, actions).
///
/// Settings the engine model has live in ``peer`` only: `local_addrs`, `remote_addrs`,
/// `rekey_time`, `reauth_time`, `over_time`, `rand_time`, `unique`, `fragmentation`,
/// `dpd_delay` (``PeerConfiguration/livenessCheckInterval``), the proposals, identities
/// and authentication methods, and the children.
public struct ConnectionConfiguration: Hashable, Sendable {
    public var peer: PeerConfiguration
    /// `version` (0 or 2; only IKEv2 is implemented).
    public var version: Int
    /// `local_addrs` (default `%any`): ``PeerConfiguration/localAddresses`` of ``peer``.
    public var localAddresses: [AddressSpecification] {
        get { peer.localAddresses }
        set { peer.localAddresses = newValue }
    }
    /// `remote_addrs` (default `%any`): ``PeerConfiguration/remoteAddresses`` of ``peer``.
    public var remoteAddresses: [AddressSpecification] {
        get { peer.remoteAddresses }
        set { peer.remoteAddresses = newValue }
    }
    /// `local_port` (default 500); the configuration is refused unless it is the
    /// daemon's `port`, on which every connection's IKE travels.
    public var localPort: UInt16
    /// `remote_port` (default 500).
    public var remotePort: UInt16
    /// `proposals` as configured (default `default`); their templates are
    /// ``PeerConfiguration/proposals``.
    public var proposals: [ConfiguredProposal]
    /// `encap` (default no): force UDP encapsulation of ESP by faking NAT detection.
    public var encapsulation: Bool
    /// `send_cert` (default `ifasked`): ``PeerConfiguration/sendCertificate``.
    public var sendCertificate: CertificateSendPolicy {
        get { peer.sendCertificate }
        set { peer.sendCertificate = newValue }
    }
    /// `send_certreq` (default yes): ``PeerConfiguration/sendCertificateRequest``.
    public var sendCertificateRequest: Bool {
        get { peer.sendCertificateRequest }
        set { peer.sendCertificateRequest = newValue }
    }
    /// `keyingtries` (default 1; 0 retries for ever).
    public var keyingTries: UInt32
    /// `local { ... }`.
    public var local: EndpointConfiguration
    /// `remote { ... }`.
    public var remote: EndpointConfiguration
    /// `children { ... }`, in file order.
    public var children: [ChildConfiguration]
    /// Where the section starts.
    public var location: SourceLocation
    /// Where each key was set, by key name.
    public var keyLocations: [String: SourceLocation]
    /// Each name of `pools` and where it is written.
    public var poolLocations: [String: SourceLocation] = [:]

    public var name: String { peer.name }

    public init(
        peer: PeerConfiguration, version: Int = 2, localAddresses: [AddressSpecification]? = nil,
        remoteAddresses: [AddressSpecification]? = nil, localPort: UInt16 = 500, remotePort: UInt16 = 500,
        proposals: [ConfiguredProposal] = [], encapsulation: Bool = false,
        sendCertificate: CertificateSendPolicy = .ifAsked, sendCertificateRequest: Bool = true, keyingTries: UInt32 = 1,
        local: EndpointConfiguration = EndpointConfiguration(), remote: EndpointConfiguration = EndpointConfiguration(),
        children: [ChildConfiguration] = [], location: SourceLocation, keyLocations: [String: SourceLocation] = [:]
    ) {
        self.peer = peer
        self.peer.sendCertificate = sendCertificate
        self.peer.sendCertificateRequest = sendCertificateRequest
        if let localAddresses { self.peer.localAddresses = localAddresses }
        if let remoteAddresses { self.peer.remoteAddresses = remoteAddresses }
        self.version = version
        self.localPort = localPort
        self.remotePort = remotePort
        self.proposals = proposals
        self.encapsulation = encapsulation
        self.keyingTries = keyingTries
        self.local = local
        self.remote = remote
        self.children = children
        self.location = location
        self.keyLocations = keyLocations
    }
}

extension ConnectionConfiguration {
    /// Whether one of its IKE or ESP proposals names a transform the crypto provider only
    /// offers on explicit opt-in (3DES, NULL, MODP 1024/1536), or it tolerates the
    /// downgrade of Child SA rekeys to MODP 1024: the daemon then uses
    /// `CryptoProvider.default.addingLegacyTransforms()`.
    public var requiresLegacyTransforms: Bool {
        peer.toleratesKeyExchangeDowngradeOnRekey || (proposals + children.flatMap(\.proposals)).contains { proposal in
            proposal.template.encryption.contains { $0.id == .tripleDES || $0.id == .null }
                || proposal.template.keyExchangeMethods.contains { $0 == .modp1024 || $0 == .modp1536 }
        }
    }

    /// Whether the daemon initiates it when it starts or reloads: some child has swanctl's
    /// `start_action = start`.
    public var startsOnLoad: Bool { !childrenStartedOnLoad.isEmpty }

    /// The children the daemon brings up when it starts or reloads, in order: those with
    /// `start_action = start`.
    public var childrenStartedOnLoad: [String] { children.filter { $0.startAction == .start }.map(\.name) }
}
