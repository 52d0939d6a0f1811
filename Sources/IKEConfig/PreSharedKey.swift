/// A pre-shared key from the `secrets` section, bound to the identities it is for.
///
/// The key never prints: `description` shows only the identities.
public struct PreSharedKey: Hashable, Sendable, CustomStringConvertible {
    public var identities: [IKEIdentity]
    /// The key bytes. Kept as bytes here; the engine copies them into zeroing storage.
    public var secret: [UInt8]

    public init(identities: [IKEIdentity], secret: [UInt8]) {
        self.identities = identities
        self.secret = secret
    }

    public var description: String { "PSK for \(identities.map(\.description).joined(separator: ", "))" }
}
