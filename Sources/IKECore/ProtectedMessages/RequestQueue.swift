import IKEConfig
import IKEWire

/// Our requests beyond the window (RFC 7296 §2.3): a command or timer that needs a
/// request while one is outstanding queues it, and the queue is worked off as responses
/// arrive, so nothing the host asked for is lost.
extension IKEEngine {
    /// Queues `request` on `sa` unless the same request is already waiting.
    func enqueue(_ request: QueuedRequest, on sa: inout IKESA) {
        if !sa.queuedRequests.contains(request) { sa.queuedRequests.append(request) }
    }

    /// Sends queued requests while the window is free. A queued Delete of the IKE SA
    /// goes first and makes the rest moot.
    mutating func sendQueuedRequest(_ sa: inout IKESA, now: IKEInstant) {
        if !sa.queuedRequests.contains(.deleteIKESA) { sendReturnRoutabilityCheckIfDue(&sa, now: now) }
        while sa.outstanding == nil, sa.state.isEstablished, !sa.queuedRequests.isEmpty {
            let next: QueuedRequest
            if sa.queuedRequests.contains(.deleteIKESA) {
                next = .deleteIKESA
                sa.queuedRequests.removeAll()
            } else {
                next = sa.queuedRequests.removeFirst()
            }
            do {
                try send(next, on: &sa, now: now)
            } catch {
                drop(.localFailure, "queued \(next) on IKE SA \(HexText.string(sa.localSPI)) not sent: \(error)")
            }
        }
    }

    private mutating func send(_ request: QueuedRequest, on sa: inout IKESA, now: IKEInstant) throws(IKECoreError) {
        guard case .established(let state) = sa.state else { return }
        switch request {
        case .deleteIKESA:
            try startDelete(&sa, now: now)
        case .deleteChildSA(let inboundSPI, let isRemoved):
            if isRemoved {
                sendChildSADelete(&sa, inboundSPI: inboundSPI, now: now)
            } else if state.children.contains(where: { $0.inboundSPI == inboundSPI }) {
                try startDeleteChildSA(&sa, inboundSPI: inboundSPI, now: now)
            }
        case .createChildSA(let name):
            guard let config = sa.peer.children.first(where: { $0.name == name }) else { return }
            try startCreateChildSA(&sa, config: config, rekeying: nil, now: now)
        case .rekeyChildSA(let inboundSPI):
            // Skipped when it is gone or the peer replaced it meanwhile.
            guard state.peerRekeys[inboundSPI] == nil,
                let child = state.children.first(where: { $0.inboundSPI == inboundSPI }),
                let config = sa.peer.children.first(where: { $0.name == child.name })
            else { return }
            try startCreateChildSA(&sa, config: config, rekeying: child, now: now)
        case .rekeyIKESA:
            guard sa.replacedBy == nil else { return }
            try startIKERekey(&sa, now: now)
        case .notifyInvalidSPI(let spi):
            var current = state
            current.pending = .notification
            sa.state = .established(current)
            // RFC 7296 §3.10.1: "The Notification Data contains the SPI of the invalid
            // packet."
            try sendRequest(
                &sa, exchange: .informational,
                payloads: [.notify(NotifyPayload(protocolID: .esp, type: .invalidSPI, data: spi.bytes))], now: now)
        }
    }

    /// Sends the Delete of a Child SA pair (RFC 7296 §1.4.1: it names our inbound SPI,
    /// the one the peer sends to) and removes the pair when the answer comes.
    mutating func sendChildSADelete(_ sa: inout IKESA, inboundSPI: UInt32, now: IKEInstant) {
        guard case .established(var state) = sa.state else { return }
        state.pending = .deleteChildSA(inboundSPI)
        sa.state = .established(state)
        do {
            try sendRequest(
                &sa, exchange: .informational,
                payloads: [.delete(DeletePayload(protocolID: .esp, spis: [inboundSPI.bytes]))], now: now)
        } catch {
            drop(.localFailure, "Delete of Child SA \(HexText.string(inboundSPI)) not sent: \(error)")
        }
    }
}
