import IKEWire

/// Whether an IKE_SA_INIT request may create state: the responder's defences against a
/// flood of half-open SAs (RFC 7296 §2.6: resource exhaustion by half-open state).
///
/// In strongSwan's order: first the COOKIE, once there are `cookieThreshold` half-open
/// SAs — a request without a valid one gets only `N(COOKIE)` and leaves no state; then
/// the limits per source address and in total — a request over either is dropped
/// unanswered. Both checks cost a lookup or two (the counts are kept as SAs come and go),
/// never a scan of the SAs.
extension IKEEngine {
    /// Returns `true` when the request may go on to proposal choice; otherwise it was
    /// answered with a COOKIE or dropped, and an event says which.
    mutating func admitSAInitRequest(
        _ message: IKEMessage, initiatorNonce: [UInt8], from remote: IKEEndpointAddress, to local: IKEEndpointAddress,
        now: IKEInstant
    ) -> Bool {
        if let threshold = configuration.cookieThreshold, halfOpen.total >= threshold {
            cookieSecrets.rotate(now: now, lifetime: configuration.cookieSecretLifetime, random: &random)
            // RFC 7296 §2.6: the initiator retries "with a Notify payload of type COOKIE
            // containing the responder-supplied cookie data as the first payload"; like
            // strongSwan we look only there, and a COOKIE anywhere else does not count.
            let presented: [UInt8]? =
                if case .notify(let notify)? = message.payloads.first, notify.type == .cookie { notify.data } else { nil }
            let isValid = presented.map {
                cookieSecrets.isValid(
                    $0, initiatorNonce: initiatorNonce, initiatorAddress: remote.address,
                    initiatorSPI: message.header.initiatorSPI)
            } ?? false
            if !isValid {
                guard let cookie = cookieSecrets.cookie(
                    initiatorNonce: initiatorNonce, initiatorAddress: remote.address,
                    initiatorSPI: message.header.initiatorSPI)
                else { return false }
                // RFC 7296 §2.6: "the responder ... reject[s] initial IKE messages unless
                // they contain a Notify payload of type COOKIE" and answers "with an
                // IKE_SA_INIT response containing only one notify of type COOKIE".
                sendStatelessResponse(to: message, [.notify(NotifyPayload(type: .cookie, data: cookie))], from: local, to: remote)
                events.append(.cookieRequested(remote: remote))
                return false
            }
        }
        if let limit = configuration.maximumHalfOpenSAsPerAddress, halfOpen.count(from: remote.address) >= limit {
            events.append(.halfOpenLimitReached(remote: remote, limit: .perAddress))
            return false
        }
        if let limit = configuration.maximumHalfOpenSAs, halfOpen.total >= limit {
            events.append(.halfOpenLimitReached(remote: remote, limit: .total))
            return false
        }
        return true
    }
}
