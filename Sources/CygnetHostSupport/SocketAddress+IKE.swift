import IKECore
import NIOCore

extension SocketAddress {
    /// The address as the engine sees it: raw bytes and port; `nil` for Unix sockets.
    public var ikeEndpoint: IKEEndpointAddress? {
        guard let port else { return nil }
        // The address bytes inside the sockaddr: sin_addr at offset 4, sin6_addr at 8.
        let range: Range<Int>
        switch self {
        case .v4: range = 4..<8
        case .v6: range = 8..<24
        case .unixDomainSocket: return nil
        }
        let bytes = withSockAddr { pointer, length in
            length >= range.upperBound
                ? Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(pointer), count: length)[range]) : []
        }
        return bytes.isEmpty ? nil : IKEEndpointAddress(address: bytes, port: UInt16(port))
    }

    /// The socket address of an engine address.
    public init(_ endpoint: IKEEndpointAddress) throws {
        self = try SocketAddress(packedIPAddress: ByteBuffer(bytes: endpoint.address), port: Int(endpoint.port))
    }
}
