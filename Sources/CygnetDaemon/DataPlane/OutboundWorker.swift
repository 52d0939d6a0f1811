import CCygnetNet
import ESPCore
import Glibc
import Synchronization

/// The outbound thread: reads packets from the TUN device in batches, finds each one's
/// Child SA by selectors, seals it in place and sends the batch with one `sendmmsg`.
/// Its buffers are allocated once; the packet path allocates nothing.
struct OutboundWorker {
    let dataPlane: DataPlane
    /// Room before the payload for the ESP header and IV, and after it for padding and ICV.
    static let headroom = 64
    static let tailroom = 320

    func run() {
        guard let tun = dataPlane.tun else { return }
        let batch = 32
        let slotSize = Self.headroom + max(tun.mtu, 1280) + Self.tailroom
        let buffers = UnsafeMutableRawBufferPointer.allocate(byteCount: batch * slotSize, alignment: 64)
        let slots = UnsafeMutablePointer<cyg_datagram>.allocate(capacity: batch)
        defer {
            buffers.deallocate()
            slots.deallocate()
        }
        var table = dataPlane.currentTable
        var generation = dataPlane.generation.load(ordering: .acquiring)
        var poller = pollfd(fd: tun.fd, events: Int16(POLLIN), revents: 0)
        var lastMatch: DataPlaneChildSA?

        while dataPlane.isRunning.load(ordering: .relaxed) {
            guard poll(&poller, 1, 200) > 0 else { continue }
            let current = dataPlane.generation.load(ordering: .acquiring)
            if current != generation {
                generation = current
                table = dataPlane.currentTable
                lastMatch = nil
            }
            var count = 0
            var batchSocket: PacketSocket?
            for index in 0..<batch {
                let slot = buffers.slice(index * slotSize..<(index + 1) * slotSize)
                let payloadArea = slot.slice(Self.headroom..<Self.headroom + max(tun.mtu, 1280) + Self.tailroom / 2)
                let length = read(tun.fd, payloadArea.baseAddress, payloadArea.count)
                guard length > 0 else { break }
                let payload = UnsafeRawBufferPointer(payloadArea.slice(0..<length))
                guard let header = InnerIPHeader(payload) else {
                    dataPlane.counters.outboundMalformed.add(1, ordering: .relaxed)
                    continue
                }
                let child: DataPlaneChildSA
                if let lastMatch, lastMatch.carries(header) {
                    child = lastMatch
                } else if let found = table.outbound.first(where: { $0.carries(header) }) {
                    child = found
                    lastMatch = found
                } else {
                    dataPlane.counters.outboundNoSA.add(1, ordering: .relaxed)
                    continue
                }
                let nextHeader: ESPNextHeader = header.isIPv6 ? .ipv6 : .ipv4
                let sealed: (start: Int, length: Int)? = child.outbound.withLock { esp in
                    let start = Self.headroom - esp.headerLength
                    let output = slot.slice(start..<slot.count)
                    guard let length = try? esp.seal(payload: payload, nextHeader: nextHeader, into: output) else { return nil }
                    return (start, length)
                }
                guard let sealed else {
                    dataPlane.counters.outboundSealFailures.add(1, ordering: .relaxed)
                    continue
                }
                child.counters.packetsOut.add(1, ordering: .relaxed)
                child.counters.bytesOut.add(UInt64(length), ordering: .relaxed)
                if let socket = batchSocket, socket !== child.socket {
                    flush(slots, count: count, socket: socket)
                    count = 0
                }
                batchSocket = child.socket
                slots[count].buffer = UnsafeMutableRawPointer(slot.baseAddress! + sealed.start)
                slots[count].length = sealed.length
                slots[count].capacity = sealed.length
                slots[count].address = child.destination.storage
                slots[count].address_length = child.destination.length
                count += 1
            }
            if let batchSocket, count > 0 { flush(slots, count: count, socket: batchSocket) }
        }
    }

    private func flush(_ slots: UnsafeMutablePointer<cyg_datagram>, count: Int, socket: PacketSocket) {
        var offset = 0
        var attempts = 0
        while offset < count, attempts < 64 {
            let sent = cyg_send_batch(socket.fd, slots + offset, Int32(count - offset))
            if sent > 0 {
                offset += Int(sent)
            } else if sent == -EAGAIN || sent == -ENOBUFS {
                // The socket's buffer is full: wait for room rather than drop (TCP in the
                // tunnel backs off on loss much more than on delay).
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

extension UnsafeMutableRawBufferPointer {
    func slice(_ range: Range<Int>) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: self[range])
    }
}
