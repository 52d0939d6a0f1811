import CygnetHostSupport
import Foundation
import IKECore
import IKEWire
import Logging
import NIOCore
import Synchronization

/// The NAT-T port's UDP sockets (RFC 3948), one per local address, and their only owner:
/// IKE leaves through ``sendIKE(_:from:to:)`` behind the non-ESP marker, keepalives
/// through ``sendKeepalive(from:to:)``, and ESP in UDP through the socket
/// ``socket(for:)`` gives the data plane. One thread receives everything and sorts each
/// datagram once (``sort(_:)``): keepalives are counted, IKE goes to the engines with the
/// marker removed, ESP to the data plane's inbound path.
///
/// Plain file descriptors, not SwiftNIO channels, so ESP is received in batches without
/// allocating (ADR 0005). The port serves IKE even without a data plane
/// (`data_plane = no`); ESP is then dropped and counted.
///
/// The set of sockets follows the host's addresses (``add(_:)``, ``remove(_:)``): the
/// thread notices a change through a generation counter and receives on the new set; a
/// removed socket closes once neither the thread nor a Child SA's path holds it.
final class NATTraversalSockets: Sendable {
    /// What one datagram on the NAT-T port is (RFC 3948 §2.2, §2.3).
    enum Datagram: Equatable {
        /// "a one-octet payload with the value 0xFF".
        case keepalive
        /// An IKE message: the bytes after the four-zero-octet non-ESP marker.
        case ike(Range<Int>)
        /// An ESP packet: a non-zero SPI first.
        case esp
        /// Too short to be either.
        case malformed
    }

    private let socketSet: Mutex<[IKEEndpointAddress: PacketSocket]>
    /// Moves with every change of ``sockets``.
    private let socketGeneration = Atomic<UInt64>(0)
    let port: UInt16
    let logger: Logger
    let deliverIKE: @Sendable (ByteBuffer, IKEEndpointAddress, IKEEndpointAddress) -> Void
    let keepalivesSent = Atomic<UInt64>(0)
    let keepalivesReceived = Atomic<UInt64>(0)
    /// Datagrams that are neither (too short, or cut by the receive buffer).
    let malformed = Atomic<UInt64>(0)
    /// ESP that arrived while no data plane runs: no SPI is known then (counted as
    /// `unknown_spi`, never reported to the engines).
    let espWithoutDataPlane = Atomic<UInt64>(0)
    private let isRunning = Atomic<Bool>(true)
    private let stopped = DispatchGroup()

    /// Binds one socket per address in `addresses` (each with the NAT-T `port`); received
    /// IKE messages go to `deliverIKE` (message, from, to) once ``start(dataPlane:)`` runs.
    init(
        addresses: [IKEEndpointAddress], port: UInt16, logger: Logger,
        deliverIKE: @escaping @Sendable (ByteBuffer, IKEEndpointAddress, IKEEndpointAddress) -> Void
    ) throws(DaemonError) {
        var sockets: [IKEEndpointAddress: PacketSocket] = [:]
        do {
            for address in addresses {
                sockets[address] = try PacketSocket.udp(address)
                logger.info("listening", metadata: ["address": "\(address)"])
            }
        } catch {
            for socket in sockets.values { socket.close() }
            throw error
        }
        self.socketSet = Mutex(sockets)
        self.port = port
        self.logger = logger
        self.deliverIKE = deliverIKE
    }

    /// Starts the receiving thread; ESP goes to `dataPlane`'s inbound path.
    func start(dataPlane: DataPlane?) {
        stopped.enter()
        let thread = Thread { [self] in
            var esp = dataPlane.map { InboundWorker(dataPlane: $0) }
            defer { esp?.deallocate() }
            while isRunning.load(ordering: .relaxed) {
                let generation = socketGeneration.load(ordering: .acquiring)
                let receiver = BatchReceiver(sockets: Array(sockets.values))
                receiver.run(
                    while: isRunning, until: { socketGeneration.load(ordering: .acquiring) != generation },
                    receive: { datagram, address, socket in
                        esp?.refreshTable()
                        if let packet = receive(datagram, from: address, on: socket, esp: &esp) { esp?.deliver(packet) }
                    },
                    endOfBatch: { esp?.flush() },
                    truncated: { _ = malformed.add(1, ordering: .relaxed) })
            }
            stopped.leave()
        }
        thread.name = "cygnet-natt-in"
        thread.start()
    }

    /// Sorts a datagram (RFC 3948 §2.2: "The Non-ESP Marker is 4 zero-valued bytes
    /// aligning with the SPI field of an ESP packet"; §2.3: a keepalive "is a single
    /// octet ... 0xFF").
    static func sort(_ datagram: UnsafeRawBufferPointer) -> Datagram {
        if datagram.count == 1, datagram[0] == UDPEncapsulatedDatagram.natKeepaliveByte { return .keepalive }
        guard datagram.count >= 4 else { return .malformed }
        return datagram.loadUnaligned(as: UInt32.self) == 0 ? .ike(4..<datagram.count) : .esp
    }

    /// Handles one received datagram: counts a keepalive, hands IKE to the engines, and
    /// opens ESP with `esp` (the data plane's inbound path of this thread). Returns what
    /// ESP carried for the TUN device (``InboundWorker/deliver(_:)``), in `datagram`.
    func receive(
        _ datagram: UnsafeMutableRawBufferPointer, from address: sockaddr_storage, on socket: PacketSocket,
        esp: inout InboundWorker?
    ) -> UnsafeRawBufferPointer? {
        guard case .udp(let local) = socket.kind else { return nil }
        switch Self.sort(UnsafeRawBufferPointer(datagram)) {
        case .keepalive:
            keepalivesReceived.add(1, ordering: .relaxed)
        case .ike(let range):
            guard let remote = SocketAddressStorage.endpoint(of: address) else { return nil }
            deliverIKE(ByteBuffer(bytes: UnsafeRawBufferPointer(datagram.slice(range))), remote, local)
        case .esp:
            guard esp != nil else {
                espWithoutDataPlane.add(1, ordering: .relaxed)
                return nil
            }
            return esp?.open(datagram, from: address)
        case .malformed:
            malformed.add(1, ordering: .relaxed)
        }
        return nil
    }

    /// The sockets by local address and port.
    var sockets: [IKEEndpointAddress: PacketSocket] { socketSet.withLock { $0 } }

    /// Binds a socket to `address` (an address the host gained); nothing if one is bound.
    func add(_ address: IKEEndpointAddress) throws(DaemonError) {
        guard socketSet.withLock({ $0[address] }) == nil else { return }
        let socket = try PacketSocket.udp(address)
        socketSet.withLock { $0[address] = socket }
        socketGeneration.add(1, ordering: .releasing)
        logger.info("listening", metadata: ["address": "\(address)"])
    }

    /// Stops using the socket of `address` (an address the host lost): no new path takes
    /// it and the thread stops receiving on it; it closes when the last Child SA leaves it.
    func remove(_ address: IKEEndpointAddress) {
        guard socketSet.withLock({ $0.removeValue(forKey: address) }) != nil else { return }
        socketGeneration.add(1, ordering: .releasing)
        logger.info("no longer listening", metadata: ["address": "\(address)"])
    }

    /// The socket bound to `local`, if there is one.
    func socket(for local: IKEEndpointAddress) -> PacketSocket? {
        // Only the socket of that very address: another would send from an address the
        // peer does not know the SA by (or, once the SA's address is gone, from one it
        // would take for a move).
        socketSet.withLock { $0[local] }
    }

    /// Sends an IKE message from the socket bound to `source`, behind the non-ESP marker.
    func sendIKE(_ message: ByteBuffer, from source: IKEEndpointAddress, to destination: IKEEndpointAddress) -> Bool {
        guard let socket = socket(for: source) else { return false }
        let datagram = UDPEncapsulatedDatagram.nonESPMarker + Array(message.readableBytesView)
        return datagram.withUnsafeBytes { socket.send($0, to: SocketAddressStorage(destination)) }
    }

    /// Sends a NAT-keepalive (RFC 3948 §2.3: "a one-octet payload with the value 0xFF").
    func sendKeepalive(from source: IKEEndpointAddress, to destination: IKEEndpointAddress) {
        guard let socket = socket(for: source) else { return }
        let byte = [UDPEncapsulatedDatagram.natKeepaliveByte]
        if byte.withUnsafeBytes({ socket.send($0, to: SocketAddressStorage(destination)) }) {
            keepalivesSent.add(1, ordering: .relaxed)
        }
    }

    var boundAddresses: [IKEEndpointAddress] { Array(sockets.keys) }

    /// Its counters since start, for metrics, named as ``DataPlane/totals`` names them.
    var totals: [String: UInt64] {
        [
            "keepalives_sent": keepalivesSent.load(ordering: .relaxed),
            "keepalives_received": keepalivesReceived.load(ordering: .relaxed),
            "drop_malformed": malformed.load(ordering: .relaxed),
            "drop_unknown_spi": espWithoutDataPlane.load(ordering: .relaxed),
        ]
    }

    /// Stops the receiving thread (if started) and closes the sockets.
    func stop() {
        isRunning.store(false, ordering: .releasing)
        stopped.wait()
        for socket in sockets.values { socket.close() }
    }
}
