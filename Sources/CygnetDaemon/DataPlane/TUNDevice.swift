import CCygnetNet
import Glibc

/// The TUN interface packets enter and leave the tunnel by: IP packets behind a
/// ``VirtioNetHeader`` (IFF_TUN | IFF_NO_PI | IFF_VNET_HDR, with TCP segmentation and
/// checksums offloaded to us), one `read` or `write` per packet; written packets go
/// through NAPI and GRO (IFF_NAPI).
final class TUNDevice: Sendable {
    let name: String
    let mtu: Int
    let fd: Int32

    /// Packets the kernel queues for us to read (the default of 500 drops under bursts).
    static let transmitQueueLength: Int32 = 4096

    /// Creates (or attaches to) TUN interface `name`, sets its MTU and brings it up.
    init(name: String, mtu: Int) throws(DaemonError) {
        var actual = [CChar](repeating: 0, count: 16)
        let fd = cyg_tun_open(name, &actual, 1)
        guard fd >= 0 else {
            throw DaemonError(
                "cannot create TUN device '\(name)': \(PacketSocket.errorText(-fd)) (needs root or CAP_NET_ADMIN and /dev/net/tun; "
                    + "`data_plane = no` in the cygnet { } section runs without one)")
        }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let actualName = String(decoding: actual.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let up = cyg_interface_up(actualName, Int32(mtu), Self.transmitQueueLength)
        guard up == 0 else {
            Glibc.close(fd)
            throw DaemonError("cannot set MTU \(mtu) and bring up '\(actualName)': \(PacketSocket.errorText(-up))")
        }
        self.name = actualName
        self.mtu = mtu
        self.fd = fd
    }

    func close() { _ = Glibc.close(fd) }
}
