/// IKEv2 Hash Algorithms, as listed in the SIGNATURE_HASH_ALGORITHMS notify
/// (IANA; RFC 7427 §4).
public struct HashAlgorithm: IANARegistry {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt16

    public static let sha1: HashAlgorithm = 1
    public static let sha2_256: HashAlgorithm = 2
    public static let sha2_384: HashAlgorithm = 3
    public static let sha2_512: HashAlgorithm = 4
    public static let identity: HashAlgorithm = 5

    public static let names: [UInt16: String] = [
        1: "SHA1", 2: "SHA2-256", 3: "SHA2-384", 4: "SHA2-512", 5: "Identity", 6: "STREEBOG_256",
        7: "STREEBOG_512",
    ]
}
