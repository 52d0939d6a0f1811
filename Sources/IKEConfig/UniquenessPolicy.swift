/// What happens to older IKE SAs of the same connection and peer identity when a new one
/// is established (swanctl's `unique`).
public enum UniquenessPolicy: Hashable, Sendable {
    /// strongSwan's default (`unique = no`): several may coexist, but a peer's
    /// INITIAL_CONTACT (RFC 7296 §2.4) closes the older ones.
    case no
    /// `unique = never`: several coexist and INITIAL_CONTACT is ignored (load tests,
    /// many clients sharing one identity).
    case never
    /// `unique = replace`: a new IKE SA always replaces the older ones, which are
    /// deleted with a Delete to the peer.
    case replace
    /// `unique = keep`: a new IKE SA for an identity that already has one is refused
    /// (AUTHENTICATION_FAILED) and the older one kept, unless the new one carries
    /// INITIAL_CONTACT (the peer restarted, so the older ones are stale).
    case keep
}
