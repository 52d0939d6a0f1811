/// An EAP password from `secrets { eap<suffix> { id = alice  secret = "..." } }`
/// (strongSwan's syntax): what the gateway checks a user's EAP answer against, and what a
/// client answers with.
///
/// The password never prints: `description` shows only the section and the identities.
public struct EAPSecret: Hashable, Sendable, CustomStringConvertible {
    /// The section name (`eap-alice`).
    public var name: String
    /// The EAP identities (`id`, `id-NAME`) the password is for, as written: user names
    /// such as `alice` or `alice@example.org`.
    public var identities: [String]
    /// The password's octets (UTF-8, or decoded from `0x`/`0s`). Kept as bytes here; the
    /// daemon copies them into zeroing storage.
    public var secret: [UInt8]
    /// Where the section starts.
    public var location: SourceLocation

    public init(name: String, identities: [String], secret: [UInt8], location: SourceLocation) {
        self.name = name
        self.identities = identities
        self.secret = secret
        self.location = location
    }

    /// Never the password itself.
    public var description: String { "secret '\(name)' (EAP password for \(identities.joined(separator: ", ")))" }
}
