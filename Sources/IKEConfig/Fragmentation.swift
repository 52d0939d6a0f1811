/// Whether a connection uses IKE message fragmentation (RFC 7383), swanctl's
/// `fragmentation` option.
///
/// Fragmentation applies to the messages protected by SK, from IKE_AUTH on; IKE_SA_INIT
/// is never fragmented (RFC 7383 §2.5). Fragments the peer sends are accepted whatever
/// this says, as strongSwan does ("fragmented IKE messages sent by a peer are always
/// accepted irrespective of the value of this option").
public enum Fragmentation: Hashable, Sendable {
    /// strongSwan's default (`fragmentation = yes`): announce IKEV2_FRAGMENTATION_SUPPORTED
    /// in IKE_SA_INIT and, when the peer announced it too, send messages larger than the
    /// fragment size as SKF fragments.
    case yes
    /// `fragmentation = accept`: announce support, so the peer may fragment, but never
    /// fragment what we send.
    case accept
    /// `fragmentation = force`: announce support and fragment large messages from
    /// IKE_AUTH on even when the peer did not announce it (for peers known to support it
    /// that do not say so). IKE_SA_INIT itself cannot be fragmented.
    case force
    /// `fragmentation = no`: do not announce support and never fragment.
    case no

    /// Whether IKE_SA_INIT carries IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383 §2.3).
    public var isAnnounced: Bool {
        switch self {
        case .yes, .accept, .force: true
        case .no: false
        }
    }

    /// Whether our messages are fragmented when the peer announced support.
    public var isSending: Bool {
        switch self {
        case .yes, .force: true
        case .accept, .no: false
        }
    }
}
