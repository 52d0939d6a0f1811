import IKEConfig
import IKEWire

/// INFORMATIONAL (RFC 7296 §1.4): deletes and liveness checks.
extension IKEEngine {
    mutating func startDelete(_ sa: inout IKESA, now: IKEInstant) throws(IKECoreError) {
        guard case .established(var state) = sa.state else {
            close(&sa, IKECloseReason(.deletedLocally, "deleted before it was established"))
            return
        }
        guard sa.outstanding == nil else { return enqueue(.deleteIKESA, on: &sa) }
        state.pending = .deleteIKESA
        sa.state = .established(state)
        try sendRequest(&sa, exchange: .informational, payloads: [.delete(DeletePayload(protocolID: .ike))], now: now)
    }

    mutating func startLivenessCheck(_ sa: inout IKESA, now: IKEInstant) throws(IKECoreError) {
        guard case .established(var state) = sa.state, sa.outstanding == nil else { return }
        if sa.checksNATMappingWithLiveness { return try sendMOBIKERequest(&sa, isUpdate: true, now: now) }
        state.pending = .livenessCheck
        sa.state = .established(state)
        // RFC 7296 §2.4: a liveness check is an INFORMATIONAL request with no payloads.
        try sendRequest(&sa, exchange: .informational, payloads: [], now: now)
    }

    mutating func handleInformationalResponse(
        _ sa: inout IKESA, _ payloads: [IKEPayload], arrival: IKEPath, now: IKEInstant
    ) {
        guard case .established(var state) = sa.state else { return }
        let pending = state.pending
        state.pending = nil
        sa.state = .established(state)
        switch pending {
        case .deleteIKESA?:
            close(
                &sa,
                sa.closeReasonOnDelete ?? (sa.replacedBy != nil
                    ? IKECloseReason(.rekeyed, "replaced by IKE SA \(HexText.string(sa.replacedBy ?? 0))")
                    : sa.isReauthenticating
                        ? IKECloseReason(.reauthenticated, "reauth_time reached; replaced by a fresh IKE SA")
                        : IKECloseReason(.deletedLocally, "deleted on request")))
        case .deleteChildSA(let inboundSPI)?:
            // RFC 7296 §1.4.1: the peer answers with its own inbound SPI of the pair; the
            // pair goes either way.
            guard case .established(var current) = sa.state else { return }
            for child in current.children where child.inboundSPI == inboundSPI {
                effects.append(.removeChildSA(inboundSPI: child.inboundSPI, outboundSPI: child.outboundSPI))
            }
            current.children.removeAll { $0.inboundSPI == inboundSPI }
            sa.state = .established(current)
        case .notification?:
            _ = handleReturnRoutabilityAnswer(&sa, payloads)
        case .mobike(let request)?:
            handleMOBIKEResponse(&sa, request, payloads, arrival: arrival, now: now)
        case .livenessCheck?, .createChildSA?, .rekeyIKESA?, nil:
            break
        }
    }

    mutating func handleInformationalRequest(
        _ sa: inout IKESA, _ state: EstablishedState, _ payloads: [IKEPayload], messageID: UInt32, now: IKEInstant
    ) {
        var state = state
        var answer: [IKEPayload] = []
        var deleteIKESA = false
        let path = sa.responsePath.map { IKEPath(local: $0.local, remote: $0.remote) } ?? sa.path
        switch answerMOBIKE(&sa, payloads, messageID: messageID, path: path) {
        case .success(let mobility): answer = mobility
        case .failure(let refusal):
            events.append(.negotiationRefused(remote: path.remote, reason: refusal))
            return refuse(&sa, exchange: .informational, messageID: messageID, refusal)
        }
        for delete in payloads.deletes {
            switch delete.protocolID {
            case .ike:
                deleteIKESA = true
            case .esp, .ah:
                // RFC 7296 §1.4.1: the answer deletes the paired inbound SAs.
                let outbound = Set(delete.spis.map(UInt32.init(bytes:)))
                let removed = state.children.filter { outbound.contains($0.outboundSPI) }
                state.children.removeAll { outbound.contains($0.outboundSPI) }
                for child in removed {
                    effects.append(.removeChildSA(inboundSPI: child.inboundSPI, outboundSPI: child.outboundSPI))
                    // After a rekey (§1.3.3) the new SA carries the name on, and a delete
                    // that crosses ours was our wish too; otherwise the peer closed it.
                    let isOurs = if case .deleteChildSA(child.inboundSPI)? = state.pending { true } else { false }
                    if !isOurs, !state.children.contains(where: { $0.name == child.name }) {
                        events.append(
                            .childSADeletedByPeer(
                                name: sa.peer.name, localSPI: sa.localSPI, child: child.name, inboundSPI: child.inboundSPI,
                                outboundSPI: child.outboundSPI))
                    }
                }
                // §1.4.1: "If a node receives a delete request for SAs for which it has
                // already issued a delete request ... the responses MUST NOT include
                // Delete payloads for the deleted SAs".
                let answered = removed.filter {
                    if case .deleteChildSA($0.inboundSPI)? = state.pending { false } else { true }
                }
                if !answered.isEmpty {
                    answer.append(.delete(DeletePayload(protocolID: delete.protocolID, spis: answered.map(\.inboundSPI.bytes))))
                }
            default:
                continue
            }
        }
        sa.state = .established(state)
        let refused = handleErrorNotifications(&sa, payloads)
        // RFC 7296 §1.4.1: to a Delete of the IKE SA "the recipient ... MUST respond with
        // an empty INFORMATIONAL", then the SA is gone.
        respond(&sa, exchange: .informational, messageID: messageID, payloads: deleteIKESA ? [] : answer)
        if let refused, !deleteIKESA { return close(&sa, refused) }
        if deleteIKESA {
            return close(
                &sa,
                sa.replacedBy == nil
                    ? IKECloseReason(.deletedByPeer, "peer deleted the IKE SA")
                    : IKECloseReason(.rekeyed, "replaced by IKE SA \(HexText.string(sa.replacedBy ?? 0))"))
        }
        sendReturnRoutabilityCheckIfDue(&sa, now: now)
    }
}

/// Error notifications in INFORMATIONAL exchanges (RFC 7296 §2.21): INVALID_SPI both
/// ways, and AUTHENTICATION_FAILED from an initiator that refused our IKE_AUTH response.
extension IKEEngine {
    /// The least time between two INVALID_SPI notifications on one IKE SA (RFC 7296
    /// §2.21.4: a node should limit the rate at which it answers such packets).
    public static var invalidSPINoticeInterval: Duration { .seconds(1) }

    mutating func reportInvalidSPI(_ spi: UInt32, remote: IKEEndpointAddress, now: IKEInstant) {
        let candidates = (sasByRemoteAddress[remote.address] ?? []).sorted()
        guard let localSPI = candidates.first(where: { sas[$0]?.state.isEstablished == true && sas[$0]?.replacedBy == nil }),
            var sa = sas[localSPI]
        else { return drop(.noIKESA, "ESP for unknown SPI \(HexText.string(spi)) from \(remote), and no IKE SA with it") }
        if let last = sa.lastInvalidSPINoticeAt, now < last + Self.invalidSPINoticeInterval { return }
        sa.lastInvalidSPINoticeAt = now
        if sa.outstanding == nil {
            sa.queuedRequests.insert(.notifyInvalidSPI(spi), at: 0)
            sendQueuedRequest(&sa, now: now)
        } else {
            enqueue(.notifyInvalidSPI(spi), on: &sa)
        }
        store(sa)
    }

    /// The error notifications of an INFORMATIONAL request; returns whether the IKE SA
    /// must close (the peer refused our authentication).
    mutating func handleErrorNotifications(_ sa: inout IKESA, _ payloads: [IKEPayload]) -> IKECloseReason? {
        var closing: IKECloseReason?
        for case .notify(let notify) in payloads where notify.type.isError {
            events.append(.errorNotifyReceived(localSPI: sa.localSPI, type: notify.type, data: notify.data))
            if notify.type == .authenticationFailed {
                // RFC 7296 §2.21.2: an initiator that refuses the responder's AUTH "MAY"
                // say so "in a separate INFORMATIONAL exchange"; the IKE SA is unusable.
                let hint =
                    switch sa.peer.localAuthentication {
                    case .publicKey: "check that the peer trusts our CA and our certificate's identity"
                    case .preSharedKey: "check that both sides have the same PSK for these identities"
                    // EAP-only (RFC 5998): the peer checked our AUTH from the MSK and our
                    // identity against its own policy (its CA constraints among them).
                    case .eap: "check the peer's policy for our EAP-only authentication and our identity"
                    }
                closing = IKECloseReason(
                    .authenticationFailed, "peer refused our IKE_AUTH response as '\(sa.peer.localIdentity)': \(hint)")
            }
        }
        return closing
    }

    /// Sends a request whose answer we will not wait for (the SA closes right after):
    /// a Delete at the hard lifetime, AUTHENTICATION_FAILED after refusing the peer.
    mutating func sendFinalRequest(_ sa: inout IKESA, payloads: [IKEPayload]) {
        guard sa.outstanding == nil, sa.keys != nil,
            let datagrams = try? protectedDatagrams(
                sa, exchange: .informational, messageID: sa.nextRequestID, isResponse: false, payloads: payloads)
        else { return }
        sa.nextRequestID &+= 1
        transmit(datagrams, for: sa)
    }
}
