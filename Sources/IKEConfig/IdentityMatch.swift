import IKEWire

/// How well a peer's identity matches the one a connection configures, from no match to
/// an exact one. Connections are chosen in this order, as strongSwan chooses them: one that
/// names the identity before one that covers it with a wildcard, and that one before a
/// connection for any identity.
public enum IdentityMatch: Int, Comparable, Sendable {
    case none = 0
    /// The connection accepts any identity (`%any`, or no `id`).
    case any = 1
    /// The configured name starts with `*`, which stands for one or more characters
    /// (`*@example.org`, `*.example.org`).
    case wildcard = 2
    /// The same identity; names (ID_FQDN, ID_RFC822_ADDR) compared without regard to case.
    case exact = 3

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension IKEIdentity {
    /// Whether this is a configured name with a wildcard (`*`), which only matches; it is
    /// never sent as an identity.
    public var hasWildcard: Bool { isName && data.contains(UInt8(ascii: "*")) }

    /// How well this identity, as the peer sent it, matches `configured` (`nil` is `%any`).
    ///
    /// A leading `*` of a configured ID_FQDN or ID_RFC822_ADDR stands for one or more
    /// characters; a configured `*` alone accepts any name of its type. Other types
    /// match byte for byte.
    public func match(_ configured: IKEIdentity?) -> IdentityMatch {
        guard let configured else { return .any }
        guard type == configured.type else { return .none }
        guard isName else { return data == configured.data ? .exact : .none }
        let name = caseFolded.data
        let pattern = configured.caseFolded.data
        if name == pattern { return .exact }
        guard pattern.first == UInt8(ascii: "*") else { return .none }
        let suffix = pattern.dropFirst()
        if suffix.isEmpty { return .any }
        return name.count > suffix.count && name.suffix(suffix.count).elementsEqual(suffix) ? .wildcard : .none
    }

    /// The identity with the ASCII letters of a name (ID_FQDN, ID_RFC822_ADDR) in lower
    /// case: equal for two identities that match exactly.
    public var caseFolded: IKEIdentity {
        guard isName else { return self }
        return IKEIdentity(type: type, data: data.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 + 32 : $0 })
    }

    private var isName: Bool { type == .fqdn || type == .rfc822Address }
}
