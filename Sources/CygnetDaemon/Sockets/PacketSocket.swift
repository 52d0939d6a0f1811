import CCygnetNet
import Glibc
import IKECore
import Synchronization

/// A socket of the data plane: UDP on the NAT-T port, shared by IKE (behind the
/// non-ESP marker) and ESP (RFC 3948 §2.2), or a raw socket for IP protocol 50
/// (ESP without UDP encapsulation). File descriptors, not SwiftNIO channels, so the
/// packet path reads and writes in batches without allocating. The descriptor is closed
/// by ``close()`` or, at the latest, when the last reference goes: a socket of an address
/// that went away stays open while a Child SA's path or a receiving thread still holds
/// it, so its number is never reused under them.
final class PacketSocket: Sendable {
    enum Kind: Hashable, Sendable {
        /// UDP bound to this local address and port.
        case udp(IKEEndpointAddress)
        /// Raw ESP of one family; IPv4 raw sockets deliver the IP header too.
        case rawESP(isIPv6: Bool)
    }

    let kind: Kind
    let fd: Int32
    private let isClosed = Atomic<Bool>(false)

    private init(kind: Kind, fd: Int32) {
        self.kind = kind
        self.fd = fd
    }

    /// Binds a UDP socket to `local` (address and port).
    static func udp(_ local: IKEEndpointAddress) throws(DaemonError) -> PacketSocket {
        let family = local.address.count == 4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw DaemonError("cannot open a UDP socket for \(local): \(Self.errorText(errno))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if family == AF_INET6 { setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size)) }
        setBufferSizes(fd)
        var address = SocketAddressStorage(local)
        let bound = withUnsafePointer(to: &address.storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, address.length) }
        }
        guard bound == 0 else {
            let error = errno
            Glibc.close(fd)
            throw DaemonError("cannot bind UDP \(local): \(Self.errorText(error))")
        }
        return PacketSocket(kind: .udp(local), fd: fd)
    }

    /// A raw socket for ESP (IP protocol 50) of one family; needs CAP_NET_RAW.
    static func rawESP(isIPv6: Bool) throws(DaemonError) -> PacketSocket {
        let fd = socket(
            isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue),
            50)
        guard fd >= 0 else {
            throw DaemonError("cannot open a raw ESP socket (\(isIPv6 ? "IPv6" : "IPv4")): \(Self.errorText(errno)); run as root")
        }
        setBufferSizes(fd)
        return PacketSocket(kind: .rawESP(isIPv6: isIPv6), fd: fd)
    }

    /// Socket buffers of 4 MiB each way, so a burst waits rather than drops: beyond
    /// `net.core.rmem_max` with CAP_NET_ADMIN (the *FORCE options), else as much as the
    /// system allows.
    private static func setBufferSizes(_ fd: Int32) {
        var size: Int32 = 4 << 20
        let length = socklen_t(MemoryLayout<Int32>.size)
        if setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, length) != 0 { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, length) }
        if setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, length) != 0 { setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, length) }
    }

    /// Sends one datagram (IKE, keepalives: the cold path).
    func send(_ bytes: UnsafeRawBufferPointer, to destination: SocketAddressStorage) -> Bool {
        var address = destination
        let sent = withUnsafePointer(to: &address.storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT), $0, address.length)
            }
        }
        return sent == bytes.count
    }

    /// The port the socket is bound to (the kernel's pick when bound to port 0).
    var localPort: UInt16? {
        let port = cyg_local_port(fd)
        return port >= 0 ? UInt16(port) : nil
    }

    func close() {
        if !isClosed.exchange(true, ordering: .acquiringAndReleasing) { _ = Glibc.close(fd) }
    }

    deinit { close() }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }
}
