/// One side of a connection: swanctl's `local { ... }` or `remote { ... }` (one
/// authentication round).
public struct EndpointConfiguration: Hashable, Sendable {
    /// `auth` (default `pubkey`).
    public var authentication: AuthenticationConfiguration
    /// The signature constraints of `auth` (`rsa/pss`, `ecdsa-sha384`, …); ``SignatureConstraints/none``
    /// for `pubkey` and `psk`.
    public var signatureConstraints: SignatureConstraints = .none
    /// `eap_id` (with `auth = eap…`).
    public var eapIdentity: EAPIdentityChoice = .ikeIdentity
    /// Where `eap_id` was set, if it was.
    public var eapIdentityLocation: SourceLocation?
    /// `id`; `nil` when not set (for the remote side: any identity).
    public var identity: IKEIdentity?
    /// `certs`, resolved relative to `x509/`.
    public var certificates: [FileReference]
    /// `cacerts`, resolved relative to `x509ca/`.
    public var certificateAuthorities: [FileReference]
    /// Where the section starts; `nil` when the connection has none.
    public var location: SourceLocation?
    /// Where `auth` was set, if it was.
    public var authenticationLocation: SourceLocation?

    public init(
        authentication: AuthenticationConfiguration = .publicKey, identity: IKEIdentity? = nil,
        certificates: [FileReference] = [], certificateAuthorities: [FileReference] = [], location: SourceLocation? = nil,
        authenticationLocation: SourceLocation? = nil
    ) {
        self.authentication = authentication
        self.identity = identity
        self.certificates = certificates
        self.certificateAuthorities = certificateAuthorities
        self.location = location
        self.authenticationLocation = authenticationLocation
    }
}
