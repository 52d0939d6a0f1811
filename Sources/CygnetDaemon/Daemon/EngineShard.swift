import CygnetHostSupport
import IKECertificates
import IKECore
import IKECrypto
import Logging
import NIOCore

/// One engine on one event loop; the daemon shards SAs across its loops by SPI
/// (``DatagramRouting``). Every member is touched only on ``eventLoop``; the methods
/// below are called there (the daemon hops to the loop first), which is what makes the
/// `@unchecked Sendable` sound.
final class EngineShard: @unchecked Sendable {
    let eventLoop: any EventLoop
    let index: Int
    private var engine: IKEEngine<SystemRandomSource>
    private let endpoints: UDPEndpoints
    /// Where Child SAs go; `nil` with `data_plane = no` (negotiated, carrying nothing).
    private let installer: (any ChildSAInstaller)?
    private let observer: EngineObserver
    /// Where the DNS servers of virtual IPs go (`cygnet { resolv_conf }`), or `nil`.
    private let resolvConf: ResolvConf?
    /// The daemon's reaction to events (``CloseActions``), given the shard's index.
    private let react: @Sendable (IKEEvent, Int) -> Void
    private var completer: EffectCompleter
    private var timer: Scheduled<Void>?
    private var timerDeadline: IKEInstant?
    /// The installed Child SAs by inbound SPI, without their keys (which go to the
    /// installer only), for status.
    private(set) var childSAs: [UInt32: ChildSARecord] = [:]

    init(
        index: Int, eventLoop: any EventLoop, configuration: IKEEngineConfiguration, endpoints: UDPEndpoints,
        installer: (any ChildSAInstaller)?, observer: EngineObserver, completer: EffectCompleter,
        resolvConf: ResolvConf? = nil, react: @escaping @Sendable (IKEEvent, Int) -> Void = { _, _ in }
    ) {
        self.react = react
        self.resolvConf = resolvConf
        self.installer = installer
        self.index = index
        self.eventLoop = eventLoop
        self.engine = IKEEngine(configuration: configuration, random: SystemRandomSource())
        self.endpoints = endpoints
        self.observer = observer
        self.completer = completer
    }

    /// The engine's clock: the host's monotonic uptime (the engine reads no clock).
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

    /// Hands the engine's outputs to this shard (``IKEEngineHost``), in the engine's order:
    /// transmits, the deadline, effects, events.
    private func drain() {
        var host = self
        engine.drain(into: &host)
    }

    func scheduleTimeout(at deadline: IKEInstant?) {
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

    func carryOut(_ effect: IKEEffect) {
        switch effect {
        case .installChildSA(let installation):
            childSAs[installation.inboundSPI] = ChildSARecord(installation)
            installer?.install(installation, engine: index)
        case .removeChildSA(let inboundSPI, _):
            childSAs[inboundSPI] = nil
            installer?.remove(inboundSPI: inboundSPI)
        case .updateChildSA(let update):
            childSAs[update.inboundSPI]?.isUDPEncapsulated = update.isUDPEncapsulated
            installer?.update(update, engine: index)
        case .addVirtualIPs(let assignment):
            // The Child SAs that use a virtual IP put it on the TUN device
            // (`RouteManager`); the observer logs the DNS servers.
            resolvConf?.add(assignment)
        case .removeVirtualIPs(let assignment):
            resolvConf?.remove(assignment)
        case .sign, .validateCertificates, .assignAddresses, .releaseAddresses, .eap:
            // Off the packet path: the answer comes back to this loop.
            completer.complete(effect) { [self] completion in
                eventLoop.execute { self.handleCompletion(completion) }
            }
        }
    }

    // MARK: Child SA usage and NAT keepalives

    private var usageTask: RepeatedTask?
    private var keepaliveTask: RepeatedTask?
    private var keepaliveInterval: Duration?

    /// Starts the usage reports (every second) and the NAT keepalives.
    func startPeriodicTasks(reportsUsage: Bool, keepaliveInterval: Duration?) {
        eventLoop.preconditionInEventLoop()
        if reportsUsage {
            usageTask = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [self] _ in reportUsage() }
        }
        setKeepaliveInterval(keepaliveInterval)
    }

    /// Sends the NAT keepalives every `interval` from now on (`nil`: none).
    func setKeepaliveInterval(_ interval: Duration?) {
        eventLoop.preconditionInEventLoop()
        guard interval != keepaliveInterval else { return }
        keepaliveTask?.cancel()
        keepaliveTask = nil
        keepaliveInterval = interval
        guard let interval else { return }
        let (seconds, attoseconds) = interval.components
        let delay = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        keepaliveTask = eventLoop.scheduleRepeatedTask(initialDelay: delay, delay: delay) { [self] _ in sendKeepalives() }
    }

    /// The counts last reported to the engine, by inbound SPI.
    private var reportedUsage: [UInt32: (bytes: UInt64, packets: UInt64)] = [:]

    /// Tells the engine how much each Child SA of this shard has carried, so it rekeys
    /// or deletes those that crossed `rekey_bytes`/`life_bytes` and the packet limits
    /// (``IKECommand/childSAUsage(localSPI:inboundSPI:bytes:packets:)``). Only counts
    /// that moved are reported. Child SAs whose sequence numbers ran out are rekeyed.
    func reportUsage() {
        eventLoop.preconditionInEventLoop()
        guard let installer else { return }
        let traffic = installer.traffic(engine: index)
        let rekeys = Set(installer.takeRekeyRequests(engine: index))
        guard !traffic.isEmpty || !reportedUsage.isEmpty else { return }
        var reported: [UInt32: (bytes: UInt64, packets: UInt64)] = [:]
        for status in engine.statuses {
            for child in status.children {
                if rekeys.contains(child.inboundSPI) {
                    // RFC 4303 §3.3.3: the sequence number must not cycle; a new SA is needed.
                    try? engine.handleCommand(.rekeyChildSA(localSPI: status.localSPI, inboundSPI: child.inboundSPI), now: Self.now)
                }
                guard let counts = traffic[child.inboundSPI] else { continue }
                let usage = (bytes: max(counts.bytesIn, counts.bytesOut), packets: max(counts.packetsIn, counts.packetsOut))
                reported[child.inboundSPI] = usage
                guard let previous = reportedUsage[child.inboundSPI], previous == usage else {
                    try? engine.handleCommand(
                        .childSAUsage(localSPI: status.localSPI, inboundSPI: child.inboundSPI, bytes: usage.bytes,
                                      packets: usage.packets), now: Self.now)
                    continue
                }
            }
        }
        reportedUsage = reported
        drain()
    }

    /// Sends a NAT keepalive for every established IKE SA on the NAT-T port whose local
    /// address is behind a NAT (RFC 3948 §2.3).
    func sendKeepalives() {
        eventLoop.preconditionInEventLoop()
        for status in engine.statuses where status.phase == .established && status.isLocalBehindNAT && status.isOnNATTraversalPort {
            endpoints.natTraversal.sendKeepalive(from: status.local, to: status.remote)
        }
    }

    func cancelTimer() {
        usageTask?.cancel()
        keepaliveTask?.cancel()
        usageTask = nil
        keepaliveTask = nil
        timer?.cancel()
        timer = nil
        timerDeadline = nil
    }
}

extension EngineShard: IKEEngineHost {
    func send(_ transmit: IKETransmit) { endpoints.send(transmit) }

    func observe(_ event: IKEEvent) {
        if case .ikeSAClosed(_, let localSPI, _, _) = event { completer.eap.end(localSPI: localSPI) }
        observer.observe(event, shard: index)
        react(event, index)
    }
}
