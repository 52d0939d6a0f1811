/// The result of `reload`: the configuration now in force. New IKE SAs use it; existing
/// ones keep the configuration they were made with.
public struct ReloadResult: Codable, Hashable, Sendable {
    /// The names of the loaded connections, in configuration order.
    public var connections: [String]

    public init(connections: [String]) { self.connections = connections }
}
