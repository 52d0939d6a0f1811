import CygnetHostSupport
import CCygnetNet
import ESPCore
import Glibc
import IKECore
import NIOCore
import Synchronization

/// The data plane's inbound path, one per receiving thread (the NAT-T port's, for ESP in
/// UDP, and the data plane's own for raw ESP): opens ESP in place, checks the inner
/// packet against its SA's selectors, and writes it to the TUN device, the consecutive
/// TCP segments of a batch merged into one write. It allocates nothing per packet.
struct InboundWorker {
    let dataPlane: DataPlane
    private var table: DataPlane.Table
    private var generation: UInt64
    private var unknownSPIReports = RateLimit(perSecond: 10)
    private var coalescer = TCPCoalescer()
    private let tunFD: Int32

    init(dataPlane: DataPlane) {
        self.dataPlane = dataPlane
        table = dataPlane.currentTable
        generation = dataPlane.generation.load(ordering: .acquiring)
        tunFD = dataPlane.tun?.fd ?? -1
    }

    func deallocate() { coalescer.deallocate() }

    /// The data plane's own thread: raw ESP (IP protocol 50) of both families.
    static func runRawESP(dataPlane: DataPlane) {
        var worker = InboundWorker(dataPlane: dataPlane)
        defer { worker.deallocate() }
        let receiver = BatchReceiver(sockets: dataPlane.rawSockets)
        receiver.run(
            while: dataPlane.isRunning,
            receive: { datagram, address, socket in
                worker.refreshTable()
                guard let esp = Self.espPacket(in: datagram, from: socket) else {
                    dataPlane.counters.inboundMalformed.add(1, ordering: .relaxed)
                    return
                }
                if let packet = worker.open(esp, from: address) { worker.deliver(packet) }
            },
            endOfBatch: { worker.flush() },
            truncated: { _ = dataPlane.counters.inboundMalformed.add(1, ordering: .relaxed) })
    }

    /// The ESP packet in what a raw socket received: an IPv4 raw socket delivers the IP
    /// header too (IHL words); `nil` when that header does not fit.
    static func espPacket(in datagram: UnsafeMutableRawBufferPointer, from socket: PacketSocket) -> UnsafeMutableRawBufferPointer? {
        guard case .rawESP(isIPv6: false) = socket.kind else { return datagram }
        guard let first = datagram.first else { return nil }
        let headerLength = Int(first & 0x0F) * 4
        guard headerLength >= 20, headerLength <= datagram.count else { return nil }
        return datagram.slice(headerLength..<datagram.count)
    }

    /// Notices a new SA table (one atomic load while nothing changed).
    mutating func refreshTable() {
        let current = dataPlane.generation.load(ordering: .acquiring)
        guard current != generation else { return }
        generation = current
        table = dataPlane.currentTable
    }

    /// Queues an opened packet (``open(_:from:)``) for the TUN device, merged with the
    /// segments of its flow that came before it in the batch.
    mutating func deliver(_ packet: UnsafeRawBufferPointer) {
        guard tunFD >= 0 else { return }
        let fd = tunFD
        coalescer.add(packet) { _ = write(fd, $0.baseAddress, $0.count) }
    }

    /// Writes what the batch left merged: its buffers are about to be reused.
    mutating func flush() {
        guard tunFD >= 0 else { return }
        let fd = tunFD
        coalescer.flush { _ = write(fd, $0.baseAddress, $0.count) }
    }

    /// Opens an ESP packet received from `address` and checks it. Returns what to write to
    /// the TUN device (the virtio-net header and the inner packet, in `esp`), or `nil`
    /// when nothing is; every drop is counted.
    mutating func open(_ esp: UnsafeMutableRawBufferPointer, from address: sockaddr_storage) -> UnsafeRawBufferPointer? {
        guard esp.count >= 8 else {
            dataPlane.counters.inboundMalformed.add(1, ordering: .relaxed)
            return nil
        }
        let spi = UInt32(bigEndian: esp.loadUnaligned(as: UInt32.self))
        guard let child = table.inbound[spi] else {
            // RFC 4303 §3.4.2: "If no valid Security Association exists for this packet,
            // the receiver MUST discard the packet"; the engine may tell the peer
            // (INVALID_SPI, RFC 7296 §2.21.4).
            dataPlane.counters.inboundUnknownSPI.add(1, ordering: .relaxed)
            if unknownSPIReports.allow(), let remote = SocketAddressStorage.endpoint(of: address) {
                dataPlane.reportUnknownSPI(spi, remote)
            }
            return nil
        }
        let opened: Result<ESPInboundPacket, ESPError> = child.inbound.withLock { sa in
            Result { () throws(ESPError) in try sa.open(esp) }
        }
        let packet: ESPInboundPacket
        switch opened {
        case .success(let value):
            packet = value
        case .failure(let error):
            switch error.code {
            case .replayed, .tooOld: child.counters.replayDrops.add(1, ordering: .relaxed)
            case .icvFailure: child.counters.integrityDrops.add(1, ordering: .relaxed)
            default: child.counters.malformedDrops.add(1, ordering: .relaxed)
            }
            return nil
        }
        if !child.hasReceived.load(ordering: .relaxed), !child.hasReceived.exchange(true, ordering: .relaxed) {
            dataPlane.promote(child)
        }
        // Tunnel mode: the payload is an IP packet, maybe followed by TFC padding (RFC
        // 4303 §2.7), which its own length leaves out; a dummy packet (§2.6) has none.
        let inner: Range<Int>
        do {
            guard let range = try ESPTunnelPayload.innerPacketRange(of: packet, in: UnsafeRawBufferPointer(esp)) else {
                dataPlane.counters.inboundDummy.add(1, ordering: .relaxed)
                return nil
            }
            inner = range
        } catch {
            child.counters.malformedDrops.add(1, ordering: .relaxed)
            return nil
        }
        guard let header = InnerIPHeader(UnsafeRawBufferPointer(esp.slice(inner))) else {
            child.counters.malformedDrops.add(1, ordering: .relaxed)
            return nil
        }
        guard child.admits(header) else {
            child.counters.selectorDrops.add(1, ordering: .relaxed)
            return nil
        }
        child.counters.packetsIn.add(1, ordering: .relaxed)
        child.counters.bytesIn.add(UInt64(header.totalLength), ordering: .relaxed)
        guard let delivery = Self.makeRoomForVirtioHeader(before: inner, in: esp) else {
            child.counters.malformedDrops.add(1, ordering: .relaxed)
            return nil
        }
        VirtioNetHeader.writeDelivery(into: esp.slice(delivery.lowerBound..<delivery.lowerBound + VirtioNetHeader.length))
        return UnsafeRawBufferPointer(esp.slice(delivery))
    }

    /// Where the virtio-net header and the inner packet at `inner` go in `esp`: the header
    /// over the ESP header and IV, which are no longer needed. Those are 8 bytes plus the
    /// IV, at least 16 but for NULL encryption (RFC 2410: no IV), which leaves only 8:
    /// the packet then moves up, over the ESP trailer and ICV (at least 2 + 4 bytes)
    /// that follow it, so that nothing is written outside the received datagram and
    /// nothing is allocated. `nil` when there is no room either way.
    static func makeRoomForVirtioHeader(before inner: Range<Int>, in esp: UnsafeMutableRawBufferPointer) -> Range<Int>? {
        let shortfall = VirtioNetHeader.length - inner.lowerBound
        guard shortfall > 0 else { return inner.lowerBound - VirtioNetHeader.length..<inner.upperBound }
        guard inner.upperBound + shortfall <= esp.count, let base = esp.baseAddress else { return nil }
        (base + VirtioNetHeader.length).copyMemory(from: base + inner.lowerBound, byteCount: inner.count)
        return 0..<inner.upperBound + shortfall
    }
}
