import CygnetHostSupport
import CCygnetNet
import Glibc
import Synchronization

/// Receives datagrams from a set of sockets in batches (`recvmmsg`) on the calling thread,
/// into buffers allocated once, until `isRunning` turns false. The NAT-T port's thread
/// and the data plane's raw ESP thread both run one.
struct BatchReceiver: ~Copyable {
    /// Datagrams one `recvmmsg` takes.
    static let batch = 32
    /// The largest UDP payload, and room for an IPv4 header on raw sockets.
    static let slotSize = 65_536 + 64

    let sockets: [PacketSocket]
    private let buffers: UnsafeMutableRawBufferPointer
    private let slots: UnsafeMutablePointer<cyg_datagram>

    init(sockets: [PacketSocket]) {
        self.sockets = sockets
        buffers = .allocate(byteCount: Self.batch * Self.slotSize, alignment: 64)
        slots = .allocate(capacity: Self.batch)
    }

    deinit {
        buffers.deallocate()
        slots.deallocate()
    }

    /// Hands every datagram to `receive` (its bytes, which it may change in place, the
    /// sender's address and the socket), and calls `endOfBatch` after each batch: the
    /// buffers are reused by the next receive. A datagram cut by the slot size goes to
    /// `truncated` instead. Returns when `isRunning` turns false or, checked at least
    /// every 200 ms, `isStale` says the set of sockets changed.
    func run(
        while isRunning: borrowing Atomic<Bool>, until isStale: () -> Bool = { false },
        receive: (UnsafeMutableRawBufferPointer, sockaddr_storage, PacketSocket) -> Void,
        endOfBatch: () -> Void, truncated: () -> Void
    ) {
        var pollers = sockets.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        while isRunning.load(ordering: .relaxed), !isStale() {
            // Without sockets this only waits.
            guard poll(&pollers, nfds_t(pollers.count), 200) > 0 else { continue }
            for (index, socket) in sockets.enumerated() where pollers[index].revents & Int16(POLLIN) != 0 {
                for slot in 0..<Self.batch {
                    slots[slot].buffer = buffers.baseAddress! + slot * Self.slotSize
                    slots[slot].capacity = Self.slotSize
                }
                let received = cyg_recv_batch(socket.fd, slots, Int32(Self.batch), 0)
                guard received > 0 else { continue }
                for slot in 0..<Int(received) {
                    let length = slots[slot].length
                    guard length <= Self.slotSize else {
                        truncated()
                        continue
                    }
                    receive(UnsafeMutableRawBufferPointer(start: slots[slot].buffer, count: length), slots[slot].address, socket)
                }
                endOfBatch()
            }
        }
    }
}
