import IKEConfig
import IKECrypto
import IKEWire

/// MOBIKE in the peer's INFORMATIONAL requests (RFC 4555 §3.5–§3.9): UPDATE_SA_ADDRESSES
/// from the initiator, announcements of additional addresses, NO_NATS_ALLOWED, COOKIE2,
/// NAT detection; and the return routability check before the Child SAs follow the IKE SA
/// to an address pair the peer has not yet shown it receives at (§3.7, §5.2).
///
/// When the check gets no answer after every retransmission, the IKE SA is not closed for
/// that alone: the Child SAs stay on the pair they were verified on and the IKE SA where
/// the peer moved it, and, as for any silence, the liveness check (`dpd_delay`) decides
/// whether the peer is gone. strongSwan as responder makes no such check (it moves the
/// Child SAs at once, `ike_mobike.c`), and an unanswered request of its own ends the IKE
/// SA; RFC 4555 §3.11 leaves recovery to the initiator ("the initiator is responsible for
/// detecting and recovering from most failures"), which sends UPDATE_SA_ADDRESSES again.
extension IKEEngine {
    /// The length of our COOKIE2 (RFC 4555 §4.2.5: "between 8 and 64 octets ... chosen by
    /// the exchange initiator in a way that is unpredictable to the exchange responder").
    static var cookie2Length: Int { 16 }

    /// The MOBIKE part of the peer's INFORMATIONAL request, answered through `path` (where
    /// it came from): applies what it asks and returns what the response carries, or the
    /// refusal of the whole request when one of its MOBIKE notifications is malformed
    /// (INVALID_SYNTAX, RFC 7296 §3.10.1). Without MOBIKE nothing happens: the notifications
    /// are status types, which a peer that did not negotiate MOBIKE ignores (RFC 7296
    /// §3.10.1: "Status notifications ... MUST be ignored if not recognized").
    mutating func answerMOBIKE(_ sa: inout IKESA, _ payloads: [IKEPayload], messageID: UInt32, path: IKEPath)
        -> Result<[IKEPayload], IKERefusal>
    {
        guard sa.isMOBIKENegotiated else { return .success([]) }
        var answer: [IKEPayload] = []
        // §3.7: "the recipient of an INFORMATIONAL request MUST copy the notification as-is
        // to the response".
        if let cookie = payloads.notification(.cookie2) {
            guard (8...64).contains(cookie.data.count) else {
                return .failure(IKERefusal(.malformedRequest, "COOKIE2 of \(cookie.data.count) octets, not 8 to 64"))
            }
            answer.append(.notify(cookie))
        }
        let announcement: [[UInt8]]?
        do {
            announcement = try Self.announcedAddresses(payloads)
        } catch {
            return .failure(IKERefusal(.malformedRequest, "malformed additional address: \(error)"))
        }
        // §3.5: "In MOBIKE, the initiator decides what addresses are used in the IPsec SAs";
        // an UPDATE_SA_ADDRESSES from the responder is answered and changes nothing.
        let isUpdate = payloads.hasNotification(.updateSAAddresses) && !sa.isMOBIKEInitiator
        if isUpdate || announcement != nil, let noNATs = payloads.notification(.noNATsAllowed) {
            let data: NoNATsAllowedData
            do {
                data = try NoNATsAllowedData(decoding: noNATs.data)
            } catch {
                return .failure(IKERefusal(.malformedRequest, "malformed NO_NATS_ALLOWED: \(error)"))
            }
            // §3.9: "The exchange responder MUST verify that the contents of the
            // NO_NATS_ALLOWED notification match the addresses in the IP header. If they
            // do not match, a response containing an UNEXPECTED_NAT_DETECTED notification
            // is sent." Nothing else of the update is done.
            let sent = IKEPath(
                local: IKEEndpointAddress(address: data.destinationAddress, port: data.destinationPort),
                remote: IKEEndpointAddress(address: data.sourceAddress, port: data.sourcePort))
            if sent != path {
                let refusal = IKERefusal(
                    .unexpectedNATDetected,
                    "address update sent from \(sent.remote) to \(sent.local) arrived from \(path.remote) at \(path.local)")
                events.append(.negotiationRefused(remote: path.remote, reason: refusal))
                return .success([.notify(refusal.notify)] + answer)
            }
        }
        if let announcement, Self.isNewer(messageID, than: sa.mobikeResponder.lastAnnouncementMessageID) {
            // §3.6: "If it has [received a newer request], a response message is sent, but
            // the address set is not updated."
            sa.mobikeResponder.lastAnnouncementMessageID = messageID
            sa.peerAdditionalAddresses = announcement
        }
        if isUpdate, Self.isNewer(messageID, than: sa.mobikeResponder.lastUpdateMessageID) {
            sa.mobikeResponder.lastUpdateMessageID = messageID
            applyAddressUpdate(&sa, payloads.notifications, path: path)
        }
        // §3.8: NAT_DETECTION_*_IP "MAY be included in any INFORMATIONAL request; if the
        // request includes them, the responder MUST also include them in the response",
        // over the addresses the response travels between.
        if payloads.hasNotification(.natDetectionSourceIP) || payloads.hasNotification(.natDetectionDestinationIP) {
            var answering = sa
            (answering.local, answering.remote) = (path.local, path.remote)
            answer += natDetectionPayloads(answering, initiatorSPI: sa.initiatorSPI, responderSPI: sa.responderSPI)
        }
        return .success(answer)
    }

    /// §3.5, the responder: "Updates the IP addresses in the IKE_SA with the values from
    /// the IP header", then "If necessary, initiates a return routability check for the new
    /// initiator address ... and waits until the check is completed", "Updates the IPsec
    /// SAs associated with this IKE_SA with the new addresses", and "If NAT Traversal is
    /// supported and NAT detection payloads were included, enables or disables NAT
    /// Traversal."
    private mutating func applyAddressUpdate(_ sa: inout IKESA, _ notifies: [NotifyPayload], path: IKEPath) {
        let childSAs = sa.mobikeResponder.check.map { ($0.childSAPath, $0.childSAsAreUDPEncapsulated) }
            ?? (sa.path, sa.isUDPEncapsulated)
        if path != sa.path, sa.mobikeResponder.sentCheck != nil { sa.mobikeResponder.isSentCheckConclusive = false }
        moveIKESA(&sa, to: path, cause: .mobike)
        _ = noteNATs(&sa, notifies, initiatorSPI: sa.initiatorSPI, responderSPI: sa.responderSPI)
        if sa.mobikeResponder.verifiedPaths.contains(sa.path) {
            sa.mobikeResponder.check = nil
            if childSAs != (sa.path, sa.isUDPEncapsulated) { updateChildSAPaths(sa) }
        } else {
            sa.mobikeResponder.check = MOBIKEResponderState.ReturnRoutabilityCheck(
                cookie: random.bytes(Self.cookie2Length), path: sa.path, childSAPath: childSAs.0,
                childSAsAreUDPEncapsulated: childSAs.1)
        }
    }

    /// Sends the return routability check the SA waits for, when the window is free:
    /// `HDR, SK {N(COOKIE2)}` to the new address pair (RFC 4555 §3.7).
    mutating func sendReturnRoutabilityCheckIfDue(_ sa: inout IKESA, now: IKEInstant) {
        guard sa.outstanding == nil, case .established(var state) = sa.state,
            let check = sa.mobikeResponder.check, sa.mobikeResponder.sentCheck?.cookie != check.cookie
        else { return }
        state.pending = .notification
        sa.state = .established(state)
        do {
            try sendRequest(
                &sa, exchange: .informational, payloads: [.notify(NotifyPayload(type: .cookie2, data: check.cookie))],
                now: now)
            sa.mobikeResponder.sentCheck = check
            sa.mobikeResponder.isSentCheckConclusive = true
        } catch {
            drop(.localFailure, "return routability check of \(check.path.remote) not sent: \(error)")
        }
    }

    /// The answer to our INFORMATIONAL request, when it was a return routability check;
    /// returns whether it was. §3.7: "When processing the response, the original sender
    /// MUST verify that the value is the same one as sent. If the values do not match, the
    /// IKE_SA MUST be closed." A matching answer verifies the pair the check went to, and
    /// the Child SAs follow the IKE SA there if it is still the SA's.
    mutating func handleReturnRoutabilityAnswer(_ sa: inout IKESA, _ payloads: [IKEPayload]) -> Bool {
        guard let sent = sa.mobikeResponder.sentCheck else { return false }
        sa.mobikeResponder.sentCheck = nil
        guard payloads.notification(.cookie2)?.data == sent.cookie else {
            close(&sa, IKECloseReason(.protocolError, "the peer's answer to our return routability check lacks our COOKIE2"))
            return true
        }
        if sa.mobikeResponder.isSentCheckConclusive { sa.mobikeResponder.verify(sent.path) }
        guard let check = sa.mobikeResponder.check, sa.mobikeResponder.verifiedPaths.contains(check.path),
            check.path == sa.path
        else { return true }
        sa.mobikeResponder.check = nil
        if (check.childSAPath, check.childSAsAreUDPEncapsulated) != (sa.path, sa.isUDPEncapsulated) {
            updateChildSAPaths(sa)
        }
        return true
    }

    /// Our return routability check went unanswered after every retransmission: it is
    /// given up, not the IKE SA (see above); returns whether the outstanding request was
    /// the check.
    mutating func abandonReturnRoutabilityCheck(_ sa: inout IKESA, now: IKEInstant) -> Bool {
        guard let sent = sa.mobikeResponder.sentCheck, case .established(var state) = sa.state else { return false }
        sa.mobikeResponder.sentCheck = nil
        if sa.mobikeResponder.check?.cookie == sent.cookie { sa.mobikeResponder.check = nil }
        sa.outstanding = nil
        state.pending = nil
        sa.state = .established(state)
        sendQueuedRequest(&sa, now: now)
        return true
    }

    /// Whether `messageID` is above `last` (none yet: any is).
    private static func isNewer(_ messageID: UInt32, than last: UInt32?) -> Bool {
        last.map { messageID &- $0 != 0 && messageID &- $0 < 1 << 31 } ?? true
    }
}
