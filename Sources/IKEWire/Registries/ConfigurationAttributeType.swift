/// IKEv2 Configuration Payload Attribute Types (IANA; RFC 7296 §3.15.1 and later RFCs).
public struct ConfigurationAttributeType: IANARegistry {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt16

    public static let internalIP4Address: ConfigurationAttributeType = 1
    public static let internalIP4Netmask: ConfigurationAttributeType = 2
    public static let internalIP4DNS: ConfigurationAttributeType = 3
    public static let internalIP4NBNS: ConfigurationAttributeType = 4
    public static let internalIP4DHCP: ConfigurationAttributeType = 6
    public static let applicationVersion: ConfigurationAttributeType = 7
    public static let internalIP6Address: ConfigurationAttributeType = 8
    public static let internalIP6DNS: ConfigurationAttributeType = 10
    public static let internalIP6DHCP: ConfigurationAttributeType = 12
    public static let internalIP4Subnet: ConfigurationAttributeType = 13
    public static let supportedAttributes: ConfigurationAttributeType = 14
    public static let internalIP6Subnet: ConfigurationAttributeType = 15
    public static let internalDNSDomain: ConfigurationAttributeType = 25

    public static let names: [UInt16: String] = [
        1: "INTERNAL_IP4_ADDRESS", 2: "INTERNAL_IP4_NETMASK", 3: "INTERNAL_IP4_DNS",
        4: "INTERNAL_IP4_NBNS", 6: "INTERNAL_IP4_DHCP", 7: "APPLICATION_VERSION",
        8: "INTERNAL_IP6_ADDRESS", 10: "INTERNAL_IP6_DNS", 12: "INTERNAL_IP6_DHCP",
        13: "INTERNAL_IP4_SUBNET", 14: "SUPPORTED_ATTRIBUTES", 15: "INTERNAL_IP6_SUBNET",
        16: "MIP6_HOME_PREFIX", 17: "INTERNAL_IP6_LINK", 18: "INTERNAL_IP6_PREFIX",
        19: "HOME_AGENT_ADDRESS", 20: "P_CSCF_IP4_ADDRESS", 21: "P_CSCF_IP6_ADDRESS", 22: "FTT_KAT",
        23: "EXTERNAL_SOURCE_IP4_NAT_INFO", 24: "TIMEOUT_PERIOD_FOR_LIVENESS_CHECK",
        25: "INTERNAL_DNS_DOMAIN", 26: "INTERNAL_DNSSEC_TA",
    ]
}
