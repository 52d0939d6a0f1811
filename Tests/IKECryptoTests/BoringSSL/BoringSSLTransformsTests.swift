import IKEWire
import Testing

@testable import IKECrypto

@Suite("BoringSSL transform lists (legacy and debug transforms stay out of defaults, ADR 0002)")
struct BoringSSLTransformsTests {
    @Test("Defaults hold no 3DES, NULL, MODP 1024 or 1536")
    func defaults() {
        #expect(BoringSSLTransforms.aeads.count == 10)
        #expect(BoringSSLTransforms.ciphers.map(\.id.rawValue) == [12, 12, 12, 13, 13, 13])
        #expect(BoringSSLTransforms.legacyCiphers.map(\.id) == [.tripleDES])
        #expect(BoringSSLTransforms.espOnlyCiphers.map(\.id) == [.null])
        #expect(BoringSSLTransforms.pseudorandomFunctions.map(\.id) == [.aes128XCBC])
        #expect(BoringSSLTransforms.integrityAlgorithms.map(\.id) == [.hmacSHA2_256_128, .hmacSHA2_384_192, .hmacSHA2_512_256, .hmacSHA1_96, .aesXCBC96])
        #expect(BoringSSLTransforms.keyExchangeMethods.map(\.id.rawValue) == [14, 15, 16, 17, 18, 36, 37])
        #expect(BoringSSLTransforms.legacyKeyExchangeMethods.map(\.id.rawValue) == [2, 5])
        #expect(BoringSSLTransforms.encryptionAlgorithms.count == 16)
    }

    @Test("A provider built from the lists finds every transform by ID and key length (RFC 7296 §3.3.5)")
    func provider() throws {
        let provider = CryptoProvider(
            pseudorandomFunctions: BoringSSLTransforms.pseudorandomFunctions,
            integrityAlgorithms: BoringSSLTransforms.integrityAlgorithms,
            encryptionAlgorithms: BoringSSLTransforms.encryptionAlgorithms,
            keyExchangeMethods: BoringSSLTransforms.keyExchangeMethods)
        for id in [EncryptionAlgorithmID.aesGCM8, .aesGCM12, .aesGCM16, .aesCBC, .aesCTR] {
            for bits in [128, 192, 256] {
                let algorithm = try provider.encryptionAlgorithm(id, keyBits: bits)
                #expect(algorithm.id == id)
            }
        }
        #expect(try provider.encryptionAlgorithm(.chacha20Poly1305, keyBits: nil).isAEAD)
        #expect(throws: IKECryptoError(.unsupportedTransform)) { _ = try provider.keyExchangeMethod(.modp1024) }
        #expect(try provider.keyExchangeMethod(.mlKEM1024).id == .mlKEM1024)
    }
}
