/// What a control client asks the daemon to do (`Docs/control-protocol.md`).
public enum ControlCommand: Hashable, Sendable {
    /// Every IKE SA with its Child SAs: a ``StatusReport``.
    case status
    /// Initiate the connection `name`: an ``UpResult``.
    case up(name: String)
    /// Delete every IKE SA of the connection `name`: a ``DownResult``.
    case down(name: String)
    /// Re-read the configuration file and apply it: a ``ReloadResult``.
    case reload
    /// The address pools and their leases: a ``LeasesReport``.
    case leases

    /// The `"command"` word of the request.
    public var word: String {
        switch self {
        case .status: "status"
        case .up: "up"
        case .down: "down"
        case .reload: "reload"
        case .leases: "leases"
        }
    }

    /// The request that carries this command, in the current protocol version.
    public var request: ControlRequest {
        switch self {
        case .status, .reload, .leases: ControlRequest(command: word)
        case .up(let name), .down(let name): ControlRequest(command: word, name: name)
        }
    }
}
