import CCygnetNet
import ESPCore
import Glibc
import Synchronization

/// The outbound thread: reads packets from the TUN device, cuts the kernel's TCP
/// super-segments (TSO) to size, finds each packet's Child SA by selectors, seals it in
/// place and sends them in batches with one `sendmmsg`. Its buffers are allocated once;
/// the packet path allocates nothing.
struct OutboundWorker {
    let dataPlane: DataPlane
    /// Room before the payload for the ESP header and IV, and after it for padding and ICV.
    static let headroom = 64
    static let tailroom = 320
    static let batch = Int(CYG_MAX_BATCH)

    func run() {
        guard let tun = dataPlane.tun else { return }
        var state = State(dataPlane: dataPlane, slotPayload: max(tun.mtu, 1280))
        defer { state.deallocate() }
        let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536 + 256, alignment: 64)
        defer { readBuffer.deallocate() }
        var poller = pollfd(fd: tun.fd, events: Int16(POLLIN), revents: 0)

        while dataPlane.isRunning.load(ordering: .relaxed) {
            guard poll(&poller, 1, 200) > 0 else { continue }
            // A Child SA moved (``DataPlane/update(_:engine:)``) waits for this batch.
            dataPlane.sending.withLock { _ in
                state.refreshTable()
                // Up to a batch's worth of reads, then flush, so sends are never held back long.
                for _ in 0..<Self.batch {
                    let length = read(tun.fd, readBuffer.baseAddress, readBuffer.count)
                    guard length > VirtioNetHeader.length else { break }
                    let header = VirtioNetHeader(UnsafeRawBufferPointer(readBuffer))
                    state.handle(readBuffer.slice(VirtioNetHeader.length..<length), header: header)
                }
                state.flush()
            }
        }
    }

    /// The slots of one batch and the SA table as this thread last saw it.
    struct State {
        let dataPlane: DataPlane
        let slotPayload: Int
        let slotSize: Int
        let buffers: UnsafeMutableRawBufferPointer
        let slots: UnsafeMutablePointer<cyg_datagram>
        var count = 0
        var socket: PacketSocket?
        var table: DataPlane.Table
        var generation: UInt64
        var lastMatch: DataPlaneChildSA?

        init(dataPlane: DataPlane, slotPayload: Int) {
            self.dataPlane = dataPlane
            self.slotPayload = slotPayload
            slotSize = OutboundWorker.headroom + slotPayload + OutboundWorker.tailroom
            buffers = .allocate(byteCount: OutboundWorker.batch * slotSize, alignment: 64)
            slots = .allocate(capacity: OutboundWorker.batch)
            table = dataPlane.currentTable
            generation = dataPlane.generation.load(ordering: .acquiring)
        }

        func deallocate() {
            buffers.deallocate()
            slots.deallocate()
        }

        /// Queues one packet read from the TUN device (behind `header`): cut to size if
        /// it is a TCP super-segment, sealed.
        mutating func handle(_ packet: UnsafeMutableRawBufferPointer, header: VirtioNetHeader) {
            if header.isPlain {
                if header.flags & VirtioNetHeader.needsChecksum != 0, !TCPSegmentation.finishChecksum(packet, header: header) {
                    dataPlane.counters.outboundMalformed.add(1, ordering: .relaxed)
                    return
                }
                guard packet.count <= slotPayload else {
                    dataPlane.counters.outboundMalformed.add(1, ordering: .relaxed)
                    return
                }
                let payload = nextPayloadArea()
                payload.baseAddress!.copyMemory(from: packet.baseAddress!, byteCount: packet.count)
                protect(length: packet.count)
            } else if let segments = TCPSegmentation(UnsafeRawBufferPointer(packet), header: header),
                segments.length(ofSegment: 0) <= slotPayload
            {
                for index in 0..<segments.count {
                    let length = segments.writeSegment(index, into: nextPayloadArea())
                    protect(length: length)
                }
            } else {
                dataPlane.counters.outboundMalformed.add(1, ordering: .relaxed)
            }
        }

        mutating func refreshTable() {
            let current = dataPlane.generation.load(ordering: .acquiring)
            guard current != generation else { return }
            generation = current
            table = dataPlane.currentTable
            lastMatch = nil
        }

        var slot: UnsafeMutableRawBufferPointer { buffers.slice(count * slotSize..<(count + 1) * slotSize) }

        /// Where the next packet goes: the payload area of the next free slot.
        func nextPayloadArea() -> UnsafeMutableRawBufferPointer {
            slot.slice(OutboundWorker.headroom..<OutboundWorker.headroom + slotPayload)
        }

        /// Seals the packet of `length` bytes in the next slot's payload area and queues
        /// it; flushes when the batch is full or the socket changes.
        mutating func protect(length: Int) {
            let slot = self.slot
            let payload = UnsafeRawBufferPointer(slot.slice(OutboundWorker.headroom..<OutboundWorker.headroom + length))
            guard let header = InnerIPHeader(payload) else {
                dataPlane.counters.outboundMalformed.add(1, ordering: .relaxed)
                return
            }
            let child: DataPlaneChildSA
            if let lastMatch, lastMatch.carries(header) {
                child = lastMatch
            } else if let found = table.outbound.first(where: { $0.carries(header) }) {
                child = found
                lastMatch = found
            } else {
                dataPlane.counters.outboundNoSA.add(1, ordering: .relaxed)
                return
            }
            let nextHeader: ESPNextHeader = header.isIPv6 ? .ipv6 : .ipv4
            // The path is read with the sequence number it is sealed with (a move changes
            // both under this lock).
            let sealed: Result<(start: Int, length: Int, path: DataPlaneChildSA.Path), ESPError> = child.outbound.withLock {
                outbound in
                let start = OutboundWorker.headroom - outbound.esp.headerLength
                return Result { () throws(ESPError) in
                    let length = try outbound.esp.seal(payload: payload, nextHeader: nextHeader, into: slot.slice(start..<slot.count))
                    return (start, length, outbound.path)
                }
            }
            guard case .success(let sealed) = sealed else {
                dataPlane.counters.outboundSealFailures.add(1, ordering: .relaxed)
                if case .failure(let error) = sealed, error.isRekeyRequired {
                    child.counters.rekeyRequested.store(true, ordering: .relaxed)
                }
                return
            }
            child.counters.packetsOut.add(1, ordering: .relaxed)
            child.counters.bytesOut.add(UInt64(length), ordering: .relaxed)
            if let socket, socket !== sealed.path.socket { flush() }
            socket = sealed.path.socket
            slots[count].buffer = UnsafeMutableRawPointer(slot.baseAddress! + sealed.start)
            slots[count].length = sealed.length
            slots[count].capacity = sealed.length
            slots[count].address = sealed.path.destination.storage
            slots[count].address_length = sealed.path.destination.length
            count += 1
            if count == OutboundWorker.batch { flush() }
        }

        /// Sends the queued packets; waits (briefly) for room rather than drop.
        mutating func flush() {
            defer {
                count = 0
                socket = nil
            }
            guard let socket, count > 0 else { return }
            var offset = 0
            var attempts = 0
            while offset < count, attempts < 64 {
                let sent = cyg_send_batch(socket.fd, slots + offset, Int32(count - offset))
                if sent > 0 {
                    offset += Int(sent)
                } else if sent == -EAGAIN || sent == -ENOBUFS {
                    // The socket's buffer is full: wait for room rather than drop (TCP in
                    // the tunnel backs off on loss much more than on delay).
                    var poller = pollfd(fd: socket.fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&poller, 1, 10)
                    attempts += 1
                } else {
                    // An error for the first datagram (e.g. no route): skip it.
                    dataPlane.counters.sendFailures.add(1, ordering: .relaxed)
                    offset += 1
                }
            }
            if offset < count { dataPlane.counters.sendFailures.add(UInt64(count - offset), ordering: .relaxed) }
        }
    }
}

extension UnsafeMutableRawBufferPointer {
    func slice(_ range: Range<Int>) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: self[range])
    }
}
