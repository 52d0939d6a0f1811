import IKECrypto

/// Where an ``EAPPeer`` is; each case carries what its next step needs.
enum EAPPeerState: Sendable {
    /// No method under way: Identity, Notification and a method's first Request are
    /// answered.
    case ready
    /// Sent the MSCHAPv2 Response; the authenticator's Success (with its proof) or
    /// Failure comes next.
    case mschapv2Responded(MSCHAPv2Responded)
    /// EAP-TLS under way.
    case tls(EAPTLSSession)
    /// The method is done on our side; EAP-Success or EAP-Failure comes next.
    case awaitingResult(AwaitingResult)
    /// Success or Failure arrived (or we gave up); nothing more is accepted.
    case finished

    struct MSCHAPv2Responded: Sendable {
        /// The authenticator response we expect in `S=` (RFC 2759 §8.7).
        var expectedProof: SecretBytes
        var msk: SecretBytes
    }

    struct AwaitingResult: Sendable {
        var msk: SecretBytes?
    }
}
