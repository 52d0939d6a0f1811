/// `eap_id`: the identity the EAP conversation authenticates (strongSwan's semantics).
public enum EAPIdentityChoice: Hashable, Sendable {
    /// Not set: the IKE identity (IDi) is the EAP identity.
    case ikeIdentity
    /// `%any` (the authenticator's side): ask the peer with EAP-Identity (RFC 3748 §5.1).
    case ask
    /// This identity, e.g. a user name.
    case named(String)
}
