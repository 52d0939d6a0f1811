import IKEConfig
import IKEWire

/// Retransmission of our outstanding request (RFC 7296 §2.1): "For every pair of IKE
/// messages, the initiator is responsible for retransmission in the event of a timeout";
/// after ``IKEEngineConfiguration/retransmission`` tries, the IKE SA is given up.
extension IKEEngine {
    /// Sends the outstanding request of `sa` again when its timer is due, or closes the
    /// SA when every try is spent.
    mutating func retransmitIfDue(_ sa: inout IKESA, now: IKEInstant) {
        guard var request = sa.outstanding, request.deadline <= now else { return }
        if request.attempt >= configuration.retransmission.tries {
            if abandonReturnRoutabilityCheck(&sa, now: now) { return }
            return close(
                &sa,
                IKECloseReason(
                    .peerUnreachable,
                    "giving up after \(request.attempt) retransmits of \(request.exchange) request \(request.messageID); "
                        + "check that \(sa.remote) is reachable and runs IKEv2"))
        }
        request.attempt += 1
        request.deadline = now + configuration.retransmission.wait(afterAttempt: request.attempt)
        sa.outstanding = request
        transmit(request.datagrams, for: sa)
        events.append(.retransmitted(localSPI: sa.localSPI, messageID: request.messageID, attempt: request.attempt))
    }
}
