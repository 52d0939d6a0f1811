/// What the MOBIKE responder keeps about address updates (RFC 4555 §3.5–§3.7): which
/// update and address announcement it applied last, which address pairs the peer proved
/// it receives at, and the return routability check under way.
struct MOBIKEResponderState: Sendable {
    /// The Message ID of the last UPDATE_SA_ADDRESSES request applied. §3.5: the responder
    /// "Determines whether it has already received a newer UPDATE_SA_ADDRESSES request than
    /// this one (if the responder uses a window size greater than one, it is possible that
    /// requests are received out of order). If it has, a normal response message ... is
    /// sent, but no other action is taken."
    var lastUpdateMessageID: UInt32?
    /// The same for the last announcement of additional addresses (§3.6).
    var lastAnnouncementMessageID: UInt32?
    /// The address pairs the peer proved it receives at: the pair the IKE SA was
    /// established on, and those that passed a return routability check (§3.7); the
    /// oldest is forgotten past ``maximumVerifiedPaths``.
    var verifiedPaths: [IKEPath] = []
    /// The return routability check of the IKE SA's new address pair, while the Child SAs
    /// wait on the old one.
    var check: ReturnRoutabilityCheck?
    /// The check whose request is out (it may be an earlier one than ``check``), and
    /// whether its answer proves anything: RFC 4555 §3.7, "If the same INFORMATIONAL
    /// request has been sent to several different addresses (i.e., the destination
    /// address in the IKE_SA has been updated after the request was first sent), receiving
    /// the INFORMATIONAL response does not tell which address is the working one."
    var sentCheck: ReturnRoutabilityCheck?
    var isSentCheckConclusive = true

    static let maximumVerifiedPaths = 8

    /// Notes that the peer receives at `path`.
    mutating func verify(_ path: IKEPath) {
        verifiedPaths.removeAll { $0 == path }
        verifiedPaths.append(path)
        if verifiedPaths.count > Self.maximumVerifiedPaths { verifiedPaths.removeFirst() }
    }

    /// A check that the peer receives at ``path`` (RFC 4555 §3.7): an INFORMATIONAL
    /// request with COOKIE2 ``cookie``, sent (or queued) to it.
    struct ReturnRoutabilityCheck: Sendable {
        var cookie: [UInt8]
        var path: IKEPath
        /// Where the Child SAs send until the check passes, and whether in UDP.
        var childSAPath: IKEPath
        var childSAsAreUDPEncapsulated: Bool
    }
}
