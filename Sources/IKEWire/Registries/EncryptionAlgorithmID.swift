/// Transform Type 1, Encryption Algorithm Transform IDs (IANA; RFC 7296 §3.3.2).
public struct EncryptionAlgorithmID: IANARegistry {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt16

    public static let des: EncryptionAlgorithmID = 2
    public static let tripleDES: EncryptionAlgorithmID = 3
    public static let null: EncryptionAlgorithmID = 11
    public static let aesCBC: EncryptionAlgorithmID = 12
    public static let aesCTR: EncryptionAlgorithmID = 13
    public static let aesCCM8: EncryptionAlgorithmID = 14
    public static let aesCCM12: EncryptionAlgorithmID = 15
    public static let aesCCM16: EncryptionAlgorithmID = 16
    public static let aesGCM8: EncryptionAlgorithmID = 18
    public static let aesGCM12: EncryptionAlgorithmID = 19
    public static let aesGCM16: EncryptionAlgorithmID = 20
    public static let nullAuthAESGMAC: EncryptionAlgorithmID = 21
    public static let chacha20Poly1305: EncryptionAlgorithmID = 28

    public static let names: [UInt16: String] = [
        1: "ENCR_DES_IV64", 2: "ENCR_DES", 3: "ENCR_3DES", 4: "ENCR_RC5", 5: "ENCR_IDEA", 6: "ENCR_CAST",
        7: "ENCR_BLOWFISH", 8: "ENCR_3IDEA", 9: "ENCR_DES_IV32", 11: "ENCR_NULL", 12: "ENCR_AES_CBC",
        13: "ENCR_AES_CTR", 14: "ENCR_AES_CCM_8", 15: "ENCR_AES_CCM_12", 16: "ENCR_AES_CCM_16",
        18: "ENCR_AES_GCM_8", 19: "ENCR_AES_GCM_12", 20: "ENCR_AES_GCM_16", 21: "ENCR_NULL_AUTH_AES_GMAC",
        23: "ENCR_CAMELLIA_CBC", 24: "ENCR_CAMELLIA_CTR", 25: "ENCR_CAMELLIA_CCM_8",
        26: "ENCR_CAMELLIA_CCM_12", 27: "ENCR_CAMELLIA_CCM_16", 28: "ENCR_CHACHA20_POLY1305",
        29: "ENCR_AES_CCM_8_IIV", 30: "ENCR_AES_GCM_16_IIV", 31: "ENCR_CHACHA20_POLY1305_IIV",
        32: "ENCR_KUZNYECHIK_MGM_KTREE", 33: "ENCR_MAGMA_MGM_KTREE",
        34: "ENCR_KUZNYECHIK_MGM_MAC_KTREE", 35: "ENCR_MAGMA_MGM_MAC_KTREE",
    ]
}
