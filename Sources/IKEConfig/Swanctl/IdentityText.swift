import IKEWire

/// IKE identities as swanctl's `id` and the `secrets` `id<suffix>` keys write them
/// (strongSwan's `identification_create_from_string`), for the types Cygnet implements.
public enum IdentityText {
    /// The identity, `nil` for `%any` (or `*`), or why the text cannot be used.
    ///
    /// - An IPv4 or IPv6 address: ID_IPV4_ADDR, ID_IPV6_ADDR.
    /// - `@name` or `fqdn:name`: ID_FQDN; `@@user@host`, `email:` or `rfc822:`:
    ///   ID_RFC822_ADDR; `@#hex` or `keyid:hex`: ID_KEY_ID.
    /// - Otherwise text with an `@` is ID_RFC822_ADDR and text without is ID_FQDN. A
    ///   leading `*` makes a wildcard (`*@example.org`, `*.example.org`) that a `remote`
    ///   identity matches with (``IKEIdentity/match(_:)``).
    /// - Distinguished names (`C=CH, O=..., CN=...`) are not supported yet.
    public static func parse(_ text: String) -> Result<IKEIdentity?, ProposalSyntaxError> {
        let lower = text.lowercased()
        if lower == "%any" || lower == "%any6" || text == "*" { return .success(nil) }
        if text.hasPrefix("@#") { return keyID(String(text.dropFirst(2))) }
        if lower.hasPrefix("keyid:") { return keyID(String(text.dropFirst(6)).replacingHashPrefix()) }
        if text.hasPrefix("@@") { return named(.rfc822Address, String(text.dropFirst(2))) }
        if text.hasPrefix("@") { return named(.fqdn, String(text.dropFirst())) }
        for (prefix, type) in [("fqdn:", IdentificationType.fqdn), ("email:", .rfc822Address), ("rfc822:", .rfc822Address), ("userfqdn:", .rfc822Address)]
        where lower.hasPrefix(prefix) {
            return named(type, String(text.dropFirst(prefix.count)))
        }
        if lower.hasPrefix("ipv4:") || lower.hasPrefix("ipv6:") {
            guard let bytes = IPAddressNotation.parse(String(text.dropFirst(5))) else {
                return .failure(ProposalSyntaxError("'\(text)' is not an IP address identity"))
            }
            return .success(IKEIdentity(type: bytes.count == 4 ? .ipv4Address : .ipv6Address, data: bytes))
        }
        if text.contains("=") || lower.hasPrefix("asn1dn:") || lower.hasPrefix("dn:") {
            return .failure(
                ProposalSyntaxError(
                    "distinguished-name identities ('\(text)') are not supported yet",
                    hint: "use a subjectAltName of the certificate instead, e.g. id = vpn.example.org", isUnsupported: true))
        }
        if let bytes = IPAddressNotation.parse(text) {
            return .success(IKEIdentity(type: bytes.count == 4 ? .ipv4Address : .ipv6Address, data: bytes))
        }
        if text.contains("%") {
            return .failure(ProposalSyntaxError("'\(text)' is not an identity Cygnet understands", hint: "write %any, an address, a host name or user@domain"))
        }
        return named(text.contains("@") ? .rfc822Address : .fqdn, text)
    }

    private static func named(_ type: IdentificationType, _ name: String) -> Result<IKEIdentity?, ProposalSyntaxError> {
        guard !name.isEmpty else { return .failure(ProposalSyntaxError("empty identity")) }
        return .success(IKEIdentity(type: type, data: Array(name.utf8)))
    }

    private static func keyID(_ hex: String) -> Result<IKEIdentity?, ProposalSyntaxError> {
        switch SecretEncoding.decode("0x" + hex) {
        case .success(let bytes): .success(IKEIdentity(type: .keyID, data: bytes))
        case .failure: .failure(ProposalSyntaxError("a key ID identity needs an even number of hex digits"))
        }
    }
}

extension String {
    fileprivate func replacingHashPrefix() -> String { hasPrefix("#") ? String(dropFirst()) : self }
}
