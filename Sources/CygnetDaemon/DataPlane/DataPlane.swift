import CygnetHostSupport
import ESPCore
import IKEConfig
import Foundation
import IKECore
import IKECrypto
import IKEWire
import Logging
import NIOCore
import Synchronization

/// The user-space ESP data plane (ADR 0005), the daemon's ``ChildSAInstaller``: packets
/// from the TUN device are matched to a Child SA by its traffic selectors, sealed and
/// sent; ESP from the network is opened, checked against its SA's selectors and written
/// to the TUN device.
///
/// ESP in UDP leaves and arrives through the NAT-T port's sockets
/// (``NATTraversalSockets``, whose thread hands ESP to an ``InboundWorker`` of this data
/// plane); raw ESP through sockets of its own. Its threads (TUN to network, raw ESP in)
/// have their own preallocated buffers; SAs are published to them as an immutable table
/// swapped under a lock and noticed through a generation counter, so the packet path
/// takes no shared lock.
public final class DataPlane: ChildSAInstaller, Sendable {
    struct Table: Sendable {
        var inbound: [UInt32: DataPlaneChildSA] = [:]
        /// The first whose selectors match carries a packet (see ``publish(_:)`` for
        /// the order after a rekey).
        var outbound: [DataPlaneChildSA] = []
    }

    let tun: TUNDevice?
    let natTraversal: NATTraversalSockets
    let rawSockets: [PacketSocket]
    let routes: RouteManager?
    let keyLog: KeyLog?
    let logger: Logger
    let counters = DataPlaneCounters()
    let reportUnknownSPI: @Sendable (UInt32, IKEEndpointAddress) -> Void

    private let table = Mutex(Table())
    /// Held by the outbound thread while it seals and sends a batch, so that
    /// ``update(_:engine:)`` can wait for the batch in progress.
    let sending = Mutex(())
    let generation = Atomic<UInt64>(0)
    let isRunning = Atomic<Bool>(true)
    private let stopped = DispatchGroup()

    /// Opens, with `data_plane = yes`, the TUN device `tun_name` of `tun_mtu`, the raw ESP
    /// sockets and routing, and starts the packet threads; ESP in UDP goes through
    /// `natTraversal`. Without it (tests) the data plane only opens what it is handed.
    init(
        natTraversal: NATTraversalSockets, settings: DaemonSettings, logger: Logger,
        reportUnknownSPI: @escaping @Sendable (UInt32, IKEEndpointAddress) -> Void
    ) throws(DaemonError) {
        var raw: [PacketSocket] = []
        var tun: TUNDevice?
        do {
            if settings.dataPlane {
                tun = try TUNDevice(name: settings.tunName, mtu: settings.tunMTU)
                raw.append(try PacketSocket.rawESP(isIPv6: false))
                raw.append(try PacketSocket.rawESP(isIPv6: true))
            }
            self.keyLog = try settings.keyLog.map { path throws(DaemonError) in try KeyLog(path: path) }
        } catch {
            for socket in raw { socket.close() }
            tun?.close()
            throw error
        }
        self.tun = tun
        self.natTraversal = natTraversal
        self.rawSockets = raw
        self.logger = logger.subsystem("esp")
        self.reportUnknownSPI = reportUnknownSPI
        self.routes = tun.map { RouteManager(device: $0.name, logger: logger.subsystem("knl")) }
        guard let tun else { return }
        self.logger.info("data plane on \(tun.name), MTU \(tun.mtu)")
        startThread("cygnet-esp-in") { InboundWorker.runRawESP(dataPlane: self) }
        startThread("cygnet-esp-out") { OutboundWorker(dataPlane: self).run() }
    }

    private func startThread(_ name: String, _ body: @escaping @Sendable () -> Void) {
        stopped.enter()
        let thread = Thread { [stopped] in
            body()
            stopped.leave()
        }
        thread.name = name
        thread.start()
    }

    /// The current SA table (workers re-read it when ``generation`` moves).
    var currentTable: Table { table.withLock { $0 } }

    // MARK: ChildSAInstaller (called from the engines' event loops)

    /// Keys and publishes a Child SA the engine installed; routes its remote selectors
    /// through the TUN device.
    public func install(_ installation: ChildSAInstallation, engine shard: Int) {
        guard tun != nil else { return }
        guard installation.mode == .tunnel else {
            // ADR 0005: the TUN data plane carries tunnel mode only.
            logger.warning(
                "Child SA in transport mode is negotiated but carries no traffic: the data plane does tunnel mode only",
                metadata: ["child": "\(installation.name)", "spi_in": "\(HexText.string(installation.inboundSPI))"])
            return
        }
        let child: DataPlaneChildSA
        do {
            child = try makeChildSA(installation, shard: shard)
        } catch {
            logger.error(
                "cannot install Child SA in the data plane: \(error)",
                metadata: ["child": "\(installation.name)", "spi_in": "\(HexText.string(installation.inboundSPI))"])
            return
        }
        publish(child)
        keyLog?.record(installation)
        routes?.add(local: child.localSelectors, remote: child.remoteSelectors)
    }

    /// Makes a Child SA visible to the packet threads. A new SA with the selectors of one
    /// already there (a rekey) takes over outbound traffic only once the peer is seen
    /// using it, or when the old one goes: until then the peer may not have it yet (the
    /// responder of a rekey installs before its answer arrives, and an answer can be
    /// lost), and its packets would be dropped. Inbound, both are accepted meanwhile.
    func publish(_ child: DataPlaneChildSA) {
        table.withLock { table in
            table.inbound[child.inboundSPI] = child
            if let index = table.outbound.lastIndex(where: { $0.hasSameSelectors(as: child) }) {
                table.outbound.insert(child, at: index + 1)
            } else {
                table.outbound.insert(child, at: 0)
            }
        }
        generation.add(1, ordering: .releasing)
    }

    /// Called by the inbound thread on the first packet received on `child`: it now
    /// carries the outbound traffic of its selectors.
    func promote(_ child: DataPlaneChildSA) {
        let moved = table.withLock { table -> Bool in
            guard let index = table.outbound.firstIndex(where: { $0 === child }), index > 0,
                table.outbound[..<index].contains(where: { $0.hasSameSelectors(as: child) })
            else { return false }
            table.outbound.remove(at: index)
            table.outbound.insert(child, at: 0)
            return true
        }
        if moved { generation.add(1, ordering: .releasing) }
    }

    /// Withdraws a Child SA (deleted or replaced) and its routes.
    public func remove(inboundSPI: UInt32) {
        let removed = table.withLock { table -> DataPlaneChildSA? in
            guard let child = table.inbound.removeValue(forKey: inboundSPI) else { return nil }
            table.outbound.removeAll { $0 === child }
            return child
        }
        guard let removed else { return }
        generation.add(1, ordering: .releasing)
        counters.absorb(removed.counters.snapshot)
        routes?.remove(local: removed.localSelectors, remote: removed.remoteSelectors)
    }

    func makeChildSA(_ installation: ChildSAInstallation, shard: Int) throws -> DataPlaneChildSA {
        let esp = try ESPSecurityAssociationPair(installation, provider: .default)
        let path = try path(
            local: installation.localAddress, remote: installation.remoteAddress,
            isUDPEncapsulated: installation.isUDPEncapsulated)
        return DataPlaneChildSA(installation: installation, shard: shard, inbound: esp.inbound, outbound: esp.outbound, path: path)
    }

    /// The path from `local` to `remote`: ESP in UDP leaves by the NAT-T socket of
    /// `local`'s address, raw ESP by the raw socket of its family (to port 0).
    func path(local: IKEEndpointAddress, remote: IKEEndpointAddress, isUDPEncapsulated: Bool) throws(DaemonError)
        -> DataPlaneChildSA.Path
    {
        let socket: PacketSocket
        var destination = remote
        if isUDPEncapsulated {
            var local = local
            local.port = natTraversal.port
            guard let udp = natTraversal.socket(for: local) else { throw DaemonError("no NAT-T socket for \(local)") }
            socket = udp
        } else {
            let isIPv6 = remote.address.count == 16
            guard let raw = rawSockets.first(where: { $0.kind == .rawESP(isIPv6: isIPv6) }) else {
                throw DaemonError("no raw ESP socket")
            }
            socket = raw
            destination.port = 0
        }
        return DataPlaneChildSA.Path(
            local: local, remote: remote, isUDPEncapsulated: isUDPEncapsulated, socket: socket,
            destination: SocketAddressStorage(destination))
    }

    /// Moves a Child SA to new outer addresses (see ``ChildSAInstaller/update(_:engine:)``):
    /// the path changes under the SA's outbound lock, between two packets, so the
    /// sequence numbers go on; the inbound SA, its replay window and the counters are
    /// untouched. The call then waits for the outbound thread's batch in progress
    /// (``sending``), which may hold packets sealed for the old path: once it returns,
    /// nothing more leaves for the old one.
    public func update(_ update: ChildSAPathUpdate, engine shard: Int) {
        let metadata: Logger.Metadata = [
            "child.spi_in": "\(HexText.string(update.inboundSPI))", "child.spi_out": "\(HexText.string(update.outboundSPI))",
        ]
        guard let child = table.withLock({ $0.inbound[update.inboundSPI] }) else { return }
        let path: DataPlaneChildSA.Path
        do {
            path = try self.path(
                local: update.localAddress, remote: update.remoteAddress, isUDPEncapsulated: update.isUDPEncapsulated)
        } catch {
            logger.error("cannot move Child SA to \(update.remoteAddress): \(error)", metadata: metadata)
            return
        }
        child.outbound.withLock { $0.path = path }
        sending.withLock { _ in }
        logger.info(
            "Child SA moved to \(update.localAddress) → \(update.remoteAddress)\(update.isUDPEncapsulated ? " (ESP in UDP)" : "")",
            metadata: metadata)
    }

    // MARK: Status

    public func traffic(engine shard: Int?) -> [UInt32: ChildSATraffic] {
        table.withLock { $0.inbound.filter { shard == nil || $0.value.shard == shard }.mapValues { $0.counters.snapshot } }
    }

    public func takeRekeyRequests(engine shard: Int) -> [UInt32] {
        table.withLock { $0.inbound.values.filter { $0.shard == shard } }
            .filter { $0.counters.rekeyRequested.exchange(false, ordering: .relaxed) }
            .map(\.inboundSPI)
    }

    /// Every counter since start, for metrics: live SAs plus removed ones plus what no SA
    /// accounts for, by name.
    var totals: [String: UInt64] {
        var traffic = counters.retired.withLock { $0 }
        for child in table.withLock({ Array($0.inbound.values) }) { traffic += child.counters.snapshot }
        return [
            "packets_in": traffic.packetsIn, "bytes_in": traffic.bytesIn, "packets_out": traffic.packetsOut,
            "bytes_out": traffic.bytesOut,
            "drop_replayed": traffic.replayDrops, "drop_integrity": traffic.integrityDrops,
            "drop_malformed": traffic.malformedDrops + counters.inboundMalformed.load(ordering: .relaxed),
            "drop_selectors": traffic.selectorDrops, "drop_unknown_spi": counters.inboundUnknownSPI.load(ordering: .relaxed),
            "drop_dummy": counters.inboundDummy.load(ordering: .relaxed),
            "drop_no_sa": counters.outboundNoSA.load(ordering: .relaxed),
            "drop_not_ip": counters.outboundMalformed.load(ordering: .relaxed),
            "drop_seal": counters.outboundSealFailures.load(ordering: .relaxed),
            "drop_send": counters.sendFailures.load(ordering: .relaxed),
        ]
    }

    /// Stops the threads, removes routes and closes the raw sockets and the device (the
    /// NAT-T port's thread, which uses this data plane, is stopped first).
    func stop() {
        isRunning.store(false, ordering: .releasing)
        stopped.wait()
        let children = table.withLock { table -> [DataPlaneChildSA] in
            defer { table = Table() }
            return Array(table.inbound.values)
        }
        for child in children { routes?.remove(local: child.localSelectors, remote: child.remoteSelectors) }
        routes?.shutdown()
        for socket in rawSockets { socket.close() }
        tun?.close()
    }
}
