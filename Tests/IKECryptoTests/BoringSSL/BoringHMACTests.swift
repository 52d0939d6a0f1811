import Crypto
import IKETestSupport
import IKEWire
import Testing

@testable import IKECrypto

@Suite("BoringSSL HMAC integrity (RFC 2104, RFC 2404, RFC 4868)")
struct BoringHMACTests {
    @Test("The default provider's HMAC integrity is the BoringSSL one")
    func providerUsesBoring() throws {
        for id in [IntegrityAlgorithmID.hmacSHA2_256_128, .hmacSHA2_384_192, .hmacSHA2_512_256, .hmacSHA1_96] {
            #expect(try CryptoProvider.default.integrityAlgorithm(id) is BoringHMACIntegrityAlgorithm)
        }
    }

    @Test("Same ICVs as swift-crypto's HMAC for every hash, message lengths 0 to 300 (seeded)")
    func matchesSwiftCrypto() throws {
        var random = SeededRandomSource(seed: 0x4D_4143)
        let pairs: [(BoringHMACIntegrityAlgorithm, any IntegrityAlgorithm)] = [
            (BoringHMACIntegrityAlgorithm.all[0], HMACIntegrityAlgorithm<SHA256>(id: .hmacSHA2_256_128, icvLength: 16)),
            (BoringHMACIntegrityAlgorithm.all[1], HMACIntegrityAlgorithm<SHA384>(id: .hmacSHA2_384_192, icvLength: 24)),
            (BoringHMACIntegrityAlgorithm.all[2], HMACIntegrityAlgorithm<SHA512>(id: .hmacSHA2_512_256, icvLength: 32)),
            (BoringHMACIntegrityAlgorithm.all[3], HMACIntegrityAlgorithm<Insecure.SHA1>(id: .hmacSHA1_96, icvLength: 12)),
        ]
        for (boring, reference) in pairs {
            let key = random.secretBytes(boring.keyLength)
            let ours = try boring.makeContext(key: key)
            let theirs = try reference.makeContext(key: key)
            for length in 0...300 {
                let message = random.bytes(length)
                #expect(ours.icv(message) == theirs.icv(message), "\(boring.id) length \(length)")
            }
        }
    }

    @Test("Keys longer than the block are hashed first (RFC 2104 §2; RFC 4231 test case 6)")
    func longKey() {
        let key = [UInt8](repeating: 0xAA, count: 131)
        let message = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        let context = key.withUnsafeBytes { BoringHMACContext<BoringSHA256State>(key: $0, icvLength: 32) }
        #expect(context.icv(message) == TestBytes.hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"))
    }
}
