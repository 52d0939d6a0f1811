/// The directories of swanctl's layout beside `swanctl.conf` that Cygnet reads
/// (swanctl(8), "FILES").
public enum CredentialDirectory: String, CaseIterable, Hashable, Sendable {
    /// End-entity certificates; `certs = NAME` is relative to it.
    case x509
    /// CA certificates; `cacerts = NAME` is relative to it, and every file in it is a
    /// trust anchor.
    case x509ca
    /// Private keys of any type.
    case `private`
    /// RSA private keys (PKCS#1).
    case rsa
    /// ECDSA private keys (SEC1).
    case ecdsa
    /// PKCS#8 private keys.
    case pkcs8

    /// The directories holding private keys.
    public static let privateKeyDirectories: [CredentialDirectory] = [.private, .rsa, .ecdsa, .pkcs8]
}
