import CygnetHostSupport
import IKECore
import IKEWire
import NIOCore
import NIOPosix

/// The demo's two peers on one event loop, each on its own UDP socket bound to an
/// ephemeral port of 127.0.0.1, and the machinery to run one step at a time: do
/// something, then wait — never longer than the step's time limit — until a condition on
/// both peers holds.
///
/// Every member is touched only on ``eventLoop`` (datagrams, timers and steps all run
/// there), which is what makes the `@unchecked Sendable` sound.
final class DemoSession: @unchecked Sendable {
    let eventLoop: any EventLoop
    /// How long one step may take.
    let stepTimeout: TimeAmount
    /// The initiator, then the responder; empty until ``start(_:)`` bound the sockets.
    private var peers: [DemoPeer] = []
    private var timers: [Int: (deadline: IKEInstant, task: Scheduled<Void>)] = [:]
    private var waiter: Waiter?

    private struct Waiter {
        var step: String
        var expectation: String
        var started: NIODeadline
        var condition: @Sendable (DemoSession) throws(DemoError) -> Bool
        var promise: EventLoopPromise<TimeAmount>
        var timeout: Scheduled<Void>?
    }

    init(eventLoop: any EventLoop, stepTimeout: TimeAmount) {
        self.eventLoop = eventLoop
        self.stepTimeout = stepTimeout
    }

    /// Which of the two peers.
    enum Side: String, Sendable, CustomStringConvertible {
        /// The peer that sends IKE_SA_INIT and every command of the demo.
        case initiator
        case responder

        var description: String { rawValue }
    }

    /// The peers; only valid after ``start(_:)``.
    func peer(_ side: Side) -> DemoPeer { peers[side == .initiator ? 0 : 1] }
    var initiator: DemoPeer { peer(.initiator) }
    var responder: DemoPeer { peer(.responder) }

    // MARK: Setup and teardown

    /// Binds the two sockets and makes the engines, each with its socket's port as its
    /// NAT-T port.
    func start(_ pair: PSKPeerPair) async throws(DemoError) {
        var channels: [any Channel] = []
        do {
            for index in 0..<2 {
                channels.append(try await bind(index: index))
            }
        } catch {
            for channel in channels { try? await channel.close() }
            throw DemoError(.socket, step: "setup", "cannot bind a UDP socket on 127.0.0.1: \(error)")
        }
        let bound = channels
        let addresses = bound.compactMap { $0.localAddress?.ikeEndpoint }
        guard addresses.count == 2 else {
            for channel in channels { try? await channel.close() }
            throw DemoError(.socket, step: "setup", "the bound sockets have no IPv4 address")
        }
        do {
            try await eventLoop.submit { [self] in
                peers = [
                    DemoPeer(side: .initiator, address: addresses[0], channel: bound[0], configuration: pair.initiator),
                    DemoPeer(side: .responder, address: addresses[1], channel: bound[1], configuration: pair.responder),
                ]
            }.get()
        } catch {
            for channel in bound { try? await channel.close() }
            throw DemoError(.socket, step: "setup", "the event loop stopped: \(error)")
        }
    }

    private func bind(index: Int) async throws -> any Channel {
        try await DatagramBootstrap(group: eventLoop)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DemoDatagramHandler(session: self, index: index))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    /// Cancels the timers and closes both sockets.
    func close() async {
        let channels: [any Channel] = (try? await eventLoop.submit { [self] in
            for timer in timers.values { timer.task.cancel() }
            timers.removeAll()
            if let step = waiter?.step {
                finish(.failure(DemoError(.unexpectedState, step: step, "the demo closed before the step completed")))
            }
            return peers.map(\.channel)
        }.get()) ?? []
        for channel in channels { try? await channel.close() }
    }

    // MARK: Inputs

    /// A datagram arrived on peer `index`'s socket (on the event loop).
    func handleDatagram(_ datagram: ByteBuffer, from remote: IKEEndpointAddress, peer index: Int) {
        eventLoop.assertInEventLoop()
        guard peers.indices.contains(index) else { return }
        peers[index].handleDatagram(datagram, from: remote)
        afterInput()
    }

    /// Gives `command` to `peer`'s engine; for a step's action.
    func command(_ command: IKECommand, on peer: DemoPeer) throws(DemoError) {
        do {
            try peer.handleCommand(command)
        } catch {
            throw DemoError(.commandRefused, step: waiter?.step ?? "command", "\(peer.side) refused \(command): \(error)")
        }
    }

    /// After any input: re-arm the engines' timers, then see whether the step is done.
    private func afterInput() {
        for index in peers.indices { armTimer(index) }
        check()
    }

    private func armTimer(_ index: Int) {
        let deadline = peers[index].deadline
        guard deadline != timers[index]?.deadline else { return }
        timers[index]?.task.cancel()
        timers[index] = deadline.map { deadline in
            let task = eventLoop.scheduleTask(deadline: deadline.eventLoopDeadline) { [self] in
                timers[index] = nil
                peers[index].handleTimeout()
                afterInput()
            }
            return (deadline, task)
        }
    }

    // MARK: Steps

    /// Runs `action` on the loop, then waits until `condition` holds (checked after every
    /// datagram and timer), at most ``stepTimeout``.
    ///
    /// - Returns: the time from the action to the condition holding.
    /// - Throws: what the action or condition throws, a peer's unexpected failure (an
    ///   IKE SA closed, a packet that did not verify), or ``DemoError/Code/timeout``.
    @discardableResult
    func step(
        _ name: String, waitingFor expectation: String,
        action: @escaping @Sendable (DemoSession) throws(DemoError) -> Void,
        until condition: @escaping @Sendable (DemoSession) throws(DemoError) -> Bool
    ) async throws(DemoError) -> TimeAmount {
        let future = eventLoop.flatSubmit { [self] () -> EventLoopFuture<TimeAmount> in
            let promise = eventLoop.makePromise(of: TimeAmount.self)
            waiter = Waiter(
                step: name, expectation: expectation, started: .now(), condition: condition, promise: promise)
            waiter?.timeout = eventLoop.scheduleTask(in: stepTimeout) { [self] in timedOut() }
            do throws(DemoError) {
                try action(self)
            } catch {
                var error = error
                error.step = name
                finish(.failure(error))
                return promise.futureResult
            }
            afterInput()
            return promise.futureResult
        }
        do {
            return try await future.get()
        } catch let error as DemoError {
            throw error
        } catch {
            throw DemoError(.unexpectedState, step: name, "\(error)")
        }
    }

    /// Reads the peers' state on the loop.
    func read<Value: Sendable>(
        _ step: String, _ body: @escaping @Sendable (DemoSession) throws(DemoError) -> Value
    ) async throws(DemoError) -> Value {
        do {
            return try await eventLoop.submit { [self] in try body(self) }.get()
        } catch let error as DemoError {
            throw error
        } catch {
            throw DemoError(.unexpectedState, step: step, "\(error)")
        }
    }

    private func check() {
        guard let waiter else { return }
        if let failure = peers.lazy.compactMap(\.failure).first {
            return finish(.failure(DemoError(failure.code, step: waiter.step, failure.text)))
        }
        do {
            if try waiter.condition(self) { finish(.success(.now() - waiter.started)) }
        } catch {
            var error = error
            error.step = waiter.step
            finish(.failure(error))
        }
    }

    private func timedOut() {
        guard let waiter else { return }
        var detail = "no \(waiter.expectation) within \(Self.seconds(stepTimeout))"
        let retransmissions = peers.map(\.retransmissions).reduce(0, +)
        if retransmissions > 0 { detail += "; \(retransmissions) IKE retransmissions" }
        for peer in peers {
            if let drop = peer.lastEngineDrop { detail += "; \(peer.side)'s last dropped datagram: \(drop)" }
        }
        finish(.failure(DemoError(.timeout, step: waiter.step, detail)))
    }

    private func finish(_ result: Result<TimeAmount, DemoError>) {
        guard let waiter else { return }
        self.waiter = nil
        waiter.timeout?.cancel()
        waiter.promise.completeWith(result.mapError { $0 as any Error })
    }

    private static func seconds(_ amount: TimeAmount) -> String {
        let milliseconds = amount.nanoseconds / 1_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(Double(milliseconds) / 1000) s"
    }
}

/// Hands what one demo socket receives to the session.
private final class DemoDatagramHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let session: DemoSession
    let index: Int

    init(session: DemoSession, index: Int) {
        self.session = session
        self.index = index
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let remote = envelope.remoteAddress.ikeEndpoint else { return }
        session.handleDatagram(envelope.data, from: remote, peer: index)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP errors (ECONNREFUSED after a socket closed) surface here; a step that
        // needs the datagram times out with its own message.
    }
}
