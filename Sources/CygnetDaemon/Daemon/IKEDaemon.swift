import CygnetHostSupport
import IKECertificates
import IKEConfig
import IKECore
import IKEWire
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The running daemon: UDP sockets, one engine per event loop, effects carried out off
/// the packet path, logs and metrics. `cygnetd` builds one from the configuration file;
/// the control socket and tests drive it through this API.
public final class IKEDaemon: Sendable {
    let group: MultiThreadedEventLoopGroup
    let threadPool: NIOThreadPool
    let shards: [EngineShard]
    let endpoints: UDPEndpoints
    let observer: EngineObserver
    /// The address pools and their leases, shared by every engine.
    let pools: AddressPools
    /// The EAP conversations of every shard (``EAPBackend``) and the RADIUS client it forwards to.
    let eap: EAPBackend
    private let radiusClient: RADIUSClient?
    /// Lines of the daemon's life (`dmn`), of configuration changes (`cfg`) and of
    /// connections it starts (`ike`).
    let logger: Logger
    private let logConfiguration: Logger
    private let logIKE: Logger
    /// The levels of `cygnet { log }` that cygnetd's log handler reads; `nil` when the
    /// owner logs otherwise (tests).
    private let logLevels: LogLevels?
    private let state: NIOLockedValueBox<State>
    private let metricsServer = NIOLockedValueBox<MetricsServer?>(nil)
    /// The rtnetlink watch that moves sockets and IKE SAs with the host's addresses, and
    /// what it drives.
    private let addressMonitor = NIOLockedValueBox<AddressMonitor?>(nil)
    private let addressFollower = NIOLockedValueBox<AddressFollower?>(nil)

    struct State {
        var configuration: DaemonConfiguration
        var nextShard = 0
        /// Set by ``shutdown(grace:)``: nothing is started again from then on.
        var isStopping = false
    }

    /// The metrics (for the metrics endpoint).
    var metrics: DaemonMetrics { observer.metrics }

    private init(
        group: MultiThreadedEventLoopGroup, threadPool: NIOThreadPool, shards: [EngineShard], endpoints: UDPEndpoints,
        observer: EngineObserver, pools: AddressPools, eap: EAPBackend, radiusClient: RADIUSClient?, logger: Logger,
        logLevels: LogLevels?, configuration: DaemonConfiguration
    ) {
        self.pools = pools
        self.eap = eap
        self.radiusClient = radiusClient
        self.group = group
        self.threadPool = threadPool
        self.shards = shards
        self.endpoints = endpoints
        self.observer = observer
        self.logger = logger.subsystem("dmn")
        logConfiguration = logger.subsystem("cfg")
        logIKE = logger.subsystem("ike")
        self.logLevels = logLevels
        self.state = NIOLockedValueBox(State(configuration: configuration))
    }

    /// Binds the sockets, starts the engines and initiates the connections whose start
    /// action is `start`.
    ///
    /// - Parameter logLevels: the levels per subsystem that `logger`'s handler applies
    ///   (``SubsystemLogHandler``), which ``reload(_:)`` updates; `nil` when the handler
    ///   does not use them.
    public static func start(_ configuration: DaemonConfiguration, logger: Logger, logLevels: LogLevels? = nil) async throws
        -> IKEDaemon
    {
        let count = max(1, configuration.engineCount)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: count)
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        logLevels?.apply(configuration.settings.log)
        let observer = EngineObserver(logger: logger, metrics: DaemonMetrics())
        let daemonBox = NIOLockedValueBox(WeakDaemon())
        let shardsBox = NIOLockedValueBox<[EngineShard]>([])
        // Hands an IKE message to the engine that owns its SPIs (on the NAT-T port the
        // socket has already sorted out ESP and keepalives and removed the marker).
        let deliver: @Sendable (ByteBuffer, IKEEndpointAddress, IKEEndpointAddress) -> Void = { message, remote, local in
            let shards = shardsBox.withLockedValue { $0 }
            guard let index = DatagramRouting.engineIndex(of: message, count: shards.count) else { return }
            let shard = shards[index]
            shard.eventLoop.execute { shard.handleDatagram(message, from: remote, to: local) }
        }
        let reportUnknownSPI: @Sendable (UInt32, IKEEndpointAddress) -> Void = { spi, remote in
            for shard in shardsBox.withLockedValue({ $0 }) {
                shard.eventLoop.execute { try? shard.handleCommand(.reportInvalidSPI(spi: spi, remote: remote)) }
            }
        }
        let endpoints: UDPEndpoints
        do {
            let addresses = try listenAddresses(configuration)
            let port = configuration.settings.natTraversalPort
            let natTraversal = try NATTraversalSockets(
                addresses: addresses.compactMap { $0.ikeEndpoint.map { IKEEndpointAddress(address: $0.address, port: port) } },
                port: port, logger: logger.subsystem("net"), deliverIKE: deliver)
            var dataPlane: DataPlane?
            do {
                if configuration.settings.dataPlane {
                    dataPlane = try DataPlane(
                        natTraversal: natTraversal, settings: configuration.settings, logger: logger,
                        reportUnknownSPI: reportUnknownSPI)
                }
                natTraversal.start(dataPlane: dataPlane)
                endpoints = try await UDPEndpoints.bind(
                    addresses: addresses, port: configuration.settings.port, natTraversal: natTraversal,
                    dataPlane: dataPlane, group: group, logger: logger.subsystem("net"), deliver: deliver)
            } catch {
                natTraversal.stop()
                dataPlane?.stop()
                throw error
            }
        } catch {
            try? await threadPool.shutdownGracefully()
            try? await group.shutdownGracefully()
            throw error
        }
        var radiusClient: RADIUSClient?
        if let settings = configuration.settings.eapRADIUS {
            do {
                radiusClient = try await RADIUSClient.start(settings: settings, group: group, logger: logger.subsystem("cfg"))
            } catch {
                await endpoints.close()
                try? await threadPool.shutdownGracefully()
                try? await group.shutdownGracefully()
                throw DaemonError("cannot start the RADIUS client: \(error)")
            }
        }
        let eap = EAPBackend(
            secrets: configuration.eapSecrets, tls: configuration.eapTLS, radius: radiusClient.map(EAPRADIUSBackend.init),
            metrics: observer.metrics, logger: logger.subsystem("ike"))
        let pools = AddressPools(
            configuration.pools, store: leaseStore(configuration.settings, logger: logger), logger: logger.subsystem("cfg"))
        let completer = EffectCompleter(
            signer: configuration.signer, validator: configuration.validator, threadPool: threadPool, pools: pools, eap: eap)
        let resolvConf = configuration.settings.resolvConf.map { ResolvConf(path: $0, logger: logger.subsystem("cfg")) }
        resolvConf?.clear()
        let loops = Array(group.makeIterator())
        let shards = loops.enumerated().map { index, loop in
            EngineShard(
                index: index, eventLoop: loop, configuration: engineConfiguration(configuration, shard: index, of: count),
                endpoints: endpoints, installer: endpoints.dataPlane, observer: observer, completer: completer,
                resolvConf: resolvConf, react: { event, shard in daemonBox.withLockedValue { $0.daemon }?.react(to: event, shard: shard) })
        }
        shardsBox.withLockedValue { $0 = shards }
        let keepaliveInterval = configuration.settings.natKeepaliveInterval
        for shard in shards {
            try? await shard.eventLoop.submit {
                shard.startPeriodicTasks(
                    reportsUsage: configuration.settings.dataPlane,
                    keepaliveInterval: keepaliveInterval > .zero ? keepaliveInterval : nil)
            }.get()
        }
        let daemon = IKEDaemon(
            group: group, threadPool: threadPool, shards: shards, endpoints: endpoints, observer: observer, pools: pools,
            eap: eap, radiusClient: radiusClient, logger: logger, logLevels: logLevels, configuration: configuration)
        daemonBox.withLockedValue { $0.daemon = daemon }
        let follower = AddressFollower(
            shards: shards, endpoints: endpoints,
            followedFamilies: Set(((try? wildcardFamilies(configuration)) ?? []).map { $0 == .inet ? 4 : 16 }),
            logger: logger.subsystem("net"))
        daemon.addressFollower.withLockedValue { $0 = follower }
        do {
            let monitor = try AddressMonitor(
                excludedInterface: endpoints.dataPlane?.tun?.name, logger: logger.subsystem("net"),
                changed: follower.addressesChanged)
            daemon.addressMonitor.withLockedValue { $0 = monitor }
            // The first dump is handled ``AddressMonitor/settle`` after it arrives: wait for
            // it (2 s at most), so that nothing initiates before the sockets of every
            // address are bound and the source toward a peer is known.
            for _ in 0..<200 where !follower.hasSeenAddresses { try? await Task.sleep(for: .milliseconds(10)) }
        } catch {
            daemon.logger.error("\(error); IKE SAs will not follow address changes")
        }
        if let address = configuration.settings.metricsAddress {
            do {
                let server = try await MetricsServer.start(address: address, group: group) { [weak daemon] in
                    await daemon?.renderMetrics() ?? ""
                }
                daemon.metricsServer.withLockedValue { $0 = server }
                daemon.logger.info("metrics at http://\(address)/metrics")
            } catch {
                await daemon.shutdown(grace: .zero)
                throw DaemonError("cannot serve metrics on \(address): \(error)")
            }
        }
        for connection in configuration.connections where connection.startsOnLoad {
            do {
                try await daemon.up(connection.name, children: connection.childrenStartedOnLoad)
            } catch {
                daemon.logIKE.error("could not start connection '\(connection.name)': \(error)")
            }
        }
        return daemon
    }

    /// The engine configuration of shard `index` of `count`.
    static func engineConfiguration(_ configuration: DaemonConfiguration, shard index: Int, of count: Int)
        -> IKEEngineConfiguration
    {
        var engine = configuration.engine
        engine.spiShard = SPIShard(index: index, count: count)
        return engine
    }

    /// The addresses to bind: the configured ones, where `0.0.0.0` and `::` (and an
    /// empty list) stand for every non-link-local address of that family on every
    /// interface at start (``AddressFollower`` then binds those the host gains).
    static func listenAddresses(_ configuration: DaemonConfiguration) throws -> [SocketAddress] {
        let configured = try configuration.settings.listenAddresses.map { try SocketAddress(ipAddress: $0.description, port: 0) }
        let wildcard = try wildcardFamilies(configuration)
        var seen: Set<String> = []
        var addresses = configured.filter { address in
            !wildcard.contains(address.protocol) && seen.insert(address.ipAddress ?? "").inserted
        }
        guard !wildcard.isEmpty else { return addresses }
        for device in try System.enumerateDevices() {
            guard let address = device.address, wildcard.contains(address.protocol), let text = address.ipAddress,
                !text.lowercased().hasPrefix("fe80"), seen.insert(text).inserted
            else { continue }
            addresses.append(address)
        }
        return addresses
    }

    /// The families the daemon listens on with `0.0.0.0` or `::`, or both when `listen`
    /// is empty: their addresses are the host's, and follow it.
    static func wildcardFamilies(_ configuration: DaemonConfiguration) throws -> [NIOBSDSocket.ProtocolFamily] {
        let listen = configuration.settings.listenAddresses
        guard !listen.isEmpty else { return [.inet, .inet6] }
        return try listen.map { try SocketAddress(ipAddress: $0.description, port: 0) }
            .filter { ($0.ikeEndpoint?.address ?? [1]).allSatisfy { $0 == 0 } }.map(\.protocol)
    }

    /// The local addresses and ports bound.
    public var boundAddresses: [IKEEndpointAddress] { endpoints.boundAddresses }

    /// The port the metrics endpoint listens on, if it is on.
    public var metricsPort: Int? { metricsServer.withLockedValue { $0?.port } }

    /// The Prometheus page: counters as they stand, gauges from the SAs now.
    public func renderMetrics() async -> String {
        metrics.update(statuses: await statuses(), halfOpen: await halfOpenSACount())
        metrics.update(pools: pools.snapshot)
        metrics.update(dataPlane: endpoints.natTraversal.totals.merging(endpoints.dataPlane?.totals ?? [:], uniquingKeysWith: +))
        return metrics.render()
    }

    // MARK: Control

    /// Every IKE SA of every engine, with its Child SAs.
    public func statuses() async -> [IKESAStatus] {
        var all: [IKESAStatus] = []
        for shard in shards {
            if let statuses = try? await shard.eventLoop.submit({ shard.statuses }).get() { all += statuses }
        }
        return all.sorted { ($0.name, $0.localSPI) < ($1.name, $1.localSPI) }
    }

    /// The names of the loaded connections, in configuration order.
    public var connectionNames: [String] { state.withLockedValue { $0.configuration.connections.map(\.name) } }

    /// Half-open responder SAs over all engines.
    public func halfOpenSACount() async -> Int {
        var total = 0
        for shard in shards { total += (try? await shard.eventLoop.submit({ shard.halfOpenSACount }).get()) ?? 0 }
        return total
    }

    /// Initiates the connection `name` to its first remote address that names one host
    /// (an IP address, or a host name resolved now, in the family of the connection's
    /// local address or of a listening address), with the children named in `children`
    /// (`nil`: all of them; strongSwan's `start_action = start` starts the children that
    /// have it, each on the same IKE SA).
    public func up(_ name: String, children: [String]? = nil) async throws {
        let (configuration, index) = state.withLockedValue { state -> (DaemonConfiguration, Int) in
            state.nextShard = (state.nextShard + 1) % shards.count
            return (state.configuration, state.nextShard)
        }
        guard let connection = configuration.connection(named: name) else {
            throw DaemonError(.unknownConnection, "no connection named '\(name)'; `cygnet status` lists the loaded ones")
        }
        let address: [UInt8]
        switch connection.remoteAddresses.first(where: \.isSingleHost) {
        case .address(let literal)?:
            address = literal
        case .hostname(let host)?:
            address = try await resolve(host, for: connection, configuration: configuration)
        case .any?, .anyIPv4?, .anyIPv6?, .prefix?, .range?, nil:
            throw DaemonError(
                .noAddressToInitiate, "connection '\(name)' has no remote_addrs with an IP address or host name to initiate to")
        }
        let remote = IKEEndpointAddress(address: address, port: connection.remotePort)
        let local = try localAddress(for: connection, toward: remote, configuration: configuration)
        let shard = shards[index]
        try await shard.eventLoop.submit {
            try shard.handleCommand(.initiate(peer: name, local: local, remote: remote, children: children))
        }.get()
    }

    /// Deletes every IKE SA of connection `name`; returns how many.
    @discardableResult
    public func down(_ name: String) async throws -> Int {
        var deleted = 0
        for shard in shards {
            deleted += try await shard.eventLoop.submit {
                let spis = shard.statuses.filter { $0.name == name && $0.phase != .deleting }.map(\.localSPI)
                for spi in spis { try shard.handleCommand(.delete(localSPI: spi)) }
                return spis.count
            }.get()
        }
        if deleted == 0, state.withLockedValue({ $0.configuration.connection(named: name) }) == nil {
            throw DaemonError(.unknownConnection, "no connection named '\(name)'")
        }
        return deleted
    }

    /// Loads a new configuration: connections, secrets and the engines' protocol settings
    /// change for new SAs (existing SAs keep theirs), log levels and the NAT keepalive
    /// interval at once. Connections new with `start` are initiated.
    ///
    /// The settings only a restart applies (sockets, control socket, metrics, data plane,
    /// TUN device, key log) keep their running values; their keys are returned, and
    /// logged, when the new configuration changes them.
    @discardableResult
    public func reload(_ new: DaemonConfiguration) async throws -> [String] {
        let (old, configuration) = state.withLockedValue { state -> (DaemonConfiguration, DaemonConfiguration) in
            let old = state.configuration
            var configuration = new
            configuration.settings = new.settings.keepingRestartOnly(old.settings)
            state.configuration = configuration
            return (old, configuration)
        }
        let restartRequired = new.settings.restartOnlyChanges(from: old.settings)
        logLevels?.apply(configuration.settings.log)
        pools.reconfigure(configuration.pools)
        eap.reconfigure(secrets: configuration.eapSecrets, tls: configuration.eapTLS)
        let completer = EffectCompleter(
            signer: configuration.signer, validator: configuration.validator, threadPool: threadPool, pools: pools, eap: eap)
        let keepalive = configuration.settings.natKeepaliveInterval
        for shard in shards {
            let engine = Self.engineConfiguration(configuration, shard: shard.index, of: shards.count)
            try await shard.eventLoop.submit {
                shard.reconfigure(engine, completer: completer)
                shard.setKeepaliveInterval(keepalive > .zero ? keepalive : nil)
            }.get()
        }
        if restartRequired.isEmpty {
            logConfiguration.info("configuration reloaded: \(configuration.connections.count) connections")
        } else {
            logConfiguration.warning(
                "configuration reloaded: \(configuration.connections.count) connections; \(restartRequired.joined(separator: ", ")) changed and take effect only when cygnetd restarts (the running values stay)")
        }
        for connection in configuration.connections where connection.startsOnLoad && old.connection(named: connection.name) == nil {
            try? await up(connection.name, children: connection.childrenStartedOnLoad)
        }
        return restartRequired
    }

    // MARK: dpd_action and close_action

    /// Starts again what an event of engine `shard` calls for (``CloseActions``), off the
    /// event loop; nothing once the daemon stops.
    func react(to event: IKEEvent, shard: Int) {
        let actions = CloseActions.actions(after: event, shard: shard) { name in
            state.withLockedValue { $0.isStopping ? nil : $0.configuration.connection(named: name) }
        }
        guard !actions.isEmpty else { return }
        Task { await carryOut(actions) }
    }

    private func carryOut(_ actions: [CloseActions.Action]) async {
        for action in actions {
            switch action {
            case .initiate(let name):
                logIKE.info("initiating '\(name)' again (dpd_action or close_action)", metadata: ["peer": "\(name)"])
                do {
                    try await up(name)
                } catch {
                    logIKE.error("could not initiate '\(name)' again: \(error)", metadata: ["peer": "\(name)"])
                }
            case .createChildSA(let index, let localSPI, let child):
                guard shards.indices.contains(index) else { continue }
                let shard = shards[index]
                logIKE.info("creating Child SA '\(child)' again (close_action)", metadata: ["ike.spi": "\(HexText.string(localSPI))"])
                do {
                    try await shard.eventLoop.submit { try shard.handleCommand(.createChildSA(localSPI: localSPI, child: child)) }.get()
                } catch {
                    logIKE.error("could not create Child SA '\(child)' again: \(error)", metadata: ["ike.spi": "\(HexText.string(localSPI))"])
                }
            }
        }
    }

    /// Deletes every IKE SA politely (waiting up to `grace` for the answers), then stops.
    public func shutdown(grace: Duration = .seconds(3)) async {
        state.withLockedValue { $0.isStopping = true }
        addressMonitor.withLockedValue { $0 }?.stop()
        for shard in shards {
            try? await shard.eventLoop.submit {
                for status in shard.statuses where status.phase == .established {
                    try? shard.handleCommand(.delete(localSPI: status.localSPI))
                }
            }.get()
        }
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline, !(await statuses().isEmpty) {
            try? await Task.sleep(for: .milliseconds(50))
        }
        for shard in shards { try? await shard.eventLoop.submit { shard.cancelTimer() }.get() }
        await metricsServer.withLockedValue { $0 }?.close()
        await endpoints.close()
        await radiusClient?.close()
        await eap.shutdown()
        try? await threadPool.shutdownGracefully()
        try? await group.shutdownGracefully()
        logger.info("stopped")
    }

    /// The first address `host` resolves to (getaddrinfo, on NIO's blocking pool) in a
    /// family the connection can initiate from: its single literal local address's, or
    /// else one the daemon listens on.
    private func resolve(_ host: String, for connection: ConnectionConfiguration, configuration: DaemonConfiguration)
        async throws -> [UInt8]
    {
        let families: Set<Int>
        if let local = connection.localAddresses.first(where: \.isSingleHost), case .address(let bytes) = local {
            families = [bytes.count]
        } else {
            families = Set(boundAddresses.filter { $0.port == configuration.settings.port }.map(\.address.count))
        }
        let resolved = try await NIOThreadPool.singleton.runIfActive { HostNameResolution.resolve(host) }
        switch resolved {
        case .failure(let reason):
            throw DaemonError(
                .unresolvableHost, "connection '\(connection.name)': remote_addrs '\(host)' does not resolve: \(reason)")
        case .success(let addresses):
            guard let address = addresses.first(where: { families.contains($0.count) }) else {
                let found = addresses.map(IPAddressText.format).joined(separator: ", ")
                throw DaemonError(
                    .unresolvableHost,
                    "connection '\(connection.name)': remote_addrs '\(host)' resolves to \(found), none of the family it initiates from (\(families.sorted().map { $0 == 4 ? "IPv4" : "IPv6" }.joined(separator: ", ")))")
            }
            return address
        }
    }

    private func localAddress(
        for connection: ConnectionConfiguration, toward remote: IKEEndpointAddress, configuration: DaemonConfiguration
    ) throws -> IKEEndpointAddress {
        let port = configuration.settings.port
        if let local = connection.localAddresses.first(where: \.isSingleHost) {
            guard case .address(let address) = local else {
                throw DaemonError(.noAddressToInitiate, "connection '\(connection.name)': local_addrs '\(local)' is not an IP address")
            }
            return IKEEndpointAddress(address: address, port: port)
        }
        // The source the kernel would pick toward the peer, else any address of its family.
        if let source = addressFollower.withLockedValue({ $0 })?.source(toward: remote.address) {
            return IKEEndpointAddress(address: source, port: port)
        }
        guard let local = boundAddresses.first(where: { $0.port == port && $0.address.count == remote.address.count })
        else {
            throw DaemonError(.noAddressToInitiate, "no listening address of the family of \(remote) to initiate '\(connection.name)' from")
        }
        return local
    }
}

/// The daemon as the engines' event handlers see it: not kept alive by them.
private struct WeakDaemon {
    weak var daemon: IKEDaemon?
}
