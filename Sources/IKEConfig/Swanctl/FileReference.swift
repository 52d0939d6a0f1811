/// A file a configuration names (a certificate, a key), resolved but not read:
/// `IKEConfig` does no I/O, the daemon loads the bytes.
public struct FileReference: Hashable, Sendable, CustomStringConvertible {
    /// As written in the configuration.
    public var text: String
    /// Resolved against the swanctl directory it belongs in (`x509/`, `x509ca/`,
    /// `private/`, ...), or as written when absolute.
    public var path: String
    /// Where it was named.
    public var location: SourceLocation

    public init(text: String, path: String, location: SourceLocation) {
        self.text = text
        self.path = path
        self.location = location
    }

    public var description: String { path }
}
