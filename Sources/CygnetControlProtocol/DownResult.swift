/// The result of `down`: how many IKE SAs of the connection are being deleted (each
/// sends its Delete and goes when the peer answers or the retransmissions give up).
public struct DownResult: Codable, Hashable, Sendable {
    /// The connection.
    public var name: String
    /// IKE SAs a Delete was started for; 0 when the connection had none up.
    public var deleted: Int

    public init(name: String, deleted: Int) {
        self.name = name
        self.deleted = deleted
    }
}
