/// IKEv2 Authentication Methods (IANA; RFC 7296 §3.8, RFC 4754, RFC 7427, RFC 7619).
public struct AuthenticationMethod: IANARegistry {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt8

    public static let rsaDigitalSignature: AuthenticationMethod = 1
    public static let sharedKeyMIC: AuthenticationMethod = 2
    public static let dssDigitalSignature: AuthenticationMethod = 3
    public static let ecdsaSHA256P256: AuthenticationMethod = 9
    public static let ecdsaSHA384P384: AuthenticationMethod = 10
    public static let ecdsaSHA512P521: AuthenticationMethod = 11
    public static let genericSecurePassword: AuthenticationMethod = 12
    public static let null: AuthenticationMethod = 13
    public static let digitalSignature: AuthenticationMethod = 14

    public static let names: [UInt8: String] = [
        1: "RSA Digital Signature", 2: "Shared Key Message Integrity Code", 3: "DSS Digital Signature",
        9: "ECDSA with SHA-256 on the P-256 curve", 10: "ECDSA with SHA-384 on the P-384 curve",
        11: "ECDSA with SHA-512 on the P-521 curve", 12: "Generic Secure Password Authentication Method",
        13: "NULL Authentication", 14: "Digital Signature",
    ]
}
