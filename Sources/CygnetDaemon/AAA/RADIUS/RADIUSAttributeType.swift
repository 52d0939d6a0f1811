/// The Type of a RADIUS attribute (RFC 2865 §5, IANA "RADIUS Attribute Types"): an open
/// set, so attributes Cygnet does not know survive decoding.
public struct RADIUSAttributeType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// User-Name (RFC 2865 §5.1).
    public static let userName = RADIUSAttributeType(rawValue: 1)
    /// NAS-IP-Address (RFC 2865 §5.4): 4 octets.
    public static let nasIPAddress = RADIUSAttributeType(rawValue: 4)
    /// NAS-Port (RFC 2865 §5.5): 4 octets.
    public static let nasPort = RADIUSAttributeType(rawValue: 5)
    /// Service-Type (RFC 2865 §5.6): 4 octets, ``RADIUSAttribute/serviceTypeFramed``.
    public static let serviceType = RADIUSAttributeType(rawValue: 6)
    /// Framed-IP-Address (RFC 2865 §5.8): 4 octets, the address to give the user.
    public static let framedIPAddress = RADIUSAttributeType(rawValue: 8)
    /// Framed-MTU (RFC 2865 §5.12): 4 octets.
    public static let framedMTU = RADIUSAttributeType(rawValue: 12)
    /// Reply-Message (RFC 2865 §5.18).
    public static let replyMessage = RADIUSAttributeType(rawValue: 18)
    /// State (RFC 2865 §5.24): sent back unmodified in the next Access-Request.
    public static let state = RADIUSAttributeType(rawValue: 24)
    /// Class (RFC 2865 §5.25): kept and sent in accounting.
    public static let `class` = RADIUSAttributeType(rawValue: 25)
    /// Vendor-Specific (RFC 2865 §5.26): a 4-octet vendor ID, then the vendor's data.
    public static let vendorSpecific = RADIUSAttributeType(rawValue: 26)
    /// Session-Timeout (RFC 2865 §5.27): 4 octets, seconds.
    public static let sessionTimeout = RADIUSAttributeType(rawValue: 27)
    /// Called-Station-Id (RFC 2865 §5.30).
    public static let calledStationID = RADIUSAttributeType(rawValue: 30)
    /// Calling-Station-Id (RFC 2865 §5.31).
    public static let callingStationID = RADIUSAttributeType(rawValue: 31)
    /// NAS-Identifier (RFC 2865 §5.32).
    public static let nasIdentifier = RADIUSAttributeType(rawValue: 32)
    /// Acct-Session-Id (RFC 2866 §5.5).
    public static let acctSessionID = RADIUSAttributeType(rawValue: 44)
    /// NAS-Port-Type (RFC 2865 §5.41): 4 octets, ``RADIUSAttribute/nasPortTypeVirtual``.
    public static let nasPortType = RADIUSAttributeType(rawValue: 61)
    /// EAP-Message (RFC 3579 §3.1): one piece of an EAP packet, at most 253 octets.
    public static let eapMessage = RADIUSAttributeType(rawValue: 79)
    /// Message-Authenticator (RFC 3579 §3.2): HMAC-MD5 of the packet, 16 octets.
    public static let messageAuthenticator = RADIUSAttributeType(rawValue: 80)
    /// NAS-Port-Id (RFC 2869 §5.17).
    public static let nasPortID = RADIUSAttributeType(rawValue: 87)
    /// NAS-IPv6-Address (RFC 3162 §2.1): 16 octets.
    public static let nasIPv6Address = RADIUSAttributeType(rawValue: 95)

    public var description: String {
        switch self {
        case .userName: "User-Name"
        case .nasIPAddress: "NAS-IP-Address"
        case .nasPort: "NAS-Port"
        case .serviceType: "Service-Type"
        case .framedIPAddress: "Framed-IP-Address"
        case .framedMTU: "Framed-MTU"
        case .replyMessage: "Reply-Message"
        case .state: "State"
        case .class: "Class"
        case .vendorSpecific: "Vendor-Specific"
        case .sessionTimeout: "Session-Timeout"
        case .calledStationID: "Called-Station-Id"
        case .callingStationID: "Calling-Station-Id"
        case .nasIdentifier: "NAS-Identifier"
        case .acctSessionID: "Acct-Session-Id"
        case .nasPortType: "NAS-Port-Type"
        case .eapMessage: "EAP-Message"
        case .messageAuthenticator: "Message-Authenticator"
        case .nasPortID: "NAS-Port-Id"
        case .nasIPv6Address: "NAS-IPv6-Address"
        default: "attribute \(rawValue)"
        }
    }
}
