import CCygnetNet
import ESPCore
import Glibc
import IKECore
import NIOCore
import Synchronization

/// The inbound thread: receives from the NAT-T and raw ESP sockets in batches
/// (`recvmmsg`), hands IKE (behind the non-ESP marker) to the engines, opens ESP in
/// place, checks the inner packet against its SA's selectors and writes it to the TUN
/// device. Its buffers are allocated once; ESP allocates nothing.
struct InboundWorker {
    let dataPlane: DataPlane

    func run() {
        let sockets = Array(dataPlane.udpSockets.values) + dataPlane.rawSockets
        guard !sockets.isEmpty else { return }
        let batch = 32
        let slotSize = 65_536 + 64
        let buffers = UnsafeMutableRawBufferPointer.allocate(byteCount: batch * slotSize, alignment: 64)
        let slots = UnsafeMutablePointer<cyg_datagram>.allocate(capacity: batch)
        var pollers = sockets.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        defer {
            buffers.deallocate()
            slots.deallocate()
        }
        var table = dataPlane.currentTable
        var generation = dataPlane.generation.load(ordering: .acquiring)
        var unknownSPIReports = RateLimit(perSecond: 10)
        var coalescer = TCPCoalescer()
        defer { coalescer.deallocate() }
        let tunFD = dataPlane.tun?.fd ?? -1

        while dataPlane.isRunning.load(ordering: .relaxed) {
            guard poll(&pollers, nfds_t(pollers.count), 200) > 0 else { continue }
            let current = dataPlane.generation.load(ordering: .acquiring)
            if current != generation {
                generation = current
                table = dataPlane.currentTable
            }
            for (index, socket) in sockets.enumerated() where pollers[index].revents & Int16(POLLIN) != 0 {
                for slot in 0..<batch {
                    slots[slot].buffer = buffers.baseAddress! + slot * slotSize
                    slots[slot].capacity = slotSize
                }
                let received = cyg_recv_batch(socket.fd, slots, Int32(batch), 0)
                guard received > 0 else { continue }
                for slot in 0..<Int(received) {
                    let length = slots[slot].length
                    guard length <= slotSize else {
                        dataPlane.counters.inboundMalformed.add(1, ordering: .relaxed)
                        continue
                    }
                    let datagram = UnsafeMutableRawBufferPointer(start: slots[slot].buffer, count: length)
                    if let packet = handle(
                        datagram, address: slots[slot].address, socket: socket, table: table, reports: &unknownSPIReports),
                        tunFD >= 0
                    {
                        coalescer.add(packet) { _ = write(tunFD, $0.baseAddress, $0.count) }
                    }
                }
                // The batch's buffers are reused by the next receive: write what is merged.
                coalescer.flush { _ = write(tunFD, $0.baseAddress, $0.count) }
            }
        }
    }

    /// Sorts one datagram: IKE goes to the engines, keepalives are counted, ESP is opened
    /// and checked. Returns what to write to the TUN device (the virtio-net header and
    /// the inner packet, in `datagram`), or `nil` when nothing is; every drop is counted.
    func handle(
        _ datagram: UnsafeMutableRawBufferPointer, address: sockaddr_storage, socket: PacketSocket, table: DataPlane.Table,
        reports: inout RateLimit
    ) -> UnsafeRawBufferPointer? {
        var esp = datagram
        switch socket.kind {
        case .udp(let local):
            // RFC 3948 §2.3: a NAT-keepalive is "a one-octet payload with the value 0xFF".
            if datagram.count == 1, datagram[0] == 0xFF {
                dataPlane.counters.keepalivesReceived.add(1, ordering: .relaxed)
                return nil
            }
            // RFC 3948 §2.2: a non-ESP marker (four zero octets) means IKE.
            if datagram.count >= 4, datagram.loadUnaligned(as: UInt32.self) == 0 {
                guard let remote = SocketAddressStorage.endpoint(of: address) else { return nil }
                dataPlane.deliverIKE(ByteBuffer(bytes: UnsafeRawBufferPointer(datagram)), remote, local)
                return nil
            }
        case .rawESP(let isIPv6):
            // An IPv4 raw socket delivers the IP header; skip it (IHL words).
            if !isIPv6 {
                guard let first = datagram.first else { return nil }
                let headerLength = Int(first & 0x0F) * 4
                guard headerLength >= 20, headerLength <= datagram.count else {
                    dataPlane.counters.inboundMalformed.add(1, ordering: .relaxed)
                    return nil
                }
                esp = datagram.slice(headerLength..<datagram.count)
            }
        }
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
            if reports.allow(), let remote = SocketAddressStorage.endpoint(of: address) {
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
        if packet.isDummy {
            dataPlane.counters.inboundDummy.add(1, ordering: .relaxed)
            return nil
        }
        let payload = esp.slice(packet.payloadRange)
        // Tunnel mode: the payload is an IP packet, maybe followed by TFC padding (RFC
        // 4303 §2.7), which its own length leaves out.
        guard packet.nextHeader == .ipv4 || packet.nextHeader == .ipv6,
            let header = InnerIPHeader(UnsafeRawBufferPointer(payload)),
            header.isIPv6 == (packet.nextHeader == .ipv6)
        else {
            child.counters.malformedDrops.add(1, ordering: .relaxed)
            return nil
        }
        guard child.admits(header) else {
            child.counters.selectorDrops.add(1, ordering: .relaxed)
            return nil
        }
        child.counters.packetsIn.add(1, ordering: .relaxed)
        child.counters.bytesIn.add(UInt64(header.totalLength), ordering: .relaxed)
        // The virtio-net header goes in front, over the ESP header and IV (at least 16
        // bytes), which are no longer needed.
        let start = packet.payloadRange.lowerBound - VirtioNetHeader.length
        VirtioNetHeader.writeDelivery(into: esp.slice(start..<packet.payloadRange.lowerBound))
        return UnsafeRawBufferPointer(esp.slice(start..<packet.payloadRange.lowerBound + header.totalLength))
    }
}

/// At most `perSecond` events a second (monotonic clock).
struct RateLimit {
    let perSecond: Int
    private var windowStart: UInt64 = 0
    private var count = 0

    init(perSecond: Int) { self.perSecond = perSecond }

    mutating func allow() -> Bool {
        let second = NIODeadline.now().uptimeNanoseconds / 1_000_000_000
        if second != windowStart {
            windowStart = second
            count = 0
        }
        count += 1
        return count <= perSecond
    }
}
