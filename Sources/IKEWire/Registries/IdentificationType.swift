/// IKEv2 Identification Payload ID Types (IANA; RFC 7296 §3.5).
public struct IdentificationType: IANARegistry {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt8

    public static let ipv4Address: IdentificationType = 1
    public static let fqdn: IdentificationType = 2
    public static let rfc822Address: IdentificationType = 3
    public static let ipv6Address: IdentificationType = 5
    public static let derASN1DN: IdentificationType = 9
    public static let derASN1GN: IdentificationType = 10
    public static let keyID: IdentificationType = 11
    public static let fcName: IdentificationType = 12
    public static let null: IdentificationType = 13

    public static let names: [UInt8: String] = [
        1: "ID_IPV4_ADDR", 2: "ID_FQDN", 3: "ID_RFC822_ADDR", 5: "ID_IPV6_ADDR", 9: "ID_DER_ASN1_DN",
        10: "ID_DER_ASN1_GN", 11: "ID_KEY_ID", 12: "ID_FC_NAME", 13: "ID_NULL",
    ]
}
