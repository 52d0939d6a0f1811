import EAPCore

/// One IKE SA's EAP conversation in the daemon (RFC 7296 §2.16): EAPCore's state machine
/// of the role the engine asked for, or the state of a conversation a RADIUS server runs.
enum EAPConversation: Sendable {
    /// The gateway checks the peer against `secrets { eap-… }`.
    case authenticator(EAPAuthenticator)
    /// The client answers with its own `secrets { eap-… }` password.
    case peer(EAPPeer)
    /// The gateway forwards to RADIUS (RFC 3579).
    case radius(RADIUSConversation)
}

/// Where a conversation forwarded to RADIUS stands.
struct RADIUSConversation: Sendable {
    /// The User-Name: the peer's EAP identity; `nil` until its Identity Response came.
    var user: [UInt8]?
    /// The server's last Access-Challenge, whose State the next request echoes; `nil`
    /// before the first request.
    var challenge: RADIUSChallenge?
}
