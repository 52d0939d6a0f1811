/// What happens to older IKE SAs of the same connection and peer identity when a new one
/// is established (swanctl's `unique`).
public enum UniquenessPolicy: Hashable, Sendable {
    /// strongSwan's default (`unique = no`): several may coexist, but a peer's
    /// INITIAL_CONTACT (RFC 7296 §2.4) closes the older ones.
    case no
    /// `unique = never`: several coexist and INITIAL_CONTACT is ignored (load tests,
    /// many clients sharing one identity).
    case never
    /// `unique = replace`: a new IKE SA always replaces the older ones.
    case replace
}
