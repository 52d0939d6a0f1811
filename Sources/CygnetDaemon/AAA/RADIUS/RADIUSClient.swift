import CygnetHostSupport
import IKEConfig
import IKECore
import IKECrypto
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A RADIUS client (RFC 2865) on SwiftNIO UDP sockets: it sends Access-Requests to the
/// servers of `cygnet { eap-radius { } }`, retransmits with backoff, fails over to the
/// next server, and hands back the first authentic answer.
///
/// - Each request gets an Identifier of its own among the outstanding requests to its
///   server and a fresh random Request Authenticator; a retransmission repeats both (RFC
///   5080 §2.2.1), a failover draws new ones and signs for the new server.
/// - A server is sent a request `retransmit_tries` times, waiting `retransmit_timeout`
///   and then each time `retransmit_base` times longer; then the next candidate is tried;
///   after the last one the exchange throws ``RADIUSError/Code-swift.struct/serversUnreachable``.
/// - Candidates are the servers by `preference` (highest first, then in file order),
///   with those that failed their last request after the others. A request that
///   continues a conversation goes to the server that holds its State only.
/// - An answer counts only when it comes from the server's address and port, answers
///   an outstanding Identifier, and its Response Authenticator and Message-Authenticator
///   verify (``RADIUSPacket/verifyAnswer(requestAuthenticator:secret:)``). Anything else
///   is dropped silently and counted in ``statistics`` by ``RADIUSPacketError`` code.
public final class RADIUSClient: Sendable {
    /// An authentic answer and what it answers.
    public struct ReceivedAnswer: Sendable {
        public var packet: RADIUSPacket
        /// The Request Authenticator of the request it answers, which MS-MPPE keys are
        /// encrypted with.
        public var requestAuthenticator: [UInt8]
        public var server: EAPRADIUSSettings.Server
    }

    private let servers: [EAPRADIUSSettings.Server]
    private let channels: [Bool: any Channel]
    /// Every change happens on this loop: sends, timers and answers, so they never interleave.
    private let eventLoop: any EventLoop
    private let state: Mutex<RADIUSClientState>
    private let logger: Logger

    /// Opens one unbound-port UDP socket per address family the servers use.
    ///
    /// - Parameter random: the source of Request Authenticators (RFC 2865 §3: "SHOULD
    ///   exhibit global and temporal uniqueness"); the system's by default.
    public static func start(
        settings: EAPRADIUSSettings, group: any EventLoopGroup, random: any RandomSource & Sendable = SystemRandomSource(),
        logger: Logger = Logger(label: "cygnet.radius")
    ) async throws(RADIUSError) -> RADIUSClient {
        let eventLoop = group.next()
        let box = Mutex<RADIUSClient?>(nil)
        var channels: [Bool: any Channel] = [:]
        do {
            for isIPv6 in Set(settings.servers.map { $0.address.count == 16 }).sorted(by: { !$0 && $1 }) {
                channels[isIPv6] = try await DatagramBootstrap(group: eventLoop)
                    .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(RADIUSAnswerHandler { source, bytes in
                                box.withLock { $0 }?.handleDatagram(bytes, from: source)
                            })
                        }
                    }
                    .bind(host: isIPv6 ? "::" : "0.0.0.0", port: 0).get()
            }
        } catch {
            for channel in channels.values { try? await channel.close() }
            throw RADIUSError(.socketFailed, "cannot open a UDP socket for RADIUS: \(error)")
        }
        let client = RADIUSClient(settings: settings, channels: channels, eventLoop: eventLoop, random: random, logger: logger)
        box.withLock { $0 = client }
        return client
    }

    private init(
        settings: EAPRADIUSSettings, channels: [Bool: any Channel], eventLoop: any EventLoop, random: any RandomSource & Sendable,
        logger: Logger
    ) {
        servers = settings.servers
        self.channels = channels
        self.logger = logger
        self.eventLoop = eventLoop
        state = Mutex(RADIUSClientState(serverCount: settings.servers.count, random: random))
    }

    /// What the client counted so far.
    public var statistics: RADIUSClientStatistics { state.withLock { $0.statistics } }

    /// Sends an Access-Request with `attributes` (Cygnet adds the NAS-Identifier of the
    /// server and the Message-Authenticator) and waits for the answer.
    ///
    /// - Parameter server: the name of the server that holds the conversation, whose
    ///   State the attributes echo; `nil` to choose among all servers.
    public func send(_ attributes: [RADIUSAttribute], to server: String? = nil) async throws(RADIUSError) -> ReceivedAnswer {
        let candidates: [Int]
        if let server {
            guard let index = servers.firstIndex(where: { $0.name == server }) else {
                throw RADIUSError(.unknownServer, "RADIUS server '\(server)' is no longer configured")
            }
            candidates = [index]
        } else {
            candidates = state.withLock { $0.candidates(servers) }
        }
        let promise = eventLoop.makePromise(of: ReceivedAnswer.self)
        eventLoop.execute { self.transmit(PendingRADIUSRequest(attributes: attributes, candidates: candidates, promise: promise), failing: nil) }
        do {
            return try await promise.futureResult.get()
        } catch let error as RADIUSError {
            throw error
        } catch {
            throw RADIUSError(.socketFailed, "RADIUS exchange failed: \(error)")
        }
    }

    /// Closes the sockets; outstanding exchanges throw ``RADIUSError/Code-swift.struct/socketFailed``.
    public func close() async {
        try? await eventLoop.submit {
            for request in self.state.withLock({ $0.removeAll() }) {
                request.timer?.cancel()
                request.promise.fail(RADIUSError(.socketFailed, "the RADIUS client was closed"))
            }
        }.get()
        for channel in channels.values { try? await channel.close() }
    }

    // MARK: - Sending

    /// Sends `request` to its next candidate server, or fails it when none is left.
    private func transmit(_ request: PendingRADIUSRequest, failing failedServer: Int?) {
        var request = request
        guard let server = request.candidates.first else {
            let names = request.tried.map { servers[$0].name }.joined(separator: ", ")
            logger.warning("RADIUS server(s) unreachable", metadata: ["servers": "\(names)"])
            request.promise.fail(RADIUSError(.serversUnreachable, "RADIUS server(s) unreachable: \(names) did not answer"))
            return
        }
        request.candidates.removeFirst()
        request.tried.append(server)
        request.attempt = 0
        request.server = server
        let settings = servers[server]
        let stored = state.withLock { state in
            if failedServer != nil { state.statistics.failovers += 1 }
            return state.store(request)
        }
        guard var request = stored else {
            request.promise.fail(RADIUSError(.tooManyOutstanding, "256 requests to RADIUS server '\(settings.name)' are outstanding"))
            return
        }
        let attributes = request.attributes.filter { $0.type != .nasIdentifier } + [RADIUSAttribute(.nasIdentifier, text: settings.nasIdentifier)]
        do {
            request.bytes = try RADIUSPacket.signedAccessRequest(
                identifier: request.identifier, requestAuthenticator: request.requestAuthenticator, attributes: attributes,
                secret: settings.secret)
        } catch {
            state.withLock { _ = $0.remove(server: server, identifier: request.identifier) }
            request.promise.fail(RADIUSError(.invalidRequest, "the Access-Request cannot be encoded: \(error)"))
            return
        }
        if let failedServer {
            logger.notice("RADIUS server unreachable, failing over", metadata: ["from": "\(servers[failedServer].name)", "to": "\(settings.name)"])
        }
        sendAndArm(request)
    }

    /// Sends the request's bytes and arms the timer of its current attempt.
    private func sendAndArm(_ request: PendingRADIUSRequest) {
        var request = request
        let settings = servers[request.server]
        let (seconds, attoseconds) = settings.retransmitTimeout.components
        var wait = Double(seconds) + Double(attoseconds) / 1e18
        for _ in 0..<request.attempt { wait *= settings.retransmitBase }
        let key = RADIUSRequestKey(server: request.server, identifier: request.identifier)
        request.timer = eventLoop.scheduleTask(in: .nanoseconds(Int64(min(wait, 1e6) * 1e9))) { [weak self] in
            self?.handleTimeout(key)
        }
        state.withLock { $0.pending[key] = request }
        if let channel = channels[settings.address.count == 16], let destination = try? SocketAddress(IKEEndpointAddress(address: settings.address, port: settings.authPort)) {
            // A failed send is a lost datagram: the timer retransmits.
            channel.writeAndFlush(AddressedEnvelope(remoteAddress: destination, data: ByteBuffer(bytes: request.bytes)), promise: nil)
        }
    }

    private func handleTimeout(_ key: RADIUSRequestKey) {
        guard var request = state.withLock({ $0.pending[key] }) else { return }
        request.attempt += 1
        if request.attempt < servers[key.server].retransmitTries {
            state.withLock { $0.statistics.retransmissions += 1 }
            logger.info(
                "retransmitting RADIUS Access-Request",
                metadata: ["server": "\(servers[key.server].name)", "attempt": "\(request.attempt + 1)"])
            sendAndArm(request)
            return
        }
        state.withLock {
            _ = $0.remove(server: key.server, identifier: key.identifier)
            $0.unreachable.insert(key.server)
        }
        transmit(request, failing: key.server)
    }

    // MARK: - Receiving

    private func handleDatagram(_ bytes: [UInt8], from source: SocketAddress) {
        let endpoint = source.ikeEndpoint
        let matching = servers.indices.filter {
            endpoint?.address == servers[$0].address && endpoint?.port == servers[$0].authPort
        }
        guard !matching.isEmpty else { return drop(RADIUSPacketError(.unexpectedSource, "a datagram from \(source), no RADIUS server")) }
        let packet: RADIUSPacket
        do {
            packet = try RADIUSPacket(decoding: bytes)
        } catch {
            return drop(error)
        }
        let found = state.withLock { state in
            matching.compactMap { state.pending[RADIUSRequestKey(server: $0, identifier: packet.identifier)] }.first
        }
        guard let request = found else {
            return drop(RADIUSPacketError(.unmatchedIdentifier, "\(packet.code) \(packet.identifier) answers no outstanding request"))
        }
        let server = servers[request.server]
        do {
            try packet.verifyAnswer(requestAuthenticator: request.requestAuthenticator, secret: server.secret)
        } catch {
            return drop(error)
        }
        let removed = state.withLock { state in
            let removed = state.remove(server: request.server, identifier: request.identifier)
            if removed != nil {
                state.statistics.answers += 1
                state.unreachable.remove(request.server)
            }
            return removed
        }
        guard let removed else { return }
        removed.timer?.cancel()
        removed.promise.succeed(ReceivedAnswer(packet: packet, requestAuthenticator: removed.requestAuthenticator, server: server))
    }

    private func drop(_ error: RADIUSPacketError) {
        state.withLock { $0.statistics.dropped[error.code, default: 0] += 1 }
        logger.debug("RADIUS answer dropped", metadata: ["reason": "\(error.code)", "detail": "\(error)"])
    }
}

/// What a ``RADIUSClient`` counted.
public struct RADIUSClientStatistics: Sendable, Hashable {
    /// Authentic answers received.
    public var answers = 0
    /// Requests sent again to the same server after a timeout.
    public var retransmissions = 0
    /// Requests moved to the next server after `retransmit_tries` sends.
    public var failovers = 0
    /// Datagrams dropped, by cause.
    public var dropped: [RADIUSPacketError.Code: Int] = [:]
}

/// Receives datagrams on a client socket.
private final class RADIUSAnswerHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let deliver: @Sendable (SocketAddress, [UInt8]) -> Void

    init(deliver: @escaping @Sendable (SocketAddress, [UInt8]) -> Void) {
        self.deliver = deliver
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        deliver(envelope.remoteAddress, Array(envelope.data.readableBytesView))
    }
}
