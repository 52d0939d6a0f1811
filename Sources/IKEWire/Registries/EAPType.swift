/// EAP method types (IANA "Method Types"; RFC 3748 §5).
public struct EAPType: IANARegistry {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt8

    public static let identity: EAPType = 1
    public static let notification: EAPType = 2
    public static let nak: EAPType = 3
    public static let md5Challenge: EAPType = 4
    public static let tls: EAPType = 13
    public static let mschapv2: EAPType = 26
    /// Expanded Type: a 3-byte Vendor-Id and a 4-byte Vendor-Type follow (RFC 3748 §5.7).
    public static let expanded: EAPType = 254

    public static let names: [UInt8: String] = [
        1: "Identity", 2: "Notification", 3: "Legacy Nak", 4: "MD5-Challenge", 5: "One-Time Password (OTP)",
        6: "Generic Token Card (GTC)", 13: "EAP-TLS", 18: "EAP-SIM", 21: "EAP-TTLS", 23: "EAP-AKA",
        25: "PEAP", 26: "EAP-MSCHAP-V2", 43: "EAP-FAST", 49: "EAP-IKEv2", 50: "EAP-AKA'", 52: "EAP-pwd",
        254: "Expanded Type",
    ]
}
