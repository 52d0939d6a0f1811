import IKEWire

/// An IP address and UDP port, as the host saw them on a datagram. Plain bytes, so the
/// engine does no I/O and needs no socket types.
public struct IKEEndpointAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6, network order.
    public var address: [UInt8]
    public var port: UInt16

    public init(address: [UInt8], port: UInt16) {
        self.address = address
        self.port = port
    }

    /// An IPv4 address from dotted text; `nil` if the text is not one.
    public init?(ipv4 text: String, port: UInt16) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        guard parts.count == 4 else { return nil }
        self.init(address: parts, port: port)
    }

    /// `192.0.2.1:500`, `[2001:db8::1]:4500` (RFC 5952 text).
    public var description: String {
        address.count == 4 ? "\(IPAddressText.format(address)):\(port)" : "[\(IPAddressText.format(address))]:\(port)"
    }
}
