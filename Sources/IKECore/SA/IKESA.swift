import IKEConfig
import IKECrypto
import IKEWire
import NIOCore

/// One IKE SA: its SPIs, addresses, keys, message-ID windows and state.
struct IKESA: Sendable {
    let role: IKESARole
    let localSPI: UInt64
    var remoteSPI: UInt64
    var local: IKEEndpointAddress
    var remote: IKEEndpointAddress
    /// Our NAT-T port (``IKEEngineConfiguration/natTraversalPort``): messages to or from
    /// it carry the non-ESP marker.
    var natTraversalPort: UInt16 = 4500
    /// The connection; a responder chooses it again in IKE_AUTH (`ConnectionSelection`).
    var peer: PeerConfiguration
    var state: IKESAState
    var keys: IKESAKeys?
    /// The transforms of the chosen IKE proposal, for status.
    var negotiatedTransforms: [Transform] = []
    /// When the SA was established (or, for a rekeyed SA, created).
    var establishedAt: IKEInstant?
    /// The identity the peer proved in IKE_AUTH.
    var remoteIdentity: IKEIdentity?
    /// Responder: the EAP identity the peer proved (RFC 7296 §2.16); its leases are for it.
    var remoteEAPIdentity: String?
    /// Responder: the virtual IPs the host leased to the peer, released when the SA goes
    /// (``IKEEffect/releaseAddresses(_:)``); an IKE SA rekey moves them to the new SA.
    var addressesLeasedToPeer: [AddressAssignment.Address]?
    /// Initiator: the virtual IPs and attributes the responder assigned us.
    var assignedVirtualIPs: AddressAssignment?
    /// The local SPI of the IKE SA that replaced this one in a rekey (RFC 7296 §2.18).
    var replacedBy: UInt64?

    /// Message ID of our next request (RFC 7296 §2.2).
    var nextRequestID: UInt32 = 0
    /// Our request awaiting its response (window size 1, RFC 7296 §2.3).
    var outstanding: OutstandingRequest?
    /// Our requests waiting for the window (``QueuedRequest``).
    var queuedRequests: [QueuedRequest] = []
    /// The lowest message ID of the peer's requests not yet processed (RFC 7296 §2.2).
    var expectedRequestID: UInt32 = 0
    /// Requests above ``expectedRequestID`` already processed: with a window larger
    /// than one they may arrive out of order (RFC 7296 §2.3).
    var processedAheadRequestIDs: Set<UInt32> = []
    /// Our responses to the peer's last requests, as many as our window size, sent again
    /// when a request is retransmitted (RFC 7296 §2.3: "An IKE endpoint MUST keep a copy
    /// of (or be able to regenerate exactly) the number of previous responses equal to
    /// its declared window size").
    var cachedResponses: [CachedResponse] = []
    /// When the host's answer to a sign or validate effect is given up on.
    var completionDeadline: IKEInstant?
    /// When a half-open responder SA is given up.
    var halfOpenDeadline: IKEInstant?
    /// Responder: where the IKE_SA_INIT request came from. Keys the retransmission
    /// index and the half-open count per address (it never changes, unlike `remote`).
    var initialRemote: IKEEndpointAddress?
    /// When the last message that passed the integrity check arrived (RFC 7296 §2.4:
    /// the liveness check runs when nothing has been heard for a while).
    var lastInboundAt: IKEInstant?
    /// Rekey, reauthentication and hard-expiry timers; `nil` until the engine arms them at
    /// the end of the input that established the SA (a rekeyed IKE SA gets fresh ones).
    var lifetime: IKESALifetimeState?
    /// The original initiator is replacing this SA by a fresh IKE_SA_INIT (reauth_time):
    /// its Delete closes it as ``IKECloseReason/Code/reauthenticated``.
    var isReauthenticating = false
    /// Why the SA closes when the peer answers our Delete, when it is not the plain
    /// "deleted on request" (e.g. replaced under `unique = replace`).
    var closeReasonOnDelete: IKECloseReason?
    /// When we last told the peer about ESP for an unknown SPI (rate limit).
    var lastInvalidSPINoticeAt: IKEInstant?
    /// Both sides sent IKEV2_FRAGMENTATION_SUPPORTED in IKE_SA_INIT (RFC 7383 §2.3); a
    /// rekeyed IKE SA inherits it.
    var isFragmentationNegotiated = false
    /// NAT detection found our address translated (or `encap = yes` pretends it was):
    /// this side sends NAT keepalives (RFC 3948 §2.3).
    var isLocalBehindNAT = false
    /// NAT detection found the peer's address translated (or the peer pretends it was,
    /// `encap = yes`): its address may change under us (``followsPeerAddress``).
    var isRemoteBehindNAT = false
    /// Both sides sent MOBIKE_SUPPORTED in IKE_AUTH (RFC 4555 §3.1); a rekeyed IKE SA
    /// inherits it.
    var isMOBIKENegotiated = false
    /// How many times the SA moved (``IKEEvent/ikeSAAddressesUpdated(name:localSPI:oldLocal:oldRemote:newLocal:newRemote:cause:)``).
    var addressUpdates = 0
    /// The peer's additional addresses (RFC 4555 §3.6), replaced by each announcement.
    var peerAdditionalAddresses: [[UInt8]] = []
    /// RFC 4555's "initiator": "the party who originally initiated the first IKE_SA (in a
    /// series of possibly several rekeyed IKE_SAs)" (§2); it decides where the SAs go.
    var isMOBIKEInitiator = false
    /// The responder's side of address updates (``MOBIKEResponderState``).
    var mobikeResponder = MOBIKEResponderState()
    // MOBIKE, the original initiator's side (Exchanges/MOBIKEInitiator.swift).
    /// The additional addresses (RFC 4555 §3.6) the peer last heard from us; `nil` until
    /// we first announced them.
    var announcedAdditionalAddresses: [[UInt8]]?
    /// The addresses the Child SAs use while the IKE SA has moved ahead of them (RFC 4555
    /// §3.5: the IKE SA moves at once, the Child SAs when UPDATE_SA_ADDRESSES is answered).
    var childSAPath: (local: IKEEndpointAddress, remote: IKEEndpointAddress)?
    /// ESP stays in UDP although no NAT is left on the path (``isUDPEncapsulated``): an
    /// initiator that leaves a NAT stays encapsulated, as strongSwan's does.
    var keepsUDPEncapsulation = false
    /// The outstanding request goes out on every address pair (RFC 4555 §3.10).
    var isProbingPaths = false

    /// Where the response to the request being handled goes: the addresses it came
    /// between (RFC 7296 §2.11). Set only while a request is handled.
    var responsePath: (local: IKEEndpointAddress, remote: IKEEndpointAddress)?
    /// The peer's fragmented requests being reassembled, by Message ID (RFC 7383 §2.6).
    var requestFragments: [UInt32: FragmentReassembly] = [:]
    /// Fragmented responses to our requests being reassembled, by Message ID.
    var responseFragments: [UInt32: FragmentReassembly] = [:]

    /// Whether an authenticated request from another address moves the SA there. RFC
    /// 7296 §2.23: a host "that is not behind a NAT, SHOULD send all packets (including
    /// retransmission packets) to the IP address and port in the validated packet ...
    /// A host behind a NAT SHOULD NOT do this type of dynamic address update". As in
    /// strongSwan, only a peer found behind a NAT moves; when we are behind one too, only
    /// the original responder follows it (it is reached through a static mapping).
    var followsPeerAddress: Bool { isRemoteBehindNAT && !(isLocalBehindNAT && role == .initiator) }

    /// Counted as half-open: a responder SA between IKE_SA_INIT and IKE_AUTH.
    var isHalfOpen: Bool { halfOpenDeadline != nil && !state.isClosed }

    /// The earliest lifetime timer of the IKE SA or one of its Child SAs.
    var lifetimeDeadline: IKEInstant? {
        guard case .established(let state) = state else { return nil }
        var earliest = lifetime?.nextDeadline
        for child in state.children {
            if let deadline = child.lifetime?.nextDeadline, earliest.map({ deadline < $0 }) ?? true { earliest = deadline }
        }
        return earliest
    }

    /// The earliest of the SA's timers: retransmission, half-open, liveness, lifetimes
    /// and the host's answer.
    var nextDeadline: IKEInstant? {
        [outstanding?.deadline, halfOpenDeadline, livenessDeadline, lifetimeDeadline, completionDeadline]
            .compactMap { $0 }.min()
    }

    /// Whether an established IKE SA or one of its Child SAs still needs its lifetime timers.
    var needsLifetimeTimers: Bool {
        guard case .established(let state) = state else { return false }
        return lifetime == nil || state.children.contains { $0.lifetime == nil }
    }

    /// When the liveness check of an established SA is due: `livenessCheckInterval`
    /// after the last authenticated inbound message, while no request of ours is out
    /// (an outstanding request's retransmissions already probe the peer).
    var livenessDeadline: IKEInstant? {
        guard case .established = state, outstanding == nil, let interval = peer.livenessCheckInterval,
            let last = lastInboundAt
        else { return nil }
        return last + interval
    }

    struct OutstandingRequest: Sendable {
        var messageID: UInt32
        var exchange: ExchangeType
        /// The request as sent: one datagram, or one per fragment (RFC 7383 §2.5), all
        /// sent again on retransmission.
        var datagrams: [ByteBuffer]
        var attempt: Int
        var deadline: IKEInstant
    }

    struct CachedResponse: Sendable {
        var messageID: UInt32
        /// One datagram, or one per fragment (RFC 7383 §2.5).
        var datagrams: [ByteBuffer]
    }

    /// The inbound Child SA SPIs this SA holds or has offered (RFC 4303 §2.1: the
    /// receiver picks an SPI that identifies the SA uniquely); the engine never hands one
    /// out twice.
    var childSPIsInUse: [UInt32] {
        switch state {
        case .established(let state):
            var spis = state.children.map(\.inboundSPI)
            if case .createChildSA(let request)? = state.pending { spis.append(request.inboundSPI) }
            return spis
        case .sentAuthRequest(let state): return [state.childInboundSPI]
        case .awaitingSignatureForAuthRequest(let state): return [state.next.childInboundSPI]
        case .awaitingValidationOfAuthResponse(let state): return [state.sent.childInboundSPI]
        case .awaitingEAPAnswerAsPeer(let state): return [state.session.sent.childInboundSPI]
        case .sentEAPResponse(let session), .sentEAPAuthentication(let session): return [session.sent.childInboundSPI]
        case .sentSAInitRequest, .awaitingAuthRequest, .awaitingValidationOfAuthRequest,
            .awaitingSignatureForAuthResponse, .awaitingAddressAssignment, .awaitingEAPAnswerAsAuthenticator, .sentEAPRequest,
            .sentEAPSuccess, .closed:
            return []
        }
    }

    /// Whether the peer's request `messageID` (in the window, not yet processed) is newer
    /// than every request processed before: with a window larger than one an older one may
    /// arrive late (RFC 7296 §2.3).
    func isNewestRequest(_ messageID: UInt32) -> Bool {
        processedAheadRequestIDs.allSatisfy { $0 &- expectedRequestID < messageID &- expectedRequestID }
    }

    /// Records that the peer's request `messageID` was processed, moving the window.
    mutating func markProcessed(requestID messageID: UInt32) {
        guard messageID == expectedRequestID else {
            processedAheadRequestIDs.insert(messageID)
            return
        }
        expectedRequestID &+= 1
        while processedAheadRequestIDs.remove(expectedRequestID) != nil { expectedRequestID &+= 1 }
    }

    var initiatorSPI: UInt64 { role == .initiator ? localSPI : remoteSPI }
    var responderSPI: UInt64 { role == .initiator ? remoteSPI : localSPI }

    /// The header of a message we send.
    func header(exchange: ExchangeType, messageID: UInt32, isResponse: Bool) -> IKEHeader {
        var flags: IKEHeader.Flags = []
        if role == .initiator { flags.insert(.initiator) }
        if isResponse { flags.insert(.response) }
        return IKEHeader(
            initiatorSPI: initiatorSPI, responderSPI: responderSPI, exchangeType: exchange, flags: flags,
            messageID: messageID)
    }

    /// The snapshot `cygnet status` shows.
    var status: IKESAStatus {
        let phase: IKESAStatus.Phase
        switch state {
        case .sentSAInitRequest, .awaitingSignatureForAuthRequest, .sentAuthRequest, .awaitingValidationOfAuthResponse,
            .awaitingAuthRequest, .awaitingValidationOfAuthRequest, .awaitingSignatureForAuthResponse,
            .awaitingAddressAssignment, .awaitingEAPAnswerAsAuthenticator, .sentEAPRequest, .sentEAPSuccess,
            .awaitingEAPAnswerAsPeer, .sentEAPResponse, .sentEAPAuthentication:
            phase = .connecting
        case .established(let established):
            if case .deleteIKESA? = established.pending { phase = .deleting }
            else { phase = replacedBy == nil && !isReauthenticating ? .established : .deleting }
        case .closed:
            phase = .deleting
        }
        return IKESAStatus(
            name: peer.name, phase: phase, isInitiator: role == .initiator, localSPI: localSPI, remoteSPI: remoteSPI,
            local: local, remote: remote, localIdentity: peer.localIdentity, remoteIdentity: remoteIdentity,
            transforms: negotiatedTransforms, establishedAt: establishedAt, rekeyAt: lifetime?.rekeyAt,
            reauthAt: lifetime?.reauthAt, expiresAt: lifetime?.expiresAt, isOnNATTraversalPort: isOnNATTraversalPort,
            isUDPEncapsulated: isUDPEncapsulated, isLocalBehindNAT: isLocalBehindNAT, virtualIPs: assignedVirtualIPs,
            peerVirtualIPs: addressesLeasedToPeer?.map(\.address) ?? [], remoteEAPIdentity: remoteEAPIdentity,
            isMOBIKENegotiated: isMOBIKENegotiated, addressUpdates: addressUpdates,
            peerAdditionalAddresses: peerAdditionalAddresses,
            children: state.children.map {
                ChildSAStatus(
                    name: $0.name, inboundSPI: $0.inboundSPI, outboundSPI: $0.outboundSPI,
                    localTrafficSelectors: $0.localSelectors, remoteTrafficSelectors: $0.remoteSelectors,
                    transforms: $0.transforms, mode: $0.mode, rekeyAt: $0.lifetime?.rekeyAt,
                    expiresAt: $0.lifetime?.expiresAt)
            })
    }

    /// Whether the SA runs on the NAT-T port, where IKE messages follow the non-ESP
    /// marker (which the host's socket adds and removes) (RFC 3948 §2.2). With MOBIKE the
    /// SA is there even without a NAT (RFC 4555 §3.3), so the port alone does not say
    /// whether ESP is encapsulated (``isUDPEncapsulated``).
    var isOnNATTraversalPort: Bool { local.port == natTraversalPort || remote.port == natTraversalPort }

    /// Whether the Child SAs' ESP travels in UDP (RFC 3948): on the NAT-T port, and a NAT
    /// was detected on either side, or one side pretends so (`encap = yes`). RFC 7296
    /// §2.23: "When either side is using port 4500, sending ESP with UDP encapsulation is
    /// not required ... However, if a NAT is detected, both devices MUST use UDP
    /// encapsulation for ESP." As in strongSwan, an SA that moved to port 4500 only for
    /// MOBIKE keeps raw ESP, and one that left a NAT stays encapsulated
    /// (``keepsUDPEncapsulation``).
    var isUDPEncapsulated: Bool { isOnNATTraversalPort && (isLocalBehindNAT || isRemoteBehindNAT || keepsUDPEncapsulation) }
}
