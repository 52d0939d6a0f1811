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
        guard sent == 0 else { return nil }
        var answer: RoutingMessage.Route?
        receive { message in
            switch message {
            case .newRoute(let route):
                answer = route
                return true
            case .error, .done:
                return true
            case .newAddress, .deletedAddress, .deletedRoute, .other:
                return false
            }
        }
        return answer
    }

    /// Every route of every table (a dump).
    mutating func routes() -> [RoutingMessage.Route] {
        sequence &+= 1
        guard cyg_netlink_dump(fd, Int32(CYG_RTM_GETROUTE), sequence) == 0 else { return [] }
        var routes: [RoutingMessage.Route] = []
        receive { message in
            switch message {
            case .newRoute(let route):
                routes.append(route)
                return false
            case .error, .done:
                return true
            case .newAddress, .deletedAddress, .deletedRoute, .other:
                return false
            }
        }
        return routes
    }

    /// Reads the messages answering the current sequence number until `handle` says the
    /// answer is complete, or until a read times out or fails.
    private mutating func receive(_ handle: (RoutingMessage) -> Bool) {
        let expected = sequence
        while true {
            let length = buffer.withUnsafeMutableBufferPointer {
                Int(cyg_netlink_receive(fd, $0.baseAddress, Int32($0.count), Self.timeoutMilliseconds))
            }
            guard length > 0 else { return }
            for (message, sequence) in RoutingMessage.parse(Array(buffer.prefix(length))) where sequence == expected {
                if handle(message) { return }
            }
        }
    }
}
