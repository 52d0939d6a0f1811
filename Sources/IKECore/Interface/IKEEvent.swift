import IKEWire

/// Something that happened, for logs, status and metrics, polled with `pollEvent()`.
///
/// Events say which side initiated and how far an SA got, so an observer needs no table
/// of its own.
public enum IKEEvent: Sendable, Equatable {
    /// A handshake began: we sent an IKE_SA_INIT request, or answered one and kept state.
    case ikeSAStarted(name: String, localSPI: UInt64, isInitiator: Bool)
    /// The IKE SA is established; `isInitiator` says whether we are its original
    /// initiator (RFC 7296 §2.2), which names the SPIs: ours is SPIi when it is `true`.
    case ikeSAEstablished(name: String, localSPI: UInt64, remoteSPI: UInt64, isInitiator: Bool)
    /// The IKE SA is gone; `wasEstablished` tells a closed SA from a failed handshake.
    case ikeSAClosed(name: String, localSPI: UInt64, reason: IKECloseReason, wasEstablished: Bool)
    /// A Child SA pair was installed; `isExchangeInitiator` says whether we started the
    /// exchange that created it (IKE_AUTH or CREATE_CHILD_SA).
    case childSAInstalled(name: String, inboundSPI: UInt32, outboundSPI: UInt32, isExchangeInitiator: Bool)
    /// The peer deleted a Child SA pair of IKE SA `localSPI` (RFC 7296 §1.4.1) and no other
    /// Child SA of the same name (`child`) took its place, as one does after a rekey: what
    /// a host's `close_action` reacts to. `inboundSPI` is ours of the pair.
    case childSADeletedByPeer(name: String, localSPI: UInt64, child: String, inboundSPI: UInt32, outboundSPI: UInt32)
    /// A Child SA reached its hard limit (`life_time`, `life_bytes` or `life_packets`)
    /// before a rekey replaced it, and was deleted; `reason` says which.
    case childSAExpired(name: String, inboundSPI: UInt32, outboundSPI: UInt32, reason: String)
    /// A Child SA we asked for (in IKE_AUTH or CREATE_CHILD_SA, new or a rekey) was not
    /// installed; the IKE SA with local SPI `localSPI` stands. `name` is the child's.
    case childSAFailed(name: String, localSPI: UInt64, reason: IKEChildSAFailure)
    /// The IKE SA `oldSPI` was replaced by `newSPI` (RFC 7296 §2.18); `isInitiator` says
    /// whether we started the rekey (and so are the new SA's original initiator).
    case ikeSARekeyed(name: String, oldSPI: UInt64, newSPI: UInt64, isInitiator: Bool)
    /// The IKE SA (and its Child SAs, ``IKEEffect/updateChildSA(_:)``) moved from one pair
    /// of addresses to another.
    case ikeSAAddressesUpdated(
        name: String, localSPI: UInt64, oldLocal: IKEEndpointAddress, oldRemote: IKEEndpointAddress,
        newLocal: IKEEndpointAddress, newRemote: IKEEndpointAddress, cause: IKEAddressUpdateCause)
    /// A datagram was dropped (or one of ours could not be sent); the reason's code and
    /// category are for counters and tests, its text for debug logs.
    case datagramDropped(IKEDropReason)
    /// The peer sent an error notification in an INFORMATIONAL request (INVALID_SPI,
    /// AUTHENTICATION_FAILED, …); `data` is its Notification Data (the SPI for
    /// INVALID_SPI).
    case errorNotifyReceived(localSPI: UInt64, type: NotifyMessageType, data: [UInt8])
    /// We refused what a peer asked for (no common proposal, unacceptable traffic
    /// selectors) without it costing an IKE SA; the reason's code says which, its text
    /// names both sides' offers, for the operator.
    case negotiationRefused(remote: IKEEndpointAddress, reason: IKERefusal)
    /// Responder: the host leased these virtual IPs to the peer of IKE SA `localSPI`,
    /// and the CFG_REPLY carries them (RFC 7296 §3.15).
    case addressesAssigned(name: String, localSPI: UInt64, assignment: AddressAssignment)
    /// Responder: the peer asked for virtual IPs and got none: the IKE_AUTH response
    /// carries INTERNAL_ADDRESS_FAILURE and no Child SA (RFC 7296 §3.15.4); `pools` are
    /// the connection's, `reason` says why (which pools are exhausted).
    case addressAssignmentFailed(name: String, localSPI: UInt64, pools: [String], reason: IKECompletionFailure)
    /// Initiator: the responder assigned us virtual IPs and attributes (DNS servers…)
    /// in its CFG_REPLY.
    case virtualIPsReceived(name: String, localSPI: UInt64, assignment: AddressAssignment)
    /// A request was retransmitted.
    case retransmitted(localSPI: UInt64, messageID: UInt32, attempt: Int)
    /// An IKE_SA_INIT request was answered with only a COOKIE and no state was kept
    /// (RFC 7296 §2.6): cookies are required and it carried no valid one.
    case cookieRequested(remote: IKEEndpointAddress)
    /// An IKE_SA_INIT request was dropped unanswered because a half-open limit was
    /// reached (denial-of-service protection).
    case halfOpenLimitReached(remote: IKEEndpointAddress, limit: HalfOpenLimit)

    /// Which half-open limit refused an IKE_SA_INIT request.
    public enum HalfOpenLimit: Sendable, Hashable {
        /// ``IKEEngineConfiguration/maximumHalfOpenSAsPerAddress``.
        case perAddress
        /// ``IKEEngineConfiguration/maximumHalfOpenSAs``.
        case total
    }
}
