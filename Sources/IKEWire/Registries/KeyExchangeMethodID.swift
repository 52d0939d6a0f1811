/// Transform Type 4, Key Exchange Method Transform IDs (IANA, formerly "Diffie-Hellman
/// Group Transform IDs"; RFC 7296 §3.3.2, RFC 3526, RFC 5903, RFC 8031, RFC 9370).
public struct KeyExchangeMethodID: IANARegistry {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt16

    public static let none: KeyExchangeMethodID = 0
    public static let modp1024: KeyExchangeMethodID = 2
    public static let modp1536: KeyExchangeMethodID = 5
    public static let modp2048: KeyExchangeMethodID = 14
    public static let modp3072: KeyExchangeMethodID = 15
    public static let modp4096: KeyExchangeMethodID = 16
    public static let modp6144: KeyExchangeMethodID = 17
    public static let modp8192: KeyExchangeMethodID = 18
    public static let ecp256: KeyExchangeMethodID = 19
    public static let ecp384: KeyExchangeMethodID = 20
    public static let ecp521: KeyExchangeMethodID = 21
    public static let curve25519: KeyExchangeMethodID = 31
    public static let curve448: KeyExchangeMethodID = 32
    public static let mlKEM512: KeyExchangeMethodID = 35
    public static let mlKEM768: KeyExchangeMethodID = 36
    public static let mlKEM1024: KeyExchangeMethodID = 37

    public static let names: [UInt16: String] = [
        0: "NONE", 1: "768-bit MODP Group", 2: "1024-bit MODP Group", 5: "1536-bit MODP Group",
        14: "2048-bit MODP Group", 15: "3072-bit MODP Group", 16: "4096-bit MODP Group",
        17: "6144-bit MODP Group", 18: "8192-bit MODP Group", 19: "256-bit random ECP group",
        20: "384-bit random ECP group", 21: "521-bit random ECP group",
        22: "1024-bit MODP Group with 160-bit Prime Order Subgroup",
        23: "2048-bit MODP Group with 224-bit Prime Order Subgroup",
        24: "2048-bit MODP Group with 256-bit Prime Order Subgroup", 25: "192-bit Random ECP Group",
        26: "224-bit Random ECP Group", 27: "brainpoolP224r1", 28: "brainpoolP256r1",
        29: "brainpoolP384r1", 30: "brainpoolP512r1", 31: "Curve25519", 32: "Curve448",
        33: "GOST3410_2012_256", 34: "GOST3410_2012_512", 35: "ML-KEM-512", 36: "ML-KEM-768",
        37: "ML-KEM-1024",
    ]
}
