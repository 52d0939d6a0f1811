/// The result of `reload`: the configuration now in force. New IKE SAs use it; existing
/// ones keep the configuration they were made with.
public struct ReloadResult: Codable, Hashable, Sendable {
    /// The names of the loaded connections, in configuration order.
    public var connections: [String]
    /// The keys of `cygnet { }` that the new file changes but only a restart of the daemon
    /// applies (`listen`, `port`, `port_nat_t`, `control_socket`, `metrics`, `data_plane`,
    /// `key_log`, `tun_name`, `tun_mtu`); their running values stay. Empty when none.
    public var restartRequired: [String]

    public init(connections: [String], restartRequired: [String] = []) {
        self.connections = connections
        self.restartRequired = restartRequired
    }

    enum CodingKeys: String, CodingKey {
        case connections
        case restartRequired = "restart-required"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        connections = try container.decode([String].self, forKey: .connections)
        // A daemon from before this field sends none.
        restartRequired = try container.decodeIfPresent([String].self, forKey: .restartRequired) ?? []
    }
}
