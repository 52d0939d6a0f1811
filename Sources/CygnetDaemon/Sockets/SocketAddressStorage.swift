import CCygnetNet
import IKECore

/// A `sockaddr_in`/`sockaddr_in6` in a `sockaddr_storage`, made once per SA so the
/// packet path copies it rather than building it. (The C shim builds and reads it: the
/// Glibc structs resolve to different modules between builds under
/// MemberImportVisibility.)
struct SocketAddressStorage: @unchecked Sendable {
    var storage = sockaddr_storage()
    var length: socklen_t = 0

    init(_ endpoint: IKEEndpointAddress) {
        length = endpoint.address.withUnsafeBufferPointer { address in
            cyg_sockaddr_make(&storage, address.baseAddress, Int32(address.count), endpoint.port)
        }
    }

    /// The address a datagram came from, as the engine takes it.
    static func endpoint(of storage: sockaddr_storage) -> IKEEndpointAddress? {
        var storage = storage
        var bytes = [UInt8](repeating: 0, count: 16)
        var port: UInt16 = 0
        let length = Int(cyg_sockaddr_parse(&storage, &bytes, &port))
        guard length > 0 else { return nil }
        return IKEEndpointAddress(address: Array(bytes.prefix(length)), port: port)
    }
}
