import CCygnetNet
import Glibc

/// Asks the kernel about routes over a NETLINK_ROUTE socket of its own (no multicast
/// groups): which route it takes toward a destination (RTM_GETROUTE), and the whole
/// routing table when that answer leaves by the TUN device (``SourceSelection``).
/// Blocking calls, each waiting at most ``timeoutMilliseconds``; for the address
/// monitor's thread, never an event loop.
struct RouteLookup: ~Copyable {
    static let timeoutMilliseconds: Int32 = 1000
    private let fd: Int32
    private var sequence: UInt32 = 0
    private var buffer = [UInt8](repeating: 0, count: 65_536)

    init() throws(DaemonError) {
        let fd = cyg_netlink_open(0)
        guard fd >= 0 else { throw DaemonError("cannot open a netlink socket for route lookups: \(PacketSocket.errorText(-fd))") }
        self.fd = fd
    }

    deinit { _ = Glibc.close(fd) }

    /// The source the host uses toward `destination` with the addresses `addresses`, or
    /// `nil` when no route usable for IKE reaches it.
    mutating func source(toward destination: [UInt8], addresses: LocalAddressTable) -> [UInt8]? {
        let kernel = route(toward: destination)
        if let source = SourceSelection.source(toward: destination, kernel: kernel, routes: [], addresses: addresses) {
            return source
        }
        // The kernel's route leaves by the TUN device or names no usable source: the
        // main table's, read now.
        return SourceSelection.source(toward: destination, kernel: nil, routes: routes(), addresses: addresses)
    }

    /// The kernel's route toward `destination` (RTM_GETROUTE with RTA_DST), `nil` when it
    /// has none or does not answer.
    mutating func route(toward destination: [UInt8]) -> RoutingMessage.Route? {
        sequence &+= 1
        let sent = destination.withUnsafeBufferPointer {
            cyg_netlink_route_get(fd, $0.baseAddress, Int32(destination.count), sequence)
        }
        return sent == 0 ? receiveRoutes(untilDone: false).first : nil
    }

    /// Every route of every table (a dump).
    mutating func routes() -> [RoutingMessage.Route] {
        sequence &+= 1
        return cyg_netlink_dump(fd, Int32(CYG_RTM_GETROUTE), sequence) == 0 ? receiveRoutes(untilDone: true) : []
    }

    /// The routes answering the current sequence number: up to the end of the dump
    /// (`untilDone`) or the first one, an error ending either; what a read that times out
    /// or fails leaves.
    private mutating func receiveRoutes(untilDone: Bool) -> [RoutingMessage.Route] {
        var routes: [RoutingMessage.Route] = []
        while true {
            let length = buffer.withUnsafeMutableBufferPointer {
                Int(cyg_netlink_receive(fd, $0.baseAddress, Int32($0.count), Self.timeoutMilliseconds))
            }
            guard length > 0 else { return routes }
            for (message, sequence) in RoutingMessage.parse(Array(buffer.prefix(length))) where sequence == self.sequence {
                switch message {
                case .newRoute(let route):
                    routes.append(route)
                    if !untilDone { return routes }
                case .error, .done:
                    return routes
                case .newAddress, .deletedAddress, .deletedRoute, .other:
                    break
                }
            }
        }
    }
}
