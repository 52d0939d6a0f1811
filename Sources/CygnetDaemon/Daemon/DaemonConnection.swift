/// The host side of one connection: where it runs and whether it starts on its own.
public struct DaemonConnection: Sendable, Equatable {
    /// What the daemon does with the connection when it starts or reloads (swanctl's
    /// `start_action` of its children: `start` initiates it).
    public enum StartAction: String, Sendable, Equatable {
        case none
        case start
    }

    /// The name of its ``IKEConfig/PeerConfiguration``.
    public var name: String
    /// swanctl's `local_addrs`: the first is the source of our IKE_SA_INIT; empty lets the
    /// daemon pick the first listening address of the remote's family.
    public var localAddresses: [String]
    /// swanctl's `remote_addrs`: the first is where we initiate to; empty for a
    /// responder-only connection.
    public var remoteAddresses: [String]
    /// swanctl's `remote_port`.
    public var remotePort: UInt16
    public var startAction: StartAction

    public init(
        name: String, localAddresses: [String] = [], remoteAddresses: [String] = [], remotePort: UInt16 = 500,
        startAction: StartAction = .none
    ) {
        self.name = name
        self.localAddresses = localAddresses
        self.remoteAddresses = remoteAddresses
        self.remotePort = remotePort
        self.startAction = startAction
    }
}
