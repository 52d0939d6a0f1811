/// Transform Type 2, Pseudorandom Function Transform IDs (IANA; RFC 7296 §3.3.2).
public struct PseudorandomFunctionID: IANARegistry {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt16

    public static let hmacSHA1: PseudorandomFunctionID = 2
    public static let aes128XCBC: PseudorandomFunctionID = 4
    public static let hmacSHA2_256: PseudorandomFunctionID = 5
    public static let hmacSHA2_384: PseudorandomFunctionID = 6
    public static let hmacSHA2_512: PseudorandomFunctionID = 7
    public static let aes128CMAC: PseudorandomFunctionID = 8

    public static let names: [UInt16: String] = [
        1: "PRF_HMAC_MD5", 2: "PRF_HMAC_SHA1", 3: "PRF_HMAC_TIGER", 4: "PRF_AES128_XCBC",
        5: "PRF_HMAC_SHA2_256", 6: "PRF_HMAC_SHA2_384", 7: "PRF_HMAC_SHA2_512", 8: "PRF_AES128_CMAC",
        9: "PRF_HMAC_STREEBOG_512",
    ]
}
