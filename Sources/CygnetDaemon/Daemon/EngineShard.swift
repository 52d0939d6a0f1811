import IKECertificates
import IKECore
import IKECrypto
import Logging
import NIOCore

/// One engine on one event loop (DESIGN.md: "One engine per event loop; SAs are sharded
/// across loops by SPI"). Every member is touched only on ``eventLoop``; the methods
/// below are called there (the daemon hops to the loop first), which is what makes the
/// `@unchecked Sendable` sound.
final class EngineShard: @unchecked Sendable {
    let eventLoop: any EventLoop
    let index: Int
    private var engine: IKEEngine<SystemRandomSource>
    private let endpoints: UDPEndpoints
    private let observer: EngineObserver
    private var completer: EffectCompleter
    private var timer: Scheduled<Void>?
    private var timerDeadline: IKEInstant?
    /// The installed Child SAs by inbound SPI, without their keys (which go to the data
    /// plane only), for status.
    private(set) var childSAs: [UInt32: ChildSARecord] = [:]

    init(
        index: Int, eventLoop: any EventLoop, configuration: IKEEngineConfiguration, endpoints: UDPEndpoints,
        observer: EngineObserver, completer: EffectCompleter
    ) {
        self.index = index
        self.eventLoop = eventLoop
        self.engine = IKEEngine(configuration: configuration, random: SystemRandomSource())
        self.endpoints = endpoints
        self.observer = observer
        self.completer = completer
    }

    /// The engine's clock: the host's monotonic uptime (DESIGN principle 1).
    static var now: IKEInstant { .uptime }

    // MARK: Inputs (on the event loop)

    func handleDatagram(_ datagram: ByteBuffer, from remote: IKEEndpointAddress, to local: IKEEndpointAddress) {
        eventLoop.preconditionInEventLoop()
        engine.handleDatagram(datagram, from: remote, to: local, now: Self.now)
        drain()
    }

    func handleCommand(_ command: IKECommand) throws(IKECoreError) {
        eventLoop.preconditionInEventLoop()
        defer { drain() }
        try engine.handleCommand(command, now: Self.now)
    }

    func handleCompletion(_ completion: IKECompletion) {
        eventLoop.preconditionInEventLoop()
        engine.handleCompletion(completion, now: Self.now)
        drain()
    }

    /// Replaces the connections and secrets (a reload); SAs keep the configuration they
    /// were made with.
    func reconfigure(_ configuration: IKEEngineConfiguration, completer: EffectCompleter) {
        eventLoop.preconditionInEventLoop()
        engine.configuration = configuration
        self.completer = completer
    }

    var statuses: [IKESAStatus] {
        eventLoop.preconditionInEventLoop()
        return engine.statuses
    }

    var halfOpenSACount: Int { engine.halfOpenSACount }

    // MARK: Outputs

    /// Polls the engine in its documented order: transmits, the deadline, effects, events.
    private func drain() {
        while let transmit = engine.pollTransmit() { endpoints.send(transmit) }
        armTimer()
        while let effect = engine.pollEffect() { carryOut(effect) }
        while let event = engine.pollEvent() { observer.observe(event, shard: index) }
    }

    private func armTimer() {
        let deadline = engine.nextDeadline()
        guard deadline != timerDeadline else { return }
        timer?.cancel()
        timerDeadline = deadline
        timer = deadline.map { deadline in
            eventLoop.scheduleTask(deadline: deadline.eventLoopDeadline) { [self] in
                timerDeadline = nil
                timer = nil
                engine.handleTimeout(now: Self.now)
                drain()
            }
        }
    }

    private func carryOut(_ effect: IKEEffect) {
        switch effect {
        case .installChildSA(let installation):
            childSAs[installation.inboundSPI] = ChildSARecord(installation)
        case .removeChildSA(let inboundSPI, _):
            childSAs[inboundSPI] = nil
        case .sign, .validateCertificates:
            // Off the packet path: the answer comes back to this loop.
            completer.complete(effect) { [self] completion in
                eventLoop.execute { self.handleCompletion(completion) }
            }
        }
    }

    func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
    }
}
