/// One `secrets { ike<suffix> { ... } }` section: a pre-shared key and the identities it
/// is for.
public struct IKESecret: Hashable, Sendable, CustomStringConvertible {
    /// The section name (`ike-site`).
    public var name: String
    /// The engine's form.
    public var key: PreSharedKey
    /// Where the section starts.
    public var location: SourceLocation
    /// Where `secret` was set.
    public var secretLocation: SourceLocation
    /// How many characters the secret had as written (before any `0x`/`0s` decoding),
    /// and whether it was encoded, for the short-key lint.
    public var isEncoded: Bool

    public init(name: String, key: PreSharedKey, location: SourceLocation, secretLocation: SourceLocation, isEncoded: Bool) {
        self.name = name
        self.key = key
        self.location = location
        self.secretLocation = secretLocation
        self.isEncoded = isEncoded
    }

    /// Never the key itself.
    public var description: String { "secret '\(name)' (\(key))" }
}
