/// The Next Header field (RFC 4303 §2.6): an IP protocol number (IANA "Assigned Internet
/// Protocol Numbers"). An open struct, so any value survives a round trip.
public struct ESPNextHeader: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// IPv4 in tunnel mode (IP-in-IP, 4).
    public static let ipv4 = ESPNextHeader(rawValue: 4)
    /// TCP in transport mode (6).
    public static let tcp = ESPNextHeader(rawValue: 6)
    /// UDP in transport mode (17).
    public static let udp = ESPNextHeader(rawValue: 17)
    /// IPv6 in tunnel mode (41).
    public static let ipv6 = ESPNextHeader(rawValue: 41)
    /// ESP itself (50): the protocol of the IP header in front of an ESP packet.
    public static let esp = ESPNextHeader(rawValue: 50)
    /// "No Next Header" (59): a dummy packet for traffic flow confidentiality
    /// (RFC 4303 §2.6), to be discarded by the receiver.
    public static let noNextHeader = ESPNextHeader(rawValue: 59)

    public var description: String {
        switch self {
        case .ipv4: "IPv4"
        case .tcp: "TCP"
        case .udp: "UDP"
        case .ipv6: "IPv6"
        case .esp: "ESP"
        case .noNextHeader: "no next header"
        default: "\(rawValue)"
        }
    }
}
