/// IKEv2 Traffic Selector Types (IANA; RFC 7296 §3.13.1).
public struct TrafficSelectorType: IANARegistry {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt8

    public static let ipv4AddressRange: TrafficSelectorType = 7
    public static let ipv6AddressRange: TrafficSelectorType = 8

    public static let names: [UInt8: String] = [
        7: "TS_IPV4_ADDR_RANGE", 8: "TS_IPV6_ADDR_RANGE", 9: "TS_FC_ADDR_RANGE", 10: "TS_SECLABEL",
    ]

    /// The address length, in bytes, of the address-range types; `nil` for others.
    public var addressLength: Int? {
        switch self {
        case .ipv4AddressRange: 4
        case .ipv6AddressRange: 16
        default: nil
        }
    }
}
