import IKECrypto

/// The secret an identity authenticates with, as the caller's credential store keeps it.
public enum EAPCredential: Sendable {
    /// The password's octets (UTF-8). Every method can use it.
    case password(SecretBytes)
    /// The NT password hash, MD4 of the UTF-16LE password (RFC 2759 §8.3), as
    /// strongSwan's `NTLM` secrets and Windows store it. Only MS-CHAPv2 can use it.
    case ntPasswordHash(SecretBytes)
}

/// The authenticator's credential lookup: the secret of an identity, or `nil` when the
/// identity is unknown. Called synchronously while a response is processed.
public typealias EAPCredentialLookup = @Sendable (EAPIdentity) -> EAPCredential?
