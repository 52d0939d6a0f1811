import IKEWire
import Testing

@testable import CygnetControlProtocol

/// strongSwan's transform names and durations.
@Suite("Status vocabulary: strongSwan's names, durations")
struct StatusVocabularyTests {
    static let nameCases: [(String, String)] = [
        (StrongSwanNames.encryption(.aesGCM16), "AES_GCM_16"),
        (StrongSwanNames.encryption(.aesCBC), "AES_CBC"),
        (StrongSwanNames.encryption(.chacha20Poly1305), "CHACHA20_POLY1305"),
        (StrongSwanNames.encryption(.tripleDES), "3DES_CBC"),
        (StrongSwanNames.encryption(.aesCTR), "AES_CTR"),
        (StrongSwanNames.encryption(EncryptionAlgorithmID(rawValue: 1024)), "(1024)"),
        (StrongSwanNames.integrity(.hmacSHA2_256_128), "HMAC_SHA2_256_128"),
        (StrongSwanNames.integrity(.hmacSHA1_96), "HMAC_SHA1_96"),
        (StrongSwanNames.integrity(.aesXCBC96), "AES_XCBC_96"),
        (StrongSwanNames.pseudorandomFunction(.hmacSHA2_256), "PRF_HMAC_SHA2_256"),
        (StrongSwanNames.pseudorandomFunction(.aes128XCBC), "PRF_AES128_XCBC"),
        (StrongSwanNames.keyExchange(.curve25519), "CURVE_25519"),
        (StrongSwanNames.keyExchange(.modp2048), "MODP_2048"),
        (StrongSwanNames.keyExchange(.ecp256), "ECP_256"),
        (StrongSwanNames.keyExchange(.ecp521), "ECP_521"),
        (StrongSwanNames.keyExchange(.modp1024), "MODP_1024"),
        (StrongSwanNames.keyExchange(.mlKEM768), "ML_KEM_768"),
    ]

    @Test("transform names as swanctl prints them", arguments: nameCases)
    func names(name: String, expected: String) {
        #expect(name == expected)
    }

    @Test(
        "durations: the two largest units",
        arguments: [
            (0, "0s"), (42, "42s"), (60, "1m"), (125, "2m5s"), (3600, "1h"), (14_280, "3h58m"), (90_061, "1d1h"),
            (-5, "0s"),
        ])
    func durations(seconds: Int, expected: String) {
        #expect(DurationText.format(seconds: seconds) == expected)
    }

    @Test("negotiated transforms: AEAD without integrity, no PFS, ESN")
    func negotiated() {
        let ike = NegotiatedTransforms([
            Transform(.aesGCM16, keyLength: 256), Transform(.hmacSHA2_256), Transform(.curve25519),
        ])
        #expect(ike.encryption == .aesGCM16 && ike.encryptionKeyBits == 256 && ike.integrity == nil)
        #expect(ike.prf == .hmacSHA2_256 && ike.keyExchange == .curve25519 && !ike.usesExtendedSequenceNumbers)
        let esp = NegotiatedTransforms([
            Transform(.aesCBC, keyLength: 128), Transform(.hmacSHA2_256_128), Transform(KeyExchangeMethodID.none),
            Transform(.extendedSequenceNumbers),
        ])
        #expect(esp.integrity == .hmacSHA2_256_128 && esp.keyExchange == nil && esp.usesExtendedSequenceNumbers)
    }
}
