import IKEWire

/// One end of a captured UDP datagram: an IPv4 or IPv6 address and a port.
public struct CaptureEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public var address: [UInt8]
    public var port: UInt16

    public init(address: [UInt8], port: UInt16) {
        self.address = address
        self.port = port
    }

    /// The address in text form: dotted quad, or RFC 5952 IPv6 text.
    public var addressText: String { IPAddressText.format(address) }

    /// `192.0.2.1:500` or `[2001:db8::1]:500`.
    public var description: String {
        address.count == 16 ? "[\(addressText)]:\(port)" : "\(addressText):\(port)"
    }
}
