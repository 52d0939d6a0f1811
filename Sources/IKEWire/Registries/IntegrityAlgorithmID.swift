/// Transform Type 3, Integrity Algorithm Transform IDs (IANA; RFC 7296 §3.3.2).
public struct IntegrityAlgorithmID: IANARegistry {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt16

    public static let none: IntegrityAlgorithmID = 0
    public static let hmacSHA1_96: IntegrityAlgorithmID = 2
    public static let aesXCBC96: IntegrityAlgorithmID = 5
    public static let aesCMAC96: IntegrityAlgorithmID = 8
    public static let hmacSHA2_256_128: IntegrityAlgorithmID = 12
    public static let hmacSHA2_384_192: IntegrityAlgorithmID = 13
    public static let hmacSHA2_512_256: IntegrityAlgorithmID = 14

    public static let names: [UInt16: String] = [
        0: "NONE", 1: "AUTH_HMAC_MD5_96", 2: "AUTH_HMAC_SHA1_96", 3: "AUTH_DES_MAC", 4: "AUTH_KPDK_MD5",
        5: "AUTH_AES_XCBC_96", 6: "AUTH_HMAC_MD5_128", 7: "AUTH_HMAC_SHA1_160", 8: "AUTH_AES_CMAC_96",
        9: "AUTH_AES_128_GMAC", 10: "AUTH_AES_192_GMAC", 11: "AUTH_AES_256_GMAC",
        12: "AUTH_HMAC_SHA2_256_128", 13: "AUTH_HMAC_SHA2_384_192", 14: "AUTH_HMAC_SHA2_512_256",
    ]
}
