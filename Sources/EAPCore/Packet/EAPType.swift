/// The Type field of an EAP Request or Response (RFC 3748 §5; IANA "Method Types").
/// Open: an unknown type survives a round trip and prints as its number.
public struct EAPType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// 1, Identity (RFC 3748 §5.1).
    public static let identity = EAPType(rawValue: 1)
    /// 2, Notification (RFC 3748 §5.2).
    public static let notification = EAPType(rawValue: 2)
    /// 3, Legacy Nak, Response only (RFC 3748 §5.3.1).
    public static let nak = EAPType(rawValue: 3)
    /// 4, MD5-Challenge (RFC 3748 §5.4).
    public static let md5Challenge = EAPType(rawValue: 4)
    /// 5, One-Time Password (RFC 3748 §5.5).
    public static let oneTimePassword = EAPType(rawValue: 5)
    /// 6, Generic Token Card (RFC 3748 §5.6).
    public static let genericTokenCard = EAPType(rawValue: 6)
    /// 13, EAP-TLS (RFC 5216).
    public static let tls = EAPType(rawValue: 13)
    /// 21, EAP-TTLS (RFC 5281).
    public static let ttls = EAPType(rawValue: 21)
    /// 25, PEAP.
    public static let peap = EAPType(rawValue: 25)
    /// 26, EAP-MSCHAPv2 (draft-kamath-pppext-eap-mschapv2).
    public static let mschapV2 = EAPType(rawValue: 26)
    /// 254, Expanded Type: a 3-byte Vendor-Id and a 4-byte Vendor-Type follow
    /// (RFC 3748 §5.7).
    public static let expanded = EAPType(rawValue: 254)
    /// 255, Experimental (RFC 3748 §5.8).
    public static let experimental = EAPType(rawValue: 255)

    /// Whether this is a method that authenticates (RFC 3748 §5: types 4 and above),
    /// rather than Identity, Notification or Nak.
    public var isAuthenticationMethod: Bool { rawValue >= 4 }

    public var description: String {
        switch self {
        case .identity: "Identity"
        case .notification: "Notification"
        case .nak: "Nak"
        case .md5Challenge: "MD5-Challenge"
        case .oneTimePassword: "OTP"
        case .genericTokenCard: "GTC"
        case .tls: "TLS"
        case .ttls: "TTLS"
        case .peap: "PEAP"
        case .mschapV2: "MSCHAPv2"
        case .expanded: "Expanded"
        case .experimental: "Experimental"
        default: "type \(rawValue)"
        }
    }
}
