import IKEConfig
import IKECrypto
import IKEWire
import NIOCore

/// The IKEv2 protocol engine: every IKE SA of one host, with no I/O of its own.
///
/// Inputs carry the time (`now`); randomness comes from the injected `Random`. Outputs
/// are polled, in this order after each input: ``pollTransmit()`` until `nil`, then
/// ``nextDeadline()``, ``pollEffect()`` and ``pollEvent()``; ``drain(into:)`` does so for
/// an ``IKEEngineHost``.
public struct IKEEngine<Random: RandomSource & Sendable>: Sendable {
    public var configuration: IKEEngineConfiguration
    var random: Random
    var sas: [UInt64: IKESA] = [:]
    /// Responder SAs by the initiator's SPI and address, for their whole life: a
    /// retransmitted IKE_SA_INIT request is answered from the cache while the SA is
    /// half-open (RFC 7296 §2.1) and dropped afterwards, never creating a second SA.
    var responderSAs: [InitiatorKey: UInt64] = [:]
    /// Responder SAs between IKE_SA_INIT and IKE_AUTH, counted as they come and go.
    var halfOpen = HalfOpenCounter()
    /// The secrets of the stateless COOKIE (RFC 7296 §2.6), made when first needed.
    var cookieSecrets = CookieSecrets()
    var transmits: [IKETransmit] = []
    var effects: [IKEEffect] = []
    var events: [IKEEvent] = []
    /// SAs established, or given Child SAs, during the current input: their lifetime
    /// timers are armed when the input ends (``armLifetimes(now:)``).
    var needsLifetimeTimers: Set<UInt64> = []
    /// Inbound Child SA SPIs in use by any SA (``IKESA/childSPIsInUse``), counted, kept
    /// by ``store(_:)``.
    var childSPIs: [UInt32: Int] = [:]
    /// Each SA's earliest deadline (``IKESA/nextDeadline``), kept by ``store(_:)``.
    var deadlines = DeadlineQueue()
    /// The live IKE SAs of each connection and authenticated peer identity, kept by
    /// ``store(_:)``, for INITIAL_CONTACT and the uniqueness policy.
    var sasByPeerIdentity: [PeerIdentityKey: Set<UInt64>] = [:]
    /// The IKE SAs with each remote address (port aside), kept by ``store(_:)``.
    var sasByRemoteAddress: [[UInt8]: Set<UInt64>] = [:]
    /// The host's usable local addresses (``IKECommand/setLocalAddresses(_:)``).
    var localAddresses: [[UInt8]] = []

    struct PeerIdentityKey: Hashable, Sendable {
        var connection: String
        var identity: IKEIdentity
    }

    struct InitiatorKey: Hashable, Sendable {
        var initiatorSPI: UInt64
        var remote: IKEEndpointAddress
    }

    public init(configuration: IKEEngineConfiguration, random: Random) {
        self.configuration = configuration
        self.random = random
    }

    // MARK: Outputs

    public mutating func pollTransmit() -> IKETransmit? { transmits.isEmpty ? nil : transmits.removeFirst() }
    public mutating func pollEffect() -> IKEEffect? { effects.isEmpty ? nil : effects.removeFirst() }
    public mutating func pollEvent() -> IKEEvent? { events.isEmpty ? nil : events.removeFirst() }

    /// The earliest time ``handleTimeout(now:)`` has work to do.
    public func nextDeadline() -> IKEInstant? { deadlines.earliest }

    /// The number of responder IKE SAs waiting for IKE_AUTH (half-open).
    public var halfOpenSACount: Int { halfOpen.total }

    /// Local SPIs of the IKE SAs that are established.
    public var establishedSPIs: [UInt64] {
        sas.values.filter { if case .established = $0.state { true } else { false } }.map(\.localSPI).sorted()
    }

    /// The number of IKE SAs in any state.
    public var ikeSACount: Int { sas.count }

    /// Every IKE SA with its Child SAs, by local SPI.
    public var statuses: [IKESAStatus] {
        sas.keys.sorted().compactMap { sas[$0]?.status }
    }

    // MARK: Inputs

    public mutating func handleCommand(_ command: IKECommand, now: IKEInstant) throws(IKECoreError) {
        defer { armLifetimes(now: now) }
        switch command {
        case .initiate(let name, let local, let remote, let childNames):
            guard let peer = configuration.peer(named: name) else {
                throw IKECoreError(.unknownName, "no connection named '\(name)'")
            }
            var children = peer.children
            if let childNames {
                children = []
                for childName in childNames {
                    guard let child = peer.children.first(where: { $0.name == childName }) else {
                        throw IKECoreError(.unknownName, "connection '\(name)' has no child named '\(childName)'")
                    }
                    children.append(child)
                }
            }
            try initiate(peer: peer, local: local, remote: remote, children: children, now: now)
        case .delete(let spi):
            guard var sa = sas[spi] else { throw IKECoreError(.unknownName, "no IKE SA with SPI \(HexText.string(spi))") }
            try startDelete(&sa, now: now)
            store(sa)
        case .checkLiveness(let spi):
            guard var sa = sas[spi] else { throw IKECoreError(.unknownName, "no IKE SA with SPI \(HexText.string(spi))") }
            try startLivenessCheck(&sa, now: now)
            store(sa)
        case .createChildSA(let spi, let name):
            guard var sa = sas[spi] else { throw IKECoreError(.unknownName, "no IKE SA with SPI \(HexText.string(spi))") }
            guard let config = sa.peer.children.first(where: { $0.name == name }) else {
                throw IKECoreError(.unknownName, "connection '\(sa.peer.name)' has no child named '\(name)'")
            }
            try startCreateChildSA(&sa, config: config, rekeying: nil, now: now)
            store(sa)
        case .rekeyChildSA(let spi, let inboundSPI):
            guard var sa = sas[spi] else { throw IKECoreError(.unknownName, "no IKE SA with SPI \(HexText.string(spi))") }
            guard case .established(let state) = sa.state,
                let child = state.children.first(where: { $0.inboundSPI == inboundSPI }),
                let config = sa.peer.children.first(where: { $0.name == child.name })
            else { throw IKECoreError(.unknownName, "no Child SA with inbound SPI \(HexText.string(inboundSPI))") }
            try startCreateChildSA(&sa, config: config, rekeying: child, now: now)
            store(sa)
        case .deleteChildSA(let spi, let inboundSPI):
            guard var sa = sas[spi] else { throw IKECoreError(.unknownName, "no IKE SA with SPI \(HexText.string(spi))") }
            try startDeleteChildSA(&sa, inboundSPI: inboundSPI, now: now)
            store(sa)
        case .rekeyIKESA(let spi):
            guard var sa = sas[spi] else { throw IKECoreError(.unknownName, "no IKE SA with SPI \(HexText.string(spi))") }
            try startIKERekey(&sa, now: now)
            store(sa)
        case .reportInvalidSPI(let spi, let remote):
            reportInvalidSPI(spi, remote: remote, now: now)
        case .childSAUsage(let spi, let inboundSPI, let bytes, let packets):
            guard var sa = sas[spi] else { throw IKECoreError(.unknownName, "no IKE SA with SPI \(HexText.string(spi))") }
            defer { store(sa) }
            try handleChildSAUsage(&sa, inboundSPI: inboundSPI, bytes: bytes, packets: packets, now: now)
        case .setLocalAddresses(let addresses):
            localAddresses = addresses
            announceChangedAddresses(now: now)
        case .updateLocalAddress(let spi, let address):
            guard var sa = sas[spi] else { throw IKECoreError(.unknownName, "no IKE SA with SPI \(HexText.string(spi))") }
            updateLocalAddress(&sa, to: address, now: now)
            store(sa)
        }
    }

    public mutating func handleTimeout(now: IKEInstant) {
        defer { armLifetimes(now: now) }
        for spi in deadlines.due(at: now) {
            guard var sa = sas[spi] else { continue }
            if let deadline = sa.lifetimeDeadline, deadline <= now {
                handleLifetimes(&sa, now: now)
                store(sa)
                if sa.state.isClosed { continue }
            }
            if let deadline = sa.completionDeadline, deadline <= now {
                close(
                    &sa,
                    IKECloseReason(
                        .completionTimeout,
                        "the host did not sign, validate certificates, lease addresses or answer EAP within "
                            + "\(configuration.completionTimeout); check the key store, the certificate validation, "
                            + "the pools and the EAP backend of connection '\(sa.peer.name)'"))
                store(sa)
                continue
            }
            if let deadline = sa.halfOpenDeadline, deadline <= now {
                close(&sa, IKECloseReason(.halfOpenTimeout, "IKE_AUTH never arrived or never finished its EAP rounds; half-open SA dropped"))
                store(sa)
                continue
            }
            if let deadline = sa.livenessDeadline, deadline <= now {
                // RFC 7296 §2.4: nothing heard from the peer for `livenessCheckInterval`
                // (dpd_delay): an empty INFORMATIONAL request; its retransmissions give
                // up with `peerUnreachable` like any other request.
                do {
                    try startLivenessCheck(&sa, now: now)
                } catch {
                    close(&sa, IKECloseReason(.protocolError, "could not send the liveness check: \(error)"))
                }
                store(sa)
                continue
            }
            retransmitIfDue(&sa, now: now)
            store(sa)
        }
    }

    /// Handles one IKE message that arrived in a UDP datagram on `local` from `remote`.
    ///
    /// `message` is the IKE message alone: on the NAT-T port
    /// (``IKEEngineConfiguration/natTraversalPort``) the host's socket has sorted out ESP
    /// and NAT-keepalives and removed the non-ESP marker (RFC 3948 §2.2), as it adds the
    /// marker to what the engine sends from that port (``IKETransmit``).
    public mutating func handleDatagram(
        _ message: ByteBuffer, from remote: IKEEndpointAddress, to local: IKEEndpointAddress, now: IKEInstant
    ) {
        defer { armLifetimes(now: now) }
        let decoded: IKEMessage
        do {
            decoded = try IKEMessage(decoding: message)
        } catch {
            if refuseUnsupportedCriticalPayload(message, error, from: remote, to: local) { return }
            // RFC 7296 §2.21.1: nothing is sent for a message that cannot be parsed;
            // an unauthenticated answer would only help an attacker.
            return drop(.malformedMessage, "malformed message from \(remote): \(error)")
        }
        let header = decoded.header
        guard let rules = IKEMessageRules.rules(for: header.exchangeType, isResponse: header.isResponse) else {
            return drop(.unsupportedExchange, "unknown exchange type \(header.exchangeType)")
        }
        do {
            try rules.check(decoded)
        } catch {
            return drop(.payloadRulesBroken, "\(header.exchangeType) breaks the payload rules: \(error)")
        }
        if header.exchangeType == .ikeSAInit, !header.isResponse {
            return handleSAInitRequest(decoded, bytes: Array(message.readableBytesView), from: remote, to: local, now: now)
        }
        // The I flag says who sent it: the original initiator's messages name our SPI as
        // the responder SPI (RFC 7296 §3.1).
        let localSPI = header.isInitiator ? header.responderSPI : header.initiatorSPI
        guard var sa = sas[localSPI], !sa.state.isClosed else {
            return drop(.noIKESA, "no IKE SA for SPI \(HexText.string(localSPI)) (\(header.exchangeType))")
        }
        if header.isResponse {
            handleResponse(&sa, decoded, bytes: message, from: remote, to: local, now: now)
        } else {
            handleRequest(&sa, decoded, bytes: message, from: remote, to: local, now: now)
        }
        store(sa)
    }

    // MARK: Bookkeeping

    mutating func store(_ sa: IKESA) {
        // Half-open accounting: compare with the stored value, so every path that
        // establishes, closes or times out an SA keeps the counts right.
        let previous = sas[sa.localSPI]
        let wasHalfOpen = previous?.isHalfOpen ?? false
        let (released, taken) = (previous?.childSPIsInUse ?? [], sa.childSPIsInUse)
        if released != taken {
            for spi in released {
                childSPIs[spi, default: 0] -= 1
                if childSPIs[spi] == 0 { childSPIs[spi] = nil }
            }
            for spi in taken { childSPIs[spi, default: 0] += 1 }
        }
        if let address = sa.initialRemote?.address, wasHalfOpen != sa.isHalfOpen {
            if sa.isHalfOpen { halfOpen.add(address) } else { halfOpen.remove(address) }
        }
        deadlines.schedule(sa.localSPI, at: sa.state.isClosed ? nil : sa.nextDeadline)
        let identityKey = sa.remoteIdentity.map { PeerIdentityKey(connection: sa.peer.name, identity: $0) }
        let previousKey = previous.flatMap { old in
            old.remoteIdentity.map { PeerIdentityKey(connection: old.peer.name, identity: $0) }
        }
        if let previousKey, previousKey != identityKey || sa.state.isClosed {
            sasByPeerIdentity[previousKey]?.remove(sa.localSPI)
            if sasByPeerIdentity[previousKey]?.isEmpty == true { sasByPeerIdentity[previousKey] = nil }
        }
        if let identityKey, !sa.state.isClosed { sasByPeerIdentity[identityKey, default: []].insert(sa.localSPI) }
        if let previous, previous.remote.address != sa.remote.address || sa.state.isClosed {
            sasByRemoteAddress[previous.remote.address]?.remove(sa.localSPI)
            if sasByRemoteAddress[previous.remote.address]?.isEmpty == true { sasByRemoteAddress[previous.remote.address] = nil }
        }
        if !sa.state.isClosed { sasByRemoteAddress[sa.remote.address, default: []].insert(sa.localSPI) }
        if case .closed = sa.state {
            sas[sa.localSPI] = nil
            if let initialRemote = sa.initialRemote {
                let key = InitiatorKey(initiatorSPI: sa.remoteSPI, remote: initialRemote)
                if responderSAs[key] == sa.localSPI { responderSAs[key] = nil }
            }
        } else {
            sas[sa.localSPI] = sa
            if sa.needsLifetimeTimers { needsLifetimeTimers.insert(sa.localSPI) }
        }
    }

    /// Closes `sa`: removes its Child SAs from the data plane and reports why.
    mutating func close(_ sa: inout IKESA, _ reason: IKECloseReason) {
        releaseVirtualIPs(&sa)
        if case .established(let state) = sa.state {
            for child in state.children {
                effects.append(.removeChildSA(inboundSPI: child.inboundSPI, outboundSPI: child.outboundSPI))
            }
        }
        let wasEstablished = sa.state.isEstablished
        sa.state = .closed(reason)
        sa.outstanding = nil
        sa.completionDeadline = nil
        events.append(.ikeSAClosed(name: sa.peer.name, localSPI: sa.localSPI, reason: reason, wasEstablished: wasEstablished))
    }

    mutating func drop(_ code: IKEDropReason.Code, _ text: String) {
        events.append(.datagramDropped(IKEDropReason(code, text)))
    }

    mutating func drop(_ reason: IKEDropReason) {
        events.append(.datagramDropped(reason))
    }

    /// A fresh non-zero SPI no other SA uses.
    mutating func makeLocalSPI() -> UInt64 {
        while true {
            let bytes = random.bytes(8)
            let spi = bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if spi != 0, sas[spi] == nil, configuration.spiShard.contains(spi) { return spi }
        }
    }

    /// A fresh inbound Child SA SPI no SA of this engine holds or has offered.
    mutating func makeChildSPI() -> UInt32 {
        while true {
            let spi = UInt32(bytes: random.bytes(4))
            // RFC 4303 §2.1: SPIs 1–255 are reserved by IANA; 0 is never used.
            if spi > 255, childSPIs[spi] == nil, configuration.spiShard.contains(UInt64(spi)) { return spi }
        }
    }
}
