import IKEConfig
import IKECrypto
import IKEWire
import NIOCore

/// IKE_SA_INIT (RFC 7296 §1.2): proposals, key exchange, nonces, NAT detection, COOKIE
/// and INVALID_KE_PAYLOAD retries.
extension IKEEngine {
    /// Nonce length: RFC 7296 §2.10 wants at least half the PRF key size and 128 bits;
    /// 32 bytes covers every PRF we offer.
    static var nonceLength: Int { 32 }

    // MARK: Initiator

    /// Starts an IKE SA of `peer` with `children`: the first in IKE_AUTH, each other with
    /// CREATE_CHILD_SA once the IKE SA is established.
    mutating func initiate(
        peer: PeerConfiguration, local: IKEEndpointAddress, remote: IKEEndpointAddress, children: [ChildSAConfiguration],
        now: IKEInstant
    ) throws(IKECoreError) {
        guard let method = peer.proposals.first?.keyExchangeMethods.first else {
            throw IKECoreError(.configuration, "connection '\(peer.name)' has no IKE proposal with a key exchange method")
        }
        // RFC 7296 §2.16: EAP authenticates the initiator; the responder authenticates
        // itself, or, with EAP-only authentication (RFC 5998), the same conversation does.
        guard !peer.remoteAuthentication.usesEAP || peer.isEAPOnly else {
            throw IKECoreError(
                .configuration,
                "connection '\(peer.name)' authenticates its peer with EAP (remote auth = \(peer.remoteAuthentication)), so it only answers: EAP authenticates an initiator")
        }
        let offered = peer.proposals.enumerated().map { index, template in
            template.proposal(number: UInt8(clamping: index + 1), protocolID: .ike)
        }
        let state = SentSAInitRequestState(
            keyShare: try generateShare(method), keyExchangeMethod: method, nonce: random.bytes(Self.nonceLength),
            offered: offered, cookie: nil, retries: 0, requestBytes: [], child: children.first)
        var sa = IKESA(
            role: .initiator, localSPI: makeLocalSPI(), remoteSPI: 0, local: local, remote: remote,
            natTraversalPort: configuration.natTraversalPort, peer: peer, state: .sentSAInitRequest(state))
        sa.queuedRequests = children.dropFirst().map { .createChildSA(child: $0.name) }
        sa.isMOBIKEInitiator = true
        events.append(.ikeSAStarted(name: peer.name, localSPI: sa.localSPI, isInitiator: true))
        sendSAInitRequest(&sa, state, now: now)
        store(sa)
    }

    mutating func generateShare(_ method: KeyExchangeMethodID) throws(IKECoreError) -> any KeyExchangeShare {
        do {
            return try configuration.provider.keyExchangeMethod(method).generate(using: &random)
        } catch {
            throw IKECoreError(.configuration, "key exchange \(method): \(error)")
        }
    }

    private mutating func sendSAInitRequest(_ sa: inout IKESA, _ state: SentSAInitRequestState, now: IKEInstant) {
        var payloads: [IKEPayload] = []
        // RFC 7296 §2.6: the initiator retries "with a Notify payload of type COOKIE
        // containing the responder-supplied cookie data as the first payload".
        if let cookie = state.cookie { payloads.append(.notify(NotifyPayload(type: .cookie, data: cookie))) }
        payloads += [
            .securityAssociation(SecurityAssociationPayload(proposals: state.offered)),
            .keyExchange(KeyExchangePayload(method: state.keyExchangeMethod, data: state.keyShare.publicValue)),
            .nonce(NoncePayload(data: state.nonce)),
        ]
        payloads += natDetectionPayloads(sa, initiatorSPI: sa.localSPI, responderSPI: 0)
        if sa.peer.fragmentation.isAnnounced {
            payloads.append(.notify(NotifyPayload(type: .ikev2FragmentationSupported)))
        }
        payloads.append(
            .notify(NotifyPayload(type: .signatureHashAlgorithms, data: SignatureHashAlgorithms.cygnetDefault.encoded)))
        let message = IKEMessage(header: sa.header(exchange: .ikeSAInit, messageID: 0, isResponse: false), payloads: payloads)
        guard let bytes = try? message.encoded() else { return drop(.localFailure, "could not encode IKE_SA_INIT") }
        var state = state
        state.requestBytes = Array(bytes.readableBytesView)
        sa.state = .sentSAInitRequest(state)
        sa.nextRequestID = 1
        let datagram = bytes
        sa.outstanding = IKESA.OutstandingRequest(
            messageID: 0, exchange: .ikeSAInit, datagrams: [datagram], attempt: 0,
            deadline: now + configuration.retransmission.wait(afterAttempt: 0))
        transmits.append(IKETransmit(source: sa.local, destination: sa.remote, datagram: datagram))
    }

    mutating func handleSAInitResponse(_ sa: inout IKESA, _ message: IKEMessage, bytes: [UInt8], now: IKEInstant) {
        guard case .sentSAInitRequest(var state) = sa.state else {
            return drop(.responseMismatch, "IKE_SA_INIT response in the wrong state")
        }
        if let cookie = message.payloads.notification(.cookie) {
            // RFC 7296 §2.6: "The data associated with this notification MUST be between
            // 1 and 64 octets in length".
            guard (1...64).contains(cookie.data.count), state.retries < configuration.maximumInitRetries else {
                return drop(.unusableCookie, "unusable COOKIE")
            }
            state.cookie = cookie.data
            state.retries += 1
            return sendSAInitRequest(&sa, state, now: now)
        }
        if let invalidKE = message.payloads.notification(.invalidKEPayload) {
            // RFC 7296 §1.3 / §3.10.1: the data names the group the responder wants; it
            // must be one we offered and not the one we sent.
            let wanted = invalidKE.data.count == 2
                ? KeyExchangeMethodID(rawValue: UInt16(invalidKE.data[0]) << 8 | UInt16(invalidKE.data[1])) : nil
            guard let wanted, wanted != state.keyExchangeMethod,
                state.offered.contains(where: { $0.transforms.contains(Transform(wanted)) }),
                state.retries < configuration.maximumInitRetries, let share = try? generateShare(wanted)
            else {
                close(&sa, IKECloseReason(.noProposalChosen, "peer asked for key exchange group it was not offered"))
                return
            }
            state.keyExchangeMethod = wanted
            state.keyShare = share
            state.retries += 1
            return sendSAInitRequest(&sa, state, now: now)
        }
        if let error = message.payloads.errorNotification {
            let reason: IKECloseReason =
                error.type == .noProposalChosen
                ? IKECloseReason(
                    .noProposalChosen,
                    "peer accepted none of our IKE proposals (\(ProposalSelection.describe(state.offered))); "
                        + "add one the peer allows to `proposals`")
                : IKECloseReason(.peerError, "peer answered IKE_SA_INIT with \(error.type)")
            return close(&sa, reason)
        }
        guard message.header.responderSPI != 0 else {
            return drop(.responseMismatch, "IKE_SA_INIT response without responder SPI")
        }
        guard let chosen = ProposalSelection.verify(accepted: message.payloads.proposals, offered: state.offered),
            let ke = message.payloads.keyExchange,
            let nonce = message.payloads.nonce,
            chosen.transforms(ofType: .keyExchangeMethod).first.map({ KeyExchangeMethodID(rawValue: $0.id) })
                == state.keyExchangeMethod, ke.method == state.keyExchangeMethod
        else {
            return close(&sa, IKECloseReason(.protocolError, "IKE_SA_INIT response does not match what we offered"))
        }
        sa.remoteSPI = message.header.responderSPI
        do {
            let secret = try state.keyShare.complete(peerValue: ke.data)
            sa.keys = try deriveKeys(
                &sa, chosen: chosen, sharedSecret: secret, initiatorNonce: state.nonce, responderNonce: nonce.data)
        } catch {
            return close(&sa, IKECloseReason(.protocolError, "key exchange with the peer failed: \(error)"))
        }
        sa.outstanding = nil
        // RFC 7383 §2.3: fragmentation is in use when both requested and answered it.
        sa.isFragmentationNegotiated =
            sa.peer.fragmentation.isAnnounced && message.payloads.hasNotification(.ikev2FragmentationSupported)
        floatIfBehindNAT(&sa, message)
        sendAuthRequest(&sa, responderFirstMessage: bytes, now: now)
    }

    // MARK: Responder

    mutating func handleSAInitRequest(
        _ message: IKEMessage, bytes: [UInt8], from remote: IKEEndpointAddress, to local: IKEEndpointAddress,
        now: IKEInstant
    ) {
        let key = InitiatorKey(initiatorSPI: message.header.initiatorSPI, remote: remote)
        if let spi = responderSAs[key], let sa = sas[spi] {
            // A retransmitted IKE_SA_INIT request: the same answer while half-open
            // (RFC 7296 §2.1), nothing once IKE_AUTH has moved on.
            if case .awaitingAuthRequest(let state) = sa.state {
                transmits.append(IKETransmit(
                    source: local, destination: remote, datagram: ByteBuffer(bytes: state.responderFirstMessage)))
            } else {
                drop(.retransmissionPastSAInit, "IKE_SA_INIT retransmission for an SA past IKE_SA_INIT")
            }
            return
        }
        let offered = message.payloads.proposals
        guard let ke = message.payloads.keyExchange,
            let nonce = message.payloads.nonce
        else { return drop(.missingPayload, "IKE_SA_INIT request without KE or Nonce") }
        // Cookies and half-open limits, before any proposal choice or key exchange work.
        guard admitSAInitRequest(message, initiatorNonce: nonce.data, from: remote, to: local, now: now) else { return }

        // The connections whose addresses include this request's, closest first; the
        // first that accepts a proposal answers (ConnectionSelection; IKE_AUTH chooses again).
        let candidates = ConnectionSelection.byAddress(configuration.peers, local: local.address, remote: remote.address)
        guard !candidates.isEmpty else {
            let refusal = IKERefusal(
                .noMatchingConnection,
                "NO_PROPOSAL_CHOSEN for IKE_SA_INIT: no connection's local_addrs and remote_addrs include "
                    + "\(IPAddressText.format(local.address)) and \(IPAddressText.format(remote.address))")
            events.append(.negotiationRefused(remote: remote, reason: refusal))
            return sendStatelessResponse(to: message, refusal, from: local, to: remote)
        }
        var selected: (PeerConfiguration, Proposal)?
        for peer in candidates {
            if let proposal = ProposalSelection.select(from: offered, templates: peer.proposals, protocolID: .ike) {
                selected = (peer, proposal)
                break
            }
        }
        guard let (peer, chosen) = selected,
            let method = chosen.transforms(ofType: .keyExchangeMethod).first.map({ KeyExchangeMethodID(rawValue: $0.id) })
        else {
            let ours = candidates.flatMap { $0.proposals.map { $0.proposal(number: 1, protocolID: .ike) } }
            let refusal = IKERefusal(
                .noProposalChosen,
                "NO_PROPOSAL_CHOSEN for IKE_SA_INIT: peer offered \(ProposalSelection.describe(offered)); "
                    + "ours: \(ProposalSelection.describe(ours)); "
                    + "add one of the peer's proposals to `proposals`, or ask its operator to offer one of ours")
            events.append(.negotiationRefused(remote: remote, reason: refusal))
            return sendStatelessResponse(to: message, refusal, from: local, to: remote)
        }
        guard ke.method == method else {
            // RFC 7296 §1.3: "If the responder selects a proposal using a different
            // Diffie-Hellman group ..., the responder MUST reject the request and
            // indicate its preferred Diffie-Hellman group in the INVALID_KE_PAYLOAD".
            return sendStatelessResponse(
                to: message,
                .keyExchangeGroupMismatch(wanted: method, "KEi is for \(ke.method), the chosen proposal's is \(method)"),
                from: local, to: remote)
        }
        var sa = IKESA(
            role: .responder, localSPI: makeLocalSPI(), remoteSPI: message.header.initiatorSPI, local: local,
            remote: remote, natTraversalPort: configuration.natTraversalPort, peer: peer,
            state: .awaitingAuthRequest(AwaitingAuthRequestState(initiatorFirstMessage: bytes, responderFirstMessage: [])))
        let responderNonce = random.bytes(Self.nonceLength)
        let answer: (publicValue: [UInt8], sharedSecret: SecretBytes)
        do throws(IKECryptoError) {
            answer = try configuration.provider.keyExchangeMethod(method).respond(to: ke.data, using: &random)
            sa.keys = try deriveKeys(
                &sa, chosen: chosen, sharedSecret: answer.sharedSecret, initiatorNonce: nonce.data,
                responderNonce: responderNonce)
        } catch {
            let refusal = IKERefusal.keyExchangeFailed(error, "IKE_SA_INIT with proposal \(ProposalSelection.describe([chosen]))")
            if refusal.code == .noProposalChosen { events.append(.negotiationRefused(remote: remote, reason: refusal)) }
            return sendStatelessResponse(to: message, refusal, from: local, to: remote)
        }
        var payloads: [IKEPayload] = [
            .securityAssociation(SecurityAssociationPayload(proposals: [chosen])),
            .keyExchange(KeyExchangePayload(method: method, data: answer.publicValue)),
            .nonce(NoncePayload(data: responderNonce)),
        ]
        payloads += natDetectionPayloads(sa, initiatorSPI: sa.remoteSPI, responderSPI: sa.localSPI)
        floatIfBehindNAT(&sa, message)
        // RFC 7383 §2.3: the responder answers the initiator's IKEV2_FRAGMENTATION_SUPPORTED
        // with its own when it supports fragmentation and is willing to use it.
        sa.isFragmentationNegotiated =
            peer.fragmentation.isAnnounced && message.payloads.hasNotification(.ikev2FragmentationSupported)
        if sa.isFragmentationNegotiated {
            payloads.append(.notify(NotifyPayload(type: .ikev2FragmentationSupported)))
        }
        payloads.append(
            .notify(NotifyPayload(type: .signatureHashAlgorithms, data: SignatureHashAlgorithms.cygnetDefault.encoded)))
        // RFC 7296 §1.2: `HDR, SAr1, KEr, Nr, [CERTREQ]` — an initiator that sends its
        // certificate only when asked (strongSwan's default `send_cert = ifasked`) needs it.
        // IKE_AUTH may still choose any candidate, so it names the CAs of them all.
        payloads += certificateRequestPayloads(candidates)
        let response = IKEMessage(
            header: sa.header(exchange: .ikeSAInit, messageID: message.header.messageID, isResponse: true),
            payloads: payloads)
        guard let encoded = try? response.encoded() else { return drop(.localFailure, "could not encode IKE_SA_INIT response") }
        sa.state = .awaitingAuthRequest(
            AwaitingAuthRequestState(initiatorFirstMessage: bytes, responderFirstMessage: Array(encoded.readableBytesView)))
        sa.expectedRequestID = 1
        sa.halfOpenDeadline = now + configuration.halfOpenTimeout
        sa.initialRemote = remote
        transmits.append(IKETransmit(source: local, destination: remote, datagram: encoded))
        responderSAs[key] = sa.localSPI
        events.append(.ikeSAStarted(name: peer.name, localSPI: sa.localSPI, isInitiator: false))
        store(sa)
    }

    /// Answers an IKE_SA_INIT request that did not decode because of an unknown payload
    /// marked critical, without state, as NO_PROPOSAL_CHOSEN is answered; returns whether
    /// `message` was one. RFC 7296 §2.5: "If the critical flag is set and the payload type is
    /// unrecognized, the message MUST be rejected and the response to the IKE request
    /// containing that payload MUST include a Notify payload UNSUPPORTED_CRITICAL_PAYLOAD".
    mutating func refuseUnsupportedCriticalPayload(
        _ message: ByteBuffer, _ error: IKEWireError, from remote: IKEEndpointAddress, to local: IKEEndpointAddress
    ) -> Bool {
        guard error.code == .unsupportedCriticalPayload, let type = error.payloadType,
            let header = try? IKEHeader(parsing: message), header.exchangeType == .ikeSAInit, !header.isResponse,
            header.responderSPI == 0
        else { return false }
        let refusal = IKERefusal.unsupportedCriticalPayload(type, in: "IKE_SA_INIT from \(IPAddressText.format(remote.address))")
        events.append(.negotiationRefused(remote: remote, reason: refusal))
        sendStatelessResponse(to: IKEMessage(header: header, payloads: []), refusal, from: local, to: remote)
        return true
    }

    /// An IKE_SA_INIT answer that refuses the request and creates no state (RFC 7296 §2.21.1).
    mutating func sendStatelessResponse(
        to request: IKEMessage, _ refusal: IKERefusal, from local: IKEEndpointAddress, to remote: IKEEndpointAddress
    ) {
        sendStatelessResponse(to: request, [.notify(refusal.notify)], from: local, to: remote)
    }

    /// An IKE_SA_INIT answer that creates no state (RFC 7296 §2.6, §2.21.1).
    mutating func sendStatelessResponse(
        to request: IKEMessage, _ payloads: [IKEPayload], from local: IKEEndpointAddress, to remote: IKEEndpointAddress
    ) {
        let header = IKEHeader(
            initiatorSPI: request.header.initiatorSPI, responderSPI: 0, exchangeType: .ikeSAInit, flags: .response,
            messageID: request.header.messageID)
        guard let bytes = try? IKEMessage(header: header, payloads: payloads).encoded() else { return }
        transmits.append(IKETransmit(source: local, destination: remote, datagram: bytes))
    }

    // MARK: Shared

    private func deriveKeys(
        _ sa: inout IKESA, chosen: Proposal, sharedSecret: SecretBytes, initiatorNonce: [UInt8], responderNonce: [UInt8]
    ) throws(IKECryptoError) -> IKESAKeys {
        let encryption = chosen.transforms(ofType: .encryptionAlgorithm).first
        let prf = chosen.transforms(ofType: .pseudorandomFunction).first
        let integrity = chosen.transforms(ofType: .integrityAlgorithm).first
        guard let encryption, let prf else { throw IKECryptoError(.unsupportedTransform, "proposal lacks ENCR or PRF") }
        sa.negotiatedTransforms = chosen.transforms
        let schedule = try IKEKeySchedule(
            provider: configuration.provider, prf: PseudorandomFunctionID(rawValue: prf.id),
            encryption: EncryptionAlgorithmID(rawValue: encryption.id), keyBits: encryption.keyLength.map(Int.init),
            integrity: integrity.map { IntegrityAlgorithmID(rawValue: $0.id) })
        let skeyseed = try schedule.skeyseed(
            initiatorNonce: initiatorNonce, responderNonce: responderNonce, sharedSecret: sharedSecret)
        let material = try schedule.keyMaterial(
            skeyseed: skeyseed, initiatorNonce: initiatorNonce, responderNonce: responderNonce,
            initiatorSPI: sa.initiatorSPI, responderSPI: sa.role == .initiator ? sa.remoteSPI : sa.localSPI)
        return try IKESAKeys(
            schedule: schedule, material: material, role: sa.role, initiatorNonce: initiatorNonce,
            responderNonce: responderNonce)
    }

    /// NAT_DETECTION_SOURCE_IP and _DESTINATION_IP of a message we send (RFC 7296 §2.23),
    /// over the SA's addresses (in an UPDATE_SA_ADDRESSES exchange, the new ones, RFC
    /// 4555 §3.5). With `encap = yes` the source hash is over an address and port we
    /// never use, so the peer sees a NAT and both sides move to the NAT-T port.
    func natDetectionPayloads(_ sa: IKESA, initiatorSPI: UInt64, responderSPI: UInt64) -> [IKEPayload] {
        let source = sa.peer.forcesUDPEncapsulation
            ? IKEEndpointAddress(address: [UInt8](repeating: 0, count: sa.local.address.count), port: 0) : sa.local
        return [
            .notify(NotifyPayload(
                type: .natDetectionSourceIP,
                data: NATDetection.hash(initiatorSPI: initiatorSPI, responderSPI: responderSPI, address: source.address, port: source.port))),
            .notify(NotifyPayload(
                type: .natDetectionDestinationIP,
                data: NATDetection.hash(initiatorSPI: initiatorSPI, responderSPI: responderSPI, address: sa.remote.address, port: sa.remote.port))),
        ]
    }

    /// RFC 7296 §2.23: when the peer's NAT_DETECTION hashes do not match the addresses
    /// the message travelled between, a NAT is in the way; the initiator then moves to
    /// port 4500 for everything after IKE_SA_INIT. Either side notes whether its own
    /// address was translated, to send keepalives.
    private func floatIfBehindNAT(_ sa: inout IKESA, _ message: IKEMessage) {
        let spiR: UInt64 = message.header.isResponse ? message.header.responderSPI : 0
        guard noteNATs(&sa, message.notifications, initiatorSPI: message.header.initiatorSPI, responderSPI: spiR) else {
            return
        }
        // RFC 4555 §3.3: "implementations that support both this specification and NAT
        // Traversal MUST change to port 4500 if the correspondent also supports both, even
        // if no NAT was detected between them". Whether the responder supports MOBIKE is
        // known only after IKE_AUTH, so with MOBIKE on the initiator moves as soon as the
        // responder shows NAT-T support, as strongSwan does.
        // As strongSwan does, the peer's port changes only from IKE's own port 500 (or
        // when we leave ours): a peer reached on another port already listens there.
        if sa.isLocalBehindNAT || sa.isRemoteBehindNAT || sa.peer.isMOBIKEEnabled, sa.role == .initiator {
            if sa.remote.port == 500 || sa.local.port != sa.natTraversalPort { sa.remote.port = sa.natTraversalPort }
            sa.local.port = sa.natTraversalPort
        }
    }

    /// Notes from the peer's NAT_DETECTION_*_IP notifications whether either side's
    /// address was translated on the way between `sa.local` and `sa.remote` (RFC 7296
    /// §2.23); `encap = yes` counts as our own NAT. Returns `false`, changing nothing,
    /// when the notifications are missing (the peer does not support NAT-T).
    func noteNATs(_ sa: inout IKESA, _ notifies: [NotifyPayload], initiatorSPI: UInt64, responderSPI: UInt64) -> Bool {
        let sources = notifies.filter { $0.type == .natDetectionSourceIP }.map(\.data)
        let destinations = notifies.filter { $0.type == .natDetectionDestinationIP }.map(\.data)
        guard !sources.isEmpty, !destinations.isEmpty else { return false }
        let peerHash = NATDetection.hash(
            initiatorSPI: initiatorSPI, responderSPI: responderSPI, address: sa.remote.address, port: sa.remote.port)
        let ourHash = NATDetection.hash(
            initiatorSPI: initiatorSPI, responderSPI: responderSPI, address: sa.local.address, port: sa.local.port)
        sa.isLocalBehindNAT = !destinations.contains(ourHash) || sa.peer.forcesUDPEncapsulation
        sa.isRemoteBehindNAT = !sources.contains(peerHash)
        return true
    }
}
