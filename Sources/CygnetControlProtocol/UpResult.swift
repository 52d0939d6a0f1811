/// The result of `up`: the connection's first IKE_SA_INIT request is on its way.
///
/// `up` does not wait for the IKE SA: `cygnet status` shows it connecting, then
/// established; the daemon's log says why when it fails.
public struct UpResult: Codable, Hashable, Sendable {
    /// The connection initiated.
    public var name: String

    public init(name: String) { self.name = name }
}
