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

/// The user-space ESP data plane (issue 6): packets from the TUN device are matched to a
/// Child SA by its traffic selectors, sealed and sent; ESP from the network is opened,
/// checked against its SA's selectors and written to the TUN device.
///
/// It owns the NAT-T UDP sockets, which IKE shares behind the non-ESP marker (RFC 3948
/// §2.2), so it runs even without a TUN device (`data_plane = no`): then only IKE passes
/// and ESP is dropped. Two threads carry packets, one per direction, each with its own
/// preallocated buffers; SAs are published to them as an immutable table swapped under a
/// lock and noticed through a generation counter, so the packet path takes no shared
/// lock.
public final class DataPlane: Sendable {
    struct Table: Sendable {
        var inbound: [UInt32: DataPlaneChildSA] = [:]
        /// The first whose selectors match carries a packet (see ``publish(_:)`` for
        /// the order after a rekey).
        var outbound: [DataPlaneChildSA] = []
    }

    let tun: TUNDevice?
    let udpSockets: [IKEEndpointAddress: PacketSocket]
    let rawSockets: [PacketSocket]
    let natTraversalPort: UInt16
    let routes: RouteManager?
    let keyLog: KeyLog?
    let logger: Logger
    let counters = DataPlaneCounters()
    let deliverIKE: @Sendable (ByteBuffer, IKEEndpointAddress, IKEEndpointAddress) -> Void
    let reportUnknownSPI: @Sendable (UInt32, IKEEndpointAddress) -> Void

    private let table = Mutex(Table())
    let generation = Atomic<UInt64>(0)
    let isRunning = Atomic<Bool>(true)
    private let stopped = DispatchGroup()

    /// Opens the NAT-T sockets (and, with `data_plane = yes`, the TUN device `tun_name` of
    /// `tun_mtu`, raw ESP sockets and routing) and starts the packet threads.
    init(
        natTraversalAddresses: [IKEEndpointAddress], settings: DaemonSettings, logger: Logger,
        deliverIKE: @escaping @Sendable (ByteBuffer, IKEEndpointAddress, IKEEndpointAddress) -> Void,
        reportUnknownSPI: @escaping @Sendable (UInt32, IKEEndpointAddress) -> Void
    ) throws(DaemonError) {
        var udp: [IKEEndpointAddress: PacketSocket] = [:]
        var raw: [PacketSocket] = []
        var tun: TUNDevice?
        do {
            for address in natTraversalAddresses {
                udp[address] = try PacketSocket.udp(address)
                logger.info("listening", metadata: ["address": "\(address)"])
            }
            if settings.dataPlane {
                tun = try TUNDevice(name: settings.tunName, mtu: settings.tunMTU)
                raw.append(try PacketSocket.rawESP(isIPv6: false))
                raw.append(try PacketSocket.rawESP(isIPv6: true))
            }
        } catch {
            for socket in udp.values { socket.close() }
            for socket in raw { socket.close() }
            tun?.close()
            throw error
        }
        self.tun = tun
        self.udpSockets = udp
        self.rawSockets = raw
        self.natTraversalPort = settings.natTraversalPort
        self.logger = logger
        self.deliverIKE = deliverIKE
        self.reportUnknownSPI = reportUnknownSPI
        self.routes = tun.map { RouteManager(device: $0.name, logger: logger) }
        do {
            self.keyLog = try settings.keyLog.map { path throws(DaemonError) in try KeyLog(path: path) }
        } catch {
            for socket in udp.values { socket.close() }
            for socket in raw { socket.close() }
            tun?.close()
            throw error
        }
        if let tun { logger.info("data plane on \(tun.name), MTU \(tun.mtu)") }
        startThread("cygnet-esp-in") { InboundWorker(dataPlane: self).run() }
        if tun != nil { startThread("cygnet-esp-out") { OutboundWorker(dataPlane: self).run() } }
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

    // MARK: SAs (called from the engines' event loops)

    /// Keys and publishes a Child SA the engine installed; routes its remote selectors
    /// through the TUN device.
    func install(_ installation: ChildSAInstallation, shard: Int) {
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
    func remove(inboundSPI: UInt32) {
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
        let isIPv6 = installation.remoteAddress.address.count == 16
        let socket: PacketSocket
        var destination = installation.remoteAddress
        if installation.isUDPEncapsulated {
            var local = installation.localAddress
            local.port = natTraversalPort
            guard let udp = udpSockets[local] ?? udpSockets.first(where: { $0.key.address.count == local.address.count })?.value
            else { throw DaemonError("no NAT-T socket for \(local)") }
            socket = udp
        } else {
            guard let raw = rawSockets.first(where: { $0.kind == .rawESP(isIPv6: isIPv6) }) else {
                throw DaemonError("no raw ESP socket")
            }
            socket = raw
            destination.port = 0
        }
        return DataPlaneChildSA(
            installation: installation, shard: shard, inbound: esp.inbound, outbound: esp.outbound, socket: socket,
            destination: SocketAddressStorage(destination))
    }

    // MARK: IKE and keepalives on the NAT-T port

    /// Sends an IKE datagram (with its non-ESP marker) from the NAT-T socket bound to
    /// `source`.
    func sendIKE(_ datagram: ByteBuffer, from source: IKEEndpointAddress, to destination: IKEEndpointAddress) -> Bool {
        guard let socket = udpSocket(for: source) else { return false }
        return datagram.withUnsafeReadableBytes { socket.send($0, to: SocketAddressStorage(destination)) }
    }

    /// Sends a NAT-keepalive (RFC 3948 §2.3: "a one-octet payload with the value 0xFF").
    func sendKeepalive(from source: IKEEndpointAddress, to destination: IKEEndpointAddress) {
        guard let socket = udpSocket(for: source) else { return }
        let byte: [UInt8] = [0xFF]
        if byte.withUnsafeBytes({ socket.send($0, to: SocketAddressStorage(destination)) }) {
            counters.keepalivesSent.add(1, ordering: .relaxed)
        }
    }

    private func udpSocket(for source: IKEEndpointAddress) -> PacketSocket? {
        udpSockets[source] ?? udpSockets.first { $0.key.port == source.port && $0.key.address.count == source.address.count }?.value
    }

    var boundAddresses: [IKEEndpointAddress] { Array(udpSockets.keys) }

    // MARK: Status

    /// The traffic of every installed Child SA, by inbound SPI.
    var traffic: [UInt32: ChildSATraffic] {
        table.withLock { $0.inbound.mapValues { $0.counters.snapshot } }
    }

    /// The inbound SPIs of engine `shard`'s Child SAs that must be rekeyed before they
    /// can send again; each is returned once.
    func rekeyRequests(shard: Int) -> [UInt32] {
        table.withLock { $0.inbound.values.filter { $0.shard == shard } }
            .filter { $0.counters.rekeyRequested.exchange(false, ordering: .relaxed) }
            .map(\.inboundSPI)
    }

    /// The traffic of the Child SAs engine `shard` installed, by inbound SPI.
    func traffic(shard: Int) -> [UInt32: ChildSATraffic] {
        table.withLock { $0.inbound.filter { $0.value.shard == shard }.mapValues { $0.counters.snapshot } }
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
            "keepalives_sent": counters.keepalivesSent.load(ordering: .relaxed),
            "keepalives_received": counters.keepalivesReceived.load(ordering: .relaxed),
        ]
    }

    /// Stops the threads, removes routes and closes the sockets and the device.
    func stop() {
        isRunning.store(false, ordering: .releasing)
        stopped.wait()
        let children = table.withLock { table -> [DataPlaneChildSA] in
            defer { table = Table() }
            return Array(table.inbound.values)
        }
        for child in children { routes?.remove(local: child.localSelectors, remote: child.remoteSelectors) }
        routes?.shutdown()
        for socket in udpSockets.values { socket.close() }
        for socket in rawSockets { socket.close() }
        tun?.close()
    }
}
