import IKEConfig

/// The engine asks the host to validate the peer's certificate chain up to a configured
/// CA at the current time, and to check that the end-entity certificate carries the
/// identity the peer claimed in IDi/IDr (RFC 7296 §3.5: "the ID payload ... MUST match
/// the certificate"). The answer is the end-entity public key; the engine verifies the
/// AUTH signature with it.
public struct CertificateValidationRequest: Sendable {
    public var id: IKECompletionID
    /// The connection the peer authenticates for.
    public var connection: String
    /// The X.509 certificates of the peer's CERT payloads (DER), in the order received:
    /// RFC 7296 §3.6 puts the end entity first.
    public var certificates: [[UInt8]]
    /// The identity of the peer's IDi/IDr payload.
    public var claimedIdentity: IKEIdentity
    /// `remote { auth = … }`: the validator refuses a chain with a certificate signature
    /// that `SignatureConstraints.chainRules` do not allow, as strongSwan does.
    public var signatureConstraints: SignatureConstraints
    /// The CA certificates (DER) the connection names (`remote { cacerts }`): the
    /// validated chain must pass through one of them, or the answer is
    /// ``IKECompletionFailure/Code-swift.struct/certificateAuthorityMismatch``. Empty: any
    /// CA the host trusts.
    public var certificateAuthorities: [[UInt8]]

    public init(
        id: IKECompletionID, connection: String, certificates: [[UInt8]], claimedIdentity: IKEIdentity,
        signatureConstraints: SignatureConstraints = .none, certificateAuthorities: [[UInt8]] = []
    ) {
        self.id = id
        self.connection = connection
        self.certificates = certificates
        self.claimedIdentity = claimedIdentity
        self.signatureConstraints = signatureConstraints
        self.certificateAuthorities = certificateAuthorities
    }
}
