import CCygnetNet
import Foundation
import Glibc
import Logging
import Synchronization

/// Watches the host's addresses and routes through rtnetlink (rtnetlink(7): a
/// NETLINK_ROUTE socket in the IPv4 and IPv6 address and route groups), on a thread of
/// its own. It reads the addresses once (a dump), then every RTM_NEWADDR, RTM_DELADDR,
/// RTM_NEWROUTE and RTM_DELROUTE; a burst of changes (an interface going down takes its
/// addresses and routes in many messages) is coalesced: `changed` runs on this thread
/// ``settle`` after the last one, with the addresses as they are then. It also runs once
/// after the first dump. Lost notifications (ENOBUFS) are made up for by a new dump.
final class AddressMonitor: Sendable {
    /// How long the table must stay still before `changed` runs.
    static let settle: Duration = .milliseconds(150)

    private let fd: Int32
    private let isRunning = Atomic<Bool>(true)
    private let stopped = DispatchGroup()

    /// Opens the socket and starts the thread; `excludedInterface` is the TUN device's
    /// name (its addresses are never IKE's).
    init(
        excludedInterface: String?, logger: Logger,
        changed: @escaping @Sendable (LocalAddressTable) -> Void
    ) throws(DaemonError) {
        let fd = cyg_netlink_open(cyg_netlink_address_route_groups())
        guard fd >= 0 else { throw DaemonError("cannot watch addresses through rtnetlink: \(PacketSocket.errorText(-fd))") }
        self.fd = fd
        let excluded = excludedInterface.map { if_nametoindex($0) }.flatMap { $0 == 0 ? nil : $0 }
        stopped.enter()
        let thread = Thread { [self] in
            run(excluded: excluded, logger: logger, changed: changed)
            stopped.leave()
        }
        thread.name = "cygnet-addresses"
        thread.start()
    }

    private func run(excluded: UInt32?, logger: Logger, changed: (LocalAddressTable) -> Void) {
        var table = LocalAddressTable(excludedInterface: excluded)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var sequence: UInt32 = 1
        var due: ContinuousClock.Instant?
        if cyg_netlink_dump(fd, Int32(CYG_RTM_GETADDR), sequence) != 0 { logger.error("cannot read the addresses through rtnetlink") }
        while isRunning.load(ordering: .relaxed) {
            let wait = due.map { max(0, Int32(($0 - .now) / .milliseconds(1)) + 1) } ?? 200
            let length = buffer.withUnsafeMutableBufferPointer {
                Int(cyg_netlink_receive(fd, $0.baseAddress, Int32($0.count), min(wait, 200)))
            }
            if length == -Int(ENOBUFS) {
                // Notifications were lost: read everything again.
                logger.notice("rtnetlink notifications lost; reading the addresses again")
                sequence &+= 1
                table = LocalAddressTable(excludedInterface: excluded)
                _ = cyg_netlink_dump(fd, Int32(CYG_RTM_GETADDR), sequence)
            } else if length > 0 {
                for (message, messageSequence) in RoutingMessage.parse(Array(buffer.prefix(length))) {
                    let isDumpEnd = message == .done && messageSequence == sequence
                    if table.apply(message) || isDumpEnd { due = due ?? .now + Self.settle }
                }
            } else if length < 0 {
                logger.error("rtnetlink: \(PacketSocket.errorText(Int32(-length)))")
                Thread.sleep(forTimeInterval: 0.2)
            }
            if let deadline = due, ContinuousClock.now >= deadline {
                due = nil
                changed(table)
            }
        }
    }

    /// Stops the thread (after the `changed` in progress) and closes the socket.
    func stop() {
        isRunning.store(false, ordering: .releasing)
        stopped.wait()
        _ = Glibc.close(fd)
    }
}
