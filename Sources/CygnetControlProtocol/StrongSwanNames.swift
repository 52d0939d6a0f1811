import IKEWire

/// Transform names as strongSwan prints them in `swanctl --list-sas` and vici, so that
/// `cygnet status --json` and `swanctl --list-sas --raw` can be compared string for string.
///
/// Taken from libstrongswan's enum name tables: `encryption_algorithm_names`
/// (crypto/crypters/crypter.c), `integrity_algorithm_names` (crypto/signers/signer.c),
/// `pseudo_random_function_names` (crypto/prfs/prf.c) and `key_exchange_method_names`
/// (crypto/key_exchange.c; `diffie_hellman_group_names` before 6.0, same strings). The ML-KEM
/// names are strongSwan 6's. A value strongSwan has no name for prints as its number in
/// parentheses, as strongSwan's `%N` does.
package enum StrongSwanNames {
    package static func encryption(_ id: EncryptionAlgorithmID) -> String { name(encryptionNames, id.rawValue) }
    package static func integrity(_ id: IntegrityAlgorithmID) -> String { name(integrityNames, id.rawValue) }
    package static func pseudorandomFunction(_ id: PseudorandomFunctionID) -> String { name(prfNames, id.rawValue) }
    package static func keyExchange(_ id: KeyExchangeMethodID) -> String { name(keyExchangeNames, id.rawValue) }

    private static func name(_ table: [UInt16: String], _ value: UInt16) -> String { table[value] ?? "(\(value))" }

    private static let encryptionNames: [UInt16: String] = [
        1: "DES_IV64", 2: "DES_CBC", 3: "3DES_CBC", 4: "RC5_CBC", 5: "IDEA_CBC", 6: "CAST_CBC", 7: "BLOWFISH_CBC",
        8: "3IDEA", 9: "DES_IV32", 11: "NULL", 12: "AES_CBC", 13: "AES_CTR", 14: "AES_CCM_8", 15: "AES_CCM_12",
        16: "AES_CCM_16", 18: "AES_GCM_8", 19: "AES_GCM_12", 20: "AES_GCM_16", 21: "NULL_AES_GMAC",
        23: "CAMELLIA_CBC", 24: "CAMELLIA_CTR", 25: "CAMELLIA_CCM_8", 26: "CAMELLIA_CCM_12", 27: "CAMELLIA_CCM_16",
        28: "CHACHA20_POLY1305",
    ]

    private static let integrityNames: [UInt16: String] = [
        1: "HMAC_MD5_96", 2: "HMAC_SHA1_96", 3: "DES_MAC", 4: "KPDK_MD5", 5: "AES_XCBC_96", 6: "HMAC_MD5_128",
        7: "HMAC_SHA1_160", 8: "AES_CMAC_96", 9: "AES_128_GMAC", 10: "AES_192_GMAC", 11: "AES_256_GMAC",
        12: "HMAC_SHA2_256_128", 13: "HMAC_SHA2_384_192", 14: "HMAC_SHA2_512_256",
    ]

    private static let prfNames: [UInt16: String] = [
        1: "PRF_HMAC_MD5", 2: "PRF_HMAC_SHA1", 3: "PRF_HMAC_TIGER", 4: "PRF_AES128_XCBC", 5: "PRF_HMAC_SHA2_256",
        6: "PRF_HMAC_SHA2_384", 7: "PRF_HMAC_SHA2_512", 8: "PRF_AES128_CMAC",
    ]

    private static let keyExchangeNames: [UInt16: String] = [
        1: "MODP_768", 2: "MODP_1024", 5: "MODP_1536", 14: "MODP_2048", 15: "MODP_3072", 16: "MODP_4096",
        17: "MODP_6144", 18: "MODP_8192", 19: "ECP_256", 20: "ECP_384", 21: "ECP_521", 22: "MODP_1024_160",
        23: "MODP_2048_224", 24: "MODP_2048_256", 25: "ECP_192", 26: "ECP_224", 27: "ECP_224_BP", 28: "ECP_256_BP",
        29: "ECP_384_BP", 30: "ECP_512_BP", 31: "CURVE_25519", 32: "CURVE_448", 35: "ML_KEM_512", 36: "ML_KEM_768",
        37: "ML_KEM_1024",
    ]
}
