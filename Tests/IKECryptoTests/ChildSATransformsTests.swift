import IKECrypto
import IKEWire
import Testing

@Suite("Child SA transforms: resolved by ID, 3DES and NULL from the legacy set")
struct ChildSATransformsTests {
    @Test("an AEAD resolves without integrity; a cipher with its integrity transform")
    func modern() throws {
        let aead = try CryptoProvider.default.childSATransforms(encryption: .aesGCM16, keyBits: 256, integrity: nil)
        guard case .aead(let algorithm) = aead.encryption else {
            Issue.record("AES-GCM is not an AEAD")
            return
        }
        #expect(algorithm.id == .aesGCM16 && algorithm.keyBits == 256 && aead.integrity == nil)
        let cipher = try CryptoProvider.default.childSATransforms(encryption: .aesCBC, keyBits: 128, integrity: .hmacSHA2_256_128)
        #expect(cipher.encryption.id == .aesCBC && cipher.integrity?.id == .hmacSHA2_256_128)
    }

    @Test("3DES and NULL, absent from the default provider, come from its legacy set")
    func legacy() throws {
        #expect(throws: IKECryptoError.self) { try CryptoProvider.default.encryptionAlgorithm(.tripleDES, keyBits: nil) }
        for id in [EncryptionAlgorithmID.tripleDES, .null] {
            let transforms = try CryptoProvider.default.childSATransforms(encryption: id, keyBits: nil, integrity: .hmacSHA1_96)
            #expect(transforms.encryption.id == id)
        }
    }

    @Test("a transform the provider lacks is an unsupported transform")
    func unsupported() {
        #expect(throws: IKECryptoError(.unsupportedTransform)) {
            try CryptoProvider.default.childSATransforms(encryption: .aesGCM16, keyBits: 256, integrity: IntegrityAlgorithmID(rawValue: 999))
        }
    }
}
