#if canImport(Glibc)
import Glibc
#endif

/// A blocking Unix stream socket for protocol tests that the client API cannot express:
/// half-closing after a request, or sending nothing at all.
struct RawControlSocket {
    let descriptor: Int32

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes.prefix($0.count - 1)) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            _ = Glibc.close(descriptor)
            throw ControlFixtures.FixtureError("connect \(path): errno \(errno)")
        }
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    /// Half-closes: the server sees the end of the request.
    func finishWriting() { shutdown(descriptor, Int32(SHUT_WR)) }

    /// Everything until the server closes, or `nil` if it keeps the connection open
    /// longer than `limit` milliseconds.
    func readToEnd(limit milliseconds: Int32 = 5_000) -> [UInt8]? {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, milliseconds) == 1 else { return nil }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { return received }
            received += chunk[0..<count]
        }
    }

    func close() { _ = Glibc.close(descriptor) }
}
