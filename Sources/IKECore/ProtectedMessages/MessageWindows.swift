import IKEConfig
import IKECrypto
import IKEWire
import NIOCore

/// The message-ID windows (RFC 7296 §2.1–§2.3): which requests and responses of an IKE SA
/// are taken, the response cache that answers retransmitted requests, and sending our
/// requests with their retransmission timer. Messages pass here, protected, on their way
/// to the exchange drivers.
extension IKEEngine {
    // MARK: Receiving

    mutating func handleResponse(
        _ sa: inout IKESA, _ message: IKEMessage, bytes: ByteBuffer, from remote: IKEEndpointAddress,
        to local: IKEEndpointAddress, now: IKEInstant
    ) {
        // RFC 7296 §2.1: a response that does not match an outstanding request is
        // dropped (late, replayed, or never asked for).
        guard let request = sa.outstanding, request.messageID == message.header.messageID,
            request.exchange == message.header.exchangeType
        else {
            return drop(.noOutstandingRequest, "response \(message.header.messageID) to no outstanding request")
        }
        if message.header.exchangeType == .ikeSAInit {
            handleSAInitResponse(&sa, message, bytes: Array(bytes.readableBytesView), now: now)
            return
        }
        guard let opened = openProtected(&sa, message, bytes) else { return }
        sa.lastInboundAt = now
        let payloads: [IKEPayload]
        switch opened {
        case .success(let decoded): payloads = decoded
        case .failure(let error):
            // Keep waiting, as for a response that breaks the rules.
            return drop(.malformedMessage, "\(message.header.exchangeType) response: decrypted payloads do not decode: \(error)")
        }
        guard
            let rules = IKEMessageRules.rules(for: message.header.exchangeType, isResponse: true),
            (try? rules.check(decryptedPayloads: payloads)) != nil
        else {
            // Keep waiting: a well-formed response may still come (the request is
            // retransmitted), and a forged one changes nothing.
            return drop(.payloadRulesBroken, "\(message.header.exchangeType) response: decrypted payloads break the rules")
        }
        sa.outstanding = nil
        let arrival = IKEPath(local: local, remote: remote)
        followNATMappingChange(&sa, to: arrival, isNewMessage: true)
        followAnsweredPath(&sa, arrival: arrival)
        switch message.header.exchangeType {
        case .ikeAuth: handleAuthResponse(&sa, payloads, now: now)
        case .createChildSA: handleCreateChildSAResponse(&sa, payloads, now: now)
        case .informational: handleInformationalResponse(&sa, payloads, arrival: arrival, now: now)
        default: drop(.unsupportedExchange, "response of unsupported exchange \(message.header.exchangeType)")
        }
        sendQueuedRequest(&sa, now: now)
    }

    mutating func handleRequest(
        _ sa: inout IKESA, _ message: IKEMessage, bytes: ByteBuffer, from remote: IKEEndpointAddress,
        to local: IKEEndpointAddress, now: IKEInstant
    ) {
        let messageID = message.header.messageID
        if let cached = sa.cachedResponses.first(where: { $0.messageID == messageID }) {
            // RFC 7296 §2.1: a retransmitted request gets the same response again,
            // without being processed twice — but only if it authenticates.
            guard authenticatesRetransmission(sa, message, bytes) else { return }
            sa.lastInboundAt = now
            // RFC 7296 §2.11: to "the address and port from which the request was received".
            transmit(cached.datagrams, from: local, to: remote)
            return
        }
        // RFC 7296 §2.3: requests from the lowest unprocessed message ID up to our window
        // size above it are accepted, in any order; "The window size is always one until
        // the initial exchanges complete."
        let window = sa.state.isEstablished ? configuration.windowSize : 1
        guard messageID &- sa.expectedRequestID < window, !sa.processedAheadRequestIDs.contains(messageID) else {
            return drop(
                .outsideWindow,
                "request \(messageID) outside the window (expected \(sa.expectedRequestID), window \(window))")
        }
        guard let opened = openProtected(&sa, message, bytes) else { return }
        sa.lastInboundAt = now
        // RFC 7296 §2.11: an implementation "MUST respond to the address and port from
        // which the request was received. It MUST specify the address and port at which
        // the request was received as the source address and port in the response."
        sa.responsePath = (local, remote)
        defer { sa.responsePath = nil }
        let payloads: [IKEPayload]
        switch opened {
        case .success(let decoded): payloads = decoded
        case .failure(let error): return refuseUndecodableRequest(&sa, message.header, error, from: remote)
        }
        // The SA itself moves with IKE_AUTH, where the initiator may have moved to port
        // 4500 (RFC 7296 §2.23, RFC 4555 §3.3: "The addresses in the IKE_SA are
        // initialized from the IP header of the first IKE_AUTH request"; strongSwan forces
        // this update too), during further IKE_AUTH rounds with a peer behind a NAT
        // (``IKESA/followsPeerAddress``), and once established as a NAT mapping change.
        if sa.state.isAwaitingAuthRequest || (!sa.state.isEstablished && sa.followsPeerAddress) {
            sa.remote = remote
            sa.local = local
        } else {
            followNATMappingChange(
                &sa, to: IKEPath(local: local, remote: remote), isNewMessage: sa.isNewestRequest(messageID))
        }
        guard
            let rules = IKEMessageRules.rules(for: message.header.exchangeType, isResponse: false),
            (try? rules.check(decryptedPayloads: payloads)) != nil
        else {
            return drop(.payloadRulesBroken, "\(message.header.exchangeType) request: decrypted payloads break the rules")
        }
        sa.markProcessed(requestID: messageID)
        switch (message.header.exchangeType, sa.state) {
        case (.ikeAuth, .awaitingAuthRequest(let state)):
            handleAuthRequest(&sa, state, payloads, messageID: messageID, now: now)
        case (.ikeAuth, .sentEAPRequest(let session)):
            handleEAPRequest(&sa, session, payloads, messageID: messageID, now: now)
        case (.ikeAuth, .sentEAPSuccess(let state)):
            handleEAPAuthenticationRequest(&sa, state, payloads, messageID: messageID, now: now)
        case (.informational, .established(let state)):
            handleInformationalRequest(&sa, state, payloads, messageID: messageID, now: now)
        case (.createChildSA, .established(let state)):
            handleCreateChildSARequest(&sa, state, payloads, messageID: messageID, now: now)
        case (.createChildSA, _):
            // A CREATE_CHILD_SA before IKE_AUTH completed: never acted on (the state
            // confusion class of flaws). Answer with an error notify so the peer stops.
            refuse(
                &sa, exchange: .createChildSA, messageID: messageID,
                IKERefusal(.childSANotAllowed, "CREATE_CHILD_SA before IKE_AUTH completed"))
        case (let exchange, _):
            // An INFORMATIONAL before IKE_AUTH completed, or an IKE_AUTH on an
            // established SA: likewise.
            refuse(
                &sa, exchange: exchange, messageID: messageID,
                IKERefusal(.exchangeNotAllowed, "\(exchange) request in a state that does not allow it"))
        }
    }

    /// An authenticated request whose decrypted payloads do not decode. RFC 7296 §2.5: "If
    /// the critical flag is set and the payload type is unrecognized, the message MUST be
    /// rejected and the response to the IKE request containing that payload MUST include a
    /// Notify payload UNSUPPORTED_CRITICAL_PAYLOAD"; the request is answered, so its message
    /// ID is used, and nothing else happens. Any other decoding error drops the request, as
    /// one that breaks the payload rules is dropped.
    private mutating func refuseUndecodableRequest(
        _ sa: inout IKESA, _ header: IKEHeader, _ error: IKEWireError, from remote: IKEEndpointAddress
    ) {
        guard error.code == .unsupportedCriticalPayload, let type = error.payloadType else {
            return drop(.malformedMessage, "\(header.exchangeType) request: decrypted payloads do not decode: \(error)")
        }
        sa.markProcessed(requestID: header.messageID)
        let refusal = IKERefusal.unsupportedCriticalPayload(type, in: "\(header.exchangeType) request \(header.messageID)")
        events.append(.negotiationRefused(remote: remote, reason: refusal))
        refuse(&sa, exchange: header.exchangeType, messageID: header.messageID, refusal)
    }

    // MARK: Sending

    /// Sends a request and starts its retransmission timer.
    mutating func sendRequest(
        _ sa: inout IKESA, exchange: ExchangeType, payloads: [IKEPayload], now: IKEInstant
    ) throws(IKECoreError) {
        let messageID = sa.nextRequestID
        let datagrams = try protectedDatagrams(
            sa, exchange: exchange, messageID: messageID, isResponse: false, payloads: payloads)
        sa.nextRequestID &+= 1
        sa.outstanding = IKESA.OutstandingRequest(
            messageID: messageID, exchange: exchange, datagrams: datagrams, attempt: 0,
            deadline: now + configuration.retransmission.wait(afterAttempt: 0))
        transmit(datagrams, for: sa)
    }

    /// Sends a response and caches it for retransmitted requests.
    mutating func respond(_ sa: inout IKESA, exchange: ExchangeType, messageID: UInt32, payloads: [IKEPayload]) {
        guard let datagrams = try? protectedDatagrams(
            sa, exchange: exchange, messageID: messageID, isResponse: true, payloads: payloads)
        else { return drop(.localFailure, "could not build the \(exchange) response") }
        sa.cachedResponses.append(IKESA.CachedResponse(messageID: messageID, datagrams: datagrams))
        if sa.cachedResponses.count > Int(configuration.windowSize) { sa.cachedResponses.removeFirst() }
        let (local, remote) = sa.responsePath ?? (sa.local, sa.remote)
        transmit(datagrams, from: local, to: remote)
    }

    /// Answers a request with the error notification of `refusal` (RFC 7296 §2.21.2).
    mutating func refuse(_ sa: inout IKESA, exchange: ExchangeType, messageID: UInt32, _ refusal: IKERefusal) {
        respond(&sa, exchange: exchange, messageID: messageID, payloads: [.notify(refusal.notify)])
    }
}
