import CCygnetNet
import Glibc
import IKECore

/// A `sockaddr_in`/`sockaddr_in6` in a `sockaddr_storage`, made once per SA so the
/// packet path copies it rather than building it.
struct SocketAddressStorage: @unchecked Sendable {
    var storage = sockaddr_storage()
    var length: socklen_t = 0

    init() {}

    init(_ endpoint: IKEEndpointAddress) {
        withUnsafeMutableBytes(of: &storage) { raw in
            if endpoint.address.count == 4 {
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = endpoint.port.bigEndian
                withUnsafeMutableBytes(of: &address.sin_addr) { $0.copyBytes(from: endpoint.address) }
                raw.storeBytes(of: address, as: sockaddr_in.self)
                length = socklen_t(MemoryLayout<sockaddr_in>.size)
            } else {
                var address = sockaddr_in6()
                address.sin6_family = sa_family_t(AF_INET6)
                address.sin6_port = endpoint.port.bigEndian
                withUnsafeMutableBytes(of: &address.sin6_addr) { $0.copyBytes(from: endpoint.address.prefix(16)) }
                raw.storeBytes(of: address, as: sockaddr_in6.self)
                length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            }
        }
    }

    /// The address a datagram came from, as the engine takes it.
    static func endpoint(of storage: sockaddr_storage) -> IKEEndpointAddress? {
        withUnsafeBytes(of: storage) { raw in
            switch Int32(storage.ss_family) {
            case AF_INET:
                let address = raw.load(as: sockaddr_in.self)
                let bytes = withUnsafeBytes(of: address.sin_addr) { Array($0) }
                return IKEEndpointAddress(address: bytes, port: UInt16(bigEndian: address.sin_port))
            case AF_INET6:
                let address = raw.load(as: sockaddr_in6.self)
                let bytes = withUnsafeBytes(of: address.sin6_addr) { Array($0) }
                return IKEEndpointAddress(address: bytes, port: UInt16(bigEndian: address.sin6_port))
            default:
                return nil
            }
        }
    }
}
