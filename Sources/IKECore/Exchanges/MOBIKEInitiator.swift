import IKEConfig
import IKECrypto
import IKEWire

/// MOBIKE (RFC 4555) as the original initiator, who alone decides which addresses the
/// IKE SA and its Child SAs use (§3.5), and the announcement of our own addresses, which
/// both roles make (§3.6).
///
/// - A move (``IKECommand/updateLocalAddress(localSPI:address:)``): the IKE SA takes the
///   new local address at once, on the NAT-T port, so a request already outstanding is
///   retransmitted from there; an INFORMATIONAL with UPDATE_SA_ADDRESSES, fresh
///   NAT_DETECTION_*_IP for the new pair and a COOKIE2 follows when the window allows.
///   Its answer must echo the COOKIE2; its NAT detection says whether the new path has a
///   NAT; then every Child SA follows (``IKEEffect/updateChildSA(_:)``).
/// - A dead path (§3.10): from the ``pathProbingAttempt``-th retransmission on, the
///   outstanding request also goes out on every other pair of our addresses and the
///   peer's; the pair the answer comes back on wins, and an UPDATE_SA_ADDRESSES moves the
///   SA there. The number of retransmissions, and the close when all go unanswered, stay.
/// - Behind a NAT the liveness check carries UPDATE_SA_ADDRESSES with NAT detection
///   (§3.8), so the responder follows a NAT that changed its mapping.
extension IKEEngine {
    /// The most ADDITIONAL_*_ADDRESS notifications in one message (strongSwan's limit).
    static var maximumAdditionalAddresses: Int { 8 }
    /// From this retransmission on, a request of a MOBIKE initiator goes out on every
    /// address pair: two tries on the current path first.
    static var pathProbingAttempt: Int { 2 }

    // MARK: Moving

    /// ``IKECommand/updateLocalAddress(localSPI:address:)`` for `sa`.
    mutating func updateLocalAddress(_ sa: inout IKESA, to address: [UInt8], now: IKEInstant) {
        guard sa.state.isEstablished, sa.replacedBy == nil else { return skipUpdate(sa, .notEstablished) }
        guard sa.isMOBIKENegotiated else { return skipUpdate(sa, .mobikeNotNegotiated) }
        guard sa.isMOBIKEInitiator else {
            // §3.6: the responder cannot move the SA, but tells the initiator what else
            // reaches it.
            announceAddressesIfChanged(&sa, now: now)
            return skipUpdate(sa, .notOriginalInitiator)
        }
        guard address != sa.local.address else { return skipUpdate(sa, .unchanged) }
        // Another family (IPv4 to IPv6): to an address of the peer's of that family.
        let remote = address.count == sa.remote.address.count
            ? sa.remote.address : sa.peerAdditionalAddresses.first { $0.count == address.count }
        guard let remote else { return skipUpdate(sa, .noPeerAddress) }
        if sa.childSAPath == nil { sa.childSAPath = (sa.local, sa.remote) }
        if remote != sa.remote.address { sa.remote = IKEEndpointAddress(address: remote, port: sa.natTraversalPort) }
        // §3.5: the initiator "Updates the IKE_SA with the new addresses" and, "If there
        // are outstanding IKEv2 requests ..., continues retransmitting them using the
        // addresses in the IKE_SA (the new addresses)". MOBIKE runs on the NAT-T port.
        if !sa.isOnNATTraversalPort { sa.remote.port = sa.natTraversalPort }
        sa.local = IKEEndpointAddress(address: address, port: sa.natTraversalPort)
        // §3.5: "When the window size allows, sends an INFORMATIONAL request containing
        // the UPDATE_SA_ADDRESSES notification".
        enqueue(.updateSAAddresses, on: &sa)
        sendQueuedRequest(&sa, now: now)
    }

    private mutating func skipUpdate(_ sa: IKESA, _ reason: IKEAddressUpdateSkip) {
        events.append(.addressUpdateSkipped(name: sa.peer.name, localSPI: sa.localSPI, reason: reason))
    }

    /// Sends a MOBIKE INFORMATIONAL on `sa`: UPDATE_SA_ADDRESSES with NAT detection and
    /// COOKIE2 when `isUpdate`, and our additional addresses when they changed since the
    /// peer last heard them. Nothing when there is nothing to say.
    mutating func sendMOBIKERequest(_ sa: inout IKESA, isUpdate: Bool, now: IKEInstant) throws(IKECoreError) {
        guard case .established(var state) = sa.state, sa.isMOBIKENegotiated else { return }
        var payloads: [IKEPayload] = []
        var cookie2: [UInt8]?
        if isUpdate, sa.isMOBIKEInitiator {
            let cookie = random.bytes(Self.cookie2Length)
            cookie2 = cookie
            payloads.append(.notify(NotifyPayload(type: .updateSAAddresses)))
            payloads += natDetectionPayloads(sa, initiatorSPI: sa.initiatorSPI, responderSPI: sa.responderSPI)
            payloads.append(.notify(NotifyPayload(type: .cookie2, data: cookie)))
        }
        if additionalAddresses(of: sa) != sa.announcedAdditionalAddresses { payloads += additionalAddressNotifies(&sa) }
        guard !payloads.isEmpty else { return }
        state.pending = .mobike(MOBIKERequest(isUpdate: cookie2 != nil, cookie2: cookie2))
        sa.state = .established(state)
        try sendRequest(&sa, exchange: .informational, payloads: payloads, now: now)
    }

    /// The answer to our MOBIKE INFORMATIONAL: for an update, check the COOKIE2, learn
    /// from the NAT detection whether the path has a NAT, and move the Child SAs.
    mutating func handleMOBIKEResponse(
        _ sa: inout IKESA, _ request: MOBIKERequest, _ payloads: [IKEPayload], arrival: IKEPath, now: IKEInstant
    ) {
        guard request.isUpdate else { return }
        // §3.9: the peer refuses a path with a NAT (we never send NO_NATS_ALLOWED, so a
        // peer that does so anyway): its Child SAs stay on the old path, which may be
        // gone, so the IKE SA closes and the host's close action decides what follows.
        if let refusal = payloads.notification(.unexpectedNATDetected) {
            events.append(.errorNotifyReceived(localSPI: sa.localSPI, type: refusal.type, data: refusal.data))
            return close(
                &sa, IKECloseReason(.peerError, "the peer refused UPDATE_SA_ADDRESSES with UNEXPECTED_NAT_DETECTED"))
        }
        // §3.7: the responder echoes the COOKIE2, which ties the answer to this request.
        // strongSwan closes the IKE SA on a mismatch; so do we (the answer passed the
        // integrity check, so the peer itself is broken).
        if let cookie2 = request.cookie2, payloads.notification(.cookie2)?.data != cookie2 {
            drop(.cookie2Mismatch, "the answer to UPDATE_SA_ADDRESSES does not echo our COOKIE2")
            return close(&sa, IKECloseReason(.protocolError, "the peer's answer to UPDATE_SA_ADDRESSES did not echo our COOKIE2"))
        }
        // The SA moved again meanwhile: the queued update settles the path.
        if sa.queuedRequests.contains(.updateSAAddresses) { return }
        let wasEncapsulated = sa.isUDPEncapsulated
        (sa.local, sa.remote) = (arrival.local, arrival.remote)
        takeNATDetection(&sa, payloads)
        if wasEncapsulated, !sa.isUDPEncapsulated { sa.keepsUDPEncapsulation = true }
        let old = sa.childSAPath ?? (sa.local, sa.remote)
        sa.childSAPath = nil
        guard old != (sa.local, sa.remote) || wasEncapsulated != sa.isUDPEncapsulated else { return }
        updateChildSAPaths(sa)
        sa.addressUpdates += 1
        events.append(.ikeSAAddressesUpdated(
            name: sa.peer.name, localSPI: sa.localSPI, oldLocal: old.local, oldRemote: old.remote, newLocal: sa.local,
            newRemote: sa.remote, cause: .mobike))
    }

    /// NAT detection in the answer to UPDATE_SA_ADDRESSES (RFC 4555 §3.5, RFC 7296 §2.23):
    /// the peer's hash of where our request came from, and of where it sent from.
    private func takeNATDetection(_ sa: inout IKESA, _ payloads: [IKEPayload]) {
        let sources = payloads.notifications.filter { $0.type == .natDetectionSourceIP }.map(\.data)
        let destinations = payloads.notifications.filter { $0.type == .natDetectionDestinationIP }.map(\.data)
        guard !sources.isEmpty, !destinations.isEmpty else { return }
        let ours = NATDetection.hash(
            initiatorSPI: sa.initiatorSPI, responderSPI: sa.responderSPI, address: sa.local.address, port: sa.local.port)
        let theirs = NATDetection.hash(
            initiatorSPI: sa.initiatorSPI, responderSPI: sa.responderSPI, address: sa.remote.address, port: sa.remote.port)
        sa.isLocalBehindNAT = !destinations.contains(ours) || sa.peer.forcesUDPEncapsulation
        sa.isRemoteBehindNAT = !sources.contains(theirs)
    }

    // MARK: A dead path

    /// Sends the outstanding request of `sa` again: on the SA's path, and, once the SA is
    /// a MOBIKE initiator's and ``pathProbingAttempt`` tries went unanswered, on every
    /// other address pair too (RFC 4555 §3.10, as strongSwan sends on all paths at once).
    mutating func retransmit(_ request: IKESA.OutstandingRequest, on sa: inout IKESA) {
        transmit(request.datagrams, for: sa)
        guard request.attempt >= Self.pathProbingAttempt else { return }
        let paths = otherPaths(of: sa)
        if !paths.isEmpty { sa.isProbingPaths = true }
        for path in paths { transmit(request.datagrams, from: path.local, to: path.remote) }
    }

    /// The address pairs other than the SA's: each of our addresses with each of the
    /// peer's (its current one and those it announced) of the same family, on the NAT-T
    /// port (an address in use keeps its port).
    func otherPaths(of sa: IKESA) -> [(local: IKEEndpointAddress, remote: IKEEndpointAddress)] {
        guard sa.isMOBIKENegotiated, sa.isMOBIKEInitiator, sa.state.isEstablished else { return [] }
        let remotes = [sa.remote] + sa.peerAdditionalAddresses.filter { $0 != sa.remote.address }.map {
            IKEEndpointAddress(address: $0, port: sa.natTraversalPort)
        }
        var paths: [(local: IKEEndpointAddress, remote: IKEEndpointAddress)] = []
        for remote in remotes {
            for address in localAddresses where address.count == remote.address.count {
                let local = address == sa.local.address ? sa.local : IKEEndpointAddress(address: address, port: sa.natTraversalPort)
                if (local, remote) != (sa.local, sa.remote) { paths.append((local, remote)) }
            }
        }
        return paths
    }

    /// After the answer to a request sent on every path: when it came back on another
    /// pair than the SA's, that pair wins (RFC 4555 §3.10): the IKE SA moves there and an
    /// UPDATE_SA_ADDRESSES follows, unless the answered request was one.
    mutating func followAnsweredPath(_ sa: inout IKESA, arrival: IKEPath) {
        guard sa.isProbingPaths else { return }
        sa.isProbingPaths = false
        guard arrival != sa.path else { return }
        if case .established(let state) = sa.state, case .mobike(let request)? = state.pending, request.isUpdate { return }
        if sa.childSAPath == nil { sa.childSAPath = (sa.local, sa.remote) }
        (sa.local, sa.remote) = (arrival.local, arrival.remote)
        enqueue(.updateSAAddresses, on: &sa)
    }

    // MARK: Our addresses

    /// Our addresses other than the SA's current one (RFC 4555 §3.6: "ADDITIONAL" ones), at
    /// most ``maximumAdditionalAddresses``.
    func additionalAddresses(of sa: IKESA) -> [[UInt8]] {
        Array(localAddresses.filter { $0 != sa.local.address && ($0.count == 4 || $0.count == 16) }
            .prefix(Self.maximumAdditionalAddresses))
    }

    /// ADDITIONAL_IP4_ADDRESS and ADDITIONAL_IP6_ADDRESS for our additional addresses, or
    /// NO_ADDITIONAL_ADDRESSES without any (RFC 4555 §3.4, §3.6), as in IKE_AUTH and in
    /// an INFORMATIONAL when they changed; recorded as what the peer knows.
    mutating func additionalAddressNotifies(_ sa: inout IKESA) -> [IKEPayload] {
        let addresses = additionalAddresses(of: sa)
        sa.announcedAdditionalAddresses = addresses
        guard !addresses.isEmpty else { return [.notify(NotifyPayload(type: .noAdditionalAddresses))] }
        return addresses.map {
            .notify(NotifyPayload(type: $0.count == 4 ? .additionalIP4Address : .additionalIP6Address, data: $0))
        }
    }

    /// ``IKECommand/setLocalAddresses(_:)``: every established SA with MOBIKE whose peer
    /// knows another set of our addresses hears the new one (RFC 4555 §3.6, both roles).
    mutating func announceChangedAddresses(now: IKEInstant) {
        for spi in sas.keys.sorted() {
            guard var sa = sas[spi], sa.state.isEstablished, sa.replacedBy == nil, sa.isMOBIKENegotiated else { continue }
            announceAddressesIfChanged(&sa, now: now)
            store(sa)
        }
    }

    private mutating func announceAddressesIfChanged(_ sa: inout IKESA, now: IKEInstant) {
        guard additionalAddresses(of: sa) != sa.announcedAdditionalAddresses else { return }
        enqueue(.announceAddresses, on: &sa)
        sendQueuedRequest(&sa, now: now)
    }
}

extension IKESA {
    /// The liveness check carries UPDATE_SA_ADDRESSES and NAT detection (RFC 4555 §3.8):
    /// an initiator behind a NAT learns nothing of a new mapping itself, the responder
    /// sees it and follows when told to update.
    var checksNATMappingWithLiveness: Bool { isMOBIKENegotiated && isMOBIKEInitiator && isLocalBehindNAT }
}
