import IKECertificates
import IKEConfig
import IKECore

/// Everything `cygnetd` runs with: the engine's configuration, the connections' addresses,
/// the host's keys and trust anchors, and the daemon's own settings (the `cygnet { }`
/// section of the configuration file).
public struct DaemonConfiguration: Sendable {
    /// Peers, secrets, transforms and protocol timers; the daemon sets the ports and the
    /// SPI shard of each engine from the fields below.
    public var engine: IKEEngineConfiguration
    /// Where each connection runs, by connection name.
    public var connections: [DaemonConnection]
    /// Private keys for IKE_AUTH signatures, by local identity.
    public var signer: LocalSigner
    /// Validates peers' certificate chains; `nil` when no connection uses certificates.
    public var validator: CertificateValidator?
    /// Addresses to listen on. Empty listens on every address of every interface at
    /// start (one socket each, so that answers leave from the address a request came to).
    public var listenAddresses: [String] = []
    /// strongSwan's `charon.port` and `charon.port_nat_t`.
    public var ikePort: UInt16 = 500
    public var natTraversalPort: UInt16 = 4500
    /// The control socket (`cygnet status`, `up`, `down`, `reload`).
    public var controlSocketPath: String = "/run/cygnet.ctl"
    /// Where Prometheus metrics are served (`host:port`, loopback by default); `nil` is off.
    public var metricsAddress: String? = "127.0.0.1:9808"
    /// Engines, one per event loop; SAs are sharded among them by SPI.
    public var engineCount: Int = 1
    /// The TUN device of the data plane; `nil` runs without one (`data_plane = no`):
    /// Child SAs are negotiated but carry no traffic.
    public var tunName: String?
    /// The TUN device's MTU.
    public var tunMTU: Int = 1400
    /// The opt-in key log of ESP keys for Wireshark (see `KeyLog`); `nil` is off.
    public var keyLogPath: String?
    /// NAT keepalive interval (RFC 3948 §2.3), sent by the side behind a NAT; `nil` off.
    public var natKeepaliveInterval: Duration? = .seconds(20)

    public init(
        engine: IKEEngineConfiguration, connections: [DaemonConnection], signer: LocalSigner = LocalSigner(keys: [:]),
        validator: CertificateValidator? = nil
    ) {
        self.engine = engine
        self.connections = connections
        self.signer = signer
        self.validator = validator
    }

    public func connection(named name: String) -> DaemonConnection? { connections.first { $0.name == name } }
}
