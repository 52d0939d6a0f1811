import Foundation
import IKECrypto
import IKEWire
import Testing

/// Key exchange known answers beyond the RFC examples in KnownAnswerTests.
@Suite("Key exchange vectors: MODP, Wycheproof X25519 and ECDH")
struct KeyExchangeVectorTests {
    /// Made for Cygnet with Python: the RFC 3526 §3 2048-bit prime computed from its
    /// defining formula (p = 2^2048 - 2^1984 - 1 + 2^64 * ([2^1918 pi] + 124476), with
    /// mpmath), and `pow(2, x, p)`, `pow(yr, x, p)` for the two fixed exponents below
    /// (40 bytes: the exponent length Cygnet uses for group 14). An independent check of
    /// BoringSSL's prime and of the padding of values to the prime length.
    @Test("RFC 3526 §3 MODP-2048: public values and shared secret from fixed exponents")
    func modp2048() throws {
        let method = try CryptoProvider.default.keyExchangeMethod(.modp2048)
        let x = TestBytes.hex("8102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728")
        let r = TestBytes.hex("c06465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a")
        let y = TestBytes.hex("""
            daab5fdb22cea799f390093c3df799200acc1ee6ae722be873845ebc675c2f866256af6598841fbf6d2265ce2af0fe0020ab87b2\
            76938479556b85adf7bc3240e49375ee20bd4c229360f2e534ea08f7b944b3b5020a1c54f1d1ba087d0a216dfb86fd75bd5041ee\
            b3da2e851d9c4ec065ba353f3d565e2ffc55b36d3a50a8c4f4b441a6cd46b9fe5fe753345f845c4a705885b6d7a54492e2c2dcc9\
            36bf5402b0c5e70e981de2bd1976de98473f49c348e83966b5389449e1137940c88ffaf060f06ccd6bb3f5577ae1c0d01b60861d\
            b3d9c700ce11b0be220c4370738b5105bfad408fa708ba1a97ae14ea7f69f4a18a3581aa3938913f836b46f35d4df552
            """)
        let yr = TestBytes.hex("""
            393f83f30ca66e105a32ebd1cd35d69ebb37947063e5f57ffa427db3af434ba7310318d52513caf91dbaa860fd0b2c13a8466e94\
            73213dc678daea5832d322187e2bfb0d07306df591fec2757360bc7bb617e3d903027e7221073868239d236ea5f7ecde661712ca\
            f9a8adbf31340d0706b7b7eb26ac3c949a600c9649af1b1371d55a98491d5d85b7b0e710305557c2c57cef6cea1b2f3f08147580\
            59b094e5bdc99f34818bfca9fccce1cf94360bfcaee7ebe1dbc0d15b501296fd8b8f70766b9152d7e2ce6ca547792d06c92ff817\
            67c88a9f3cfd8bb65dc77d5715cc690470095dbfca023fcc2087b4e057534ec47ca6b2c62b0c56351edb47d0cd2905ce
            """)
        let shared = TestBytes.hex("""
            cbdb3fd4dd9454b5a607ef0d3d6c9046a24b3dc8531617fe36c3d851e18bacd7d292ed8a4c4ea3a7bb1d2c4dbd12e75379aa4f6e\
            3c38654ade6db9da76b336952455af2c2d2c275dd357a357347b0897423baaa5d1de6f8434e676370b02c97b7c5b72024f6469f2\
            a480b66d1b011d2cab0e6756cfd8e21fec4e002266a24d46a057c3c2e29d006862478297642204cb7e90ad4b15552ad85330fcb9\
            aa12b05fea0541d5bf0c4495b931e18a0cdd9ff4ba65de270458edcca8389226ce56374d15c6ad0685a631ed64affa2f22deb04d\
            c149adf69402bd50aba41aa6f5da5abeb14791b55acf30e622ab802e29a7878a89537b6411020dbba8244880439ac128
            """)
        var initiator = ReplayRandomSource(x)
        let share = try method.generate(using: &initiator)
        #expect(share.publicValue == y)
        var responder = ReplayRandomSource(r)
        let answer = try method.respond(to: y, using: &responder)
        #expect(answer.publicValue == yr)
        #expect(answer.sharedSecret.unprotectedBytes == shared)
        #expect(try share.complete(peerValue: yr).unprotectedBytes == shared)
    }

    struct WycheproofFile: Decodable {
        struct Group: Decodable {
            var curve: String
            var tests: [Vector]
        }
        struct Vector: Decodable {
            var tcId: Int
            var comment: String
            var flags: [String]
            var `public`: String
            var `private`: String
            var shared: String
            var result: String
        }
        var testGroups: [Group]
    }

    static func load(_ name: String) throws -> WycheproofFile {
        try JSONDecoder().decode(WycheproofFile.self, from: SignatureTestSupport.wycheproof(name, subdirectory: "Tests/Test Vectors"))
    }

    /// Wycheproof x25519_test.json (C2SP/wycheproof, read from swift-crypto's checkout).
    /// RFC 8031 §2 makes Cygnet reject an all-zero shared secret, which Wycheproof marks
    /// "acceptable"; every other vector must give Wycheproof's shared secret.
    @Test("Wycheproof X25519 (RFC 7748, RFC 8031 §2)")
    func wycheproofX25519() throws {
        let method = try CryptoProvider.default.keyExchangeMethod(.curve25519)
        var checked = 0
        for vector in try Self.load("x25519_test.json").testGroups.flatMap(\.tests) {
            var random = ReplayRandomSource(TestBytes.hex(vector.private))
            let share = try method.generate(using: &random)
            let expected = TestBytes.hex(vector.shared)
            let result = Result { try share.complete(peerValue: TestBytes.hex(vector.public)) }
            if expected.allSatisfy({ $0 == 0 }) || vector.result == "invalid" {
                #expect(throws: IKECryptoError.self, "tcId \(vector.tcId) \(vector.comment)") { try result.get() }
            } else {
                #expect((try? result.get())?.unprotectedBytes == expected, "tcId \(vector.tcId) \(vector.comment)")
            }
            checked += 1
        }
        #expect(checked > 400)
    }

    /// Wycheproof ecdh_secp*_ecpoint_test.json: public keys as uncompressed points, the
    /// RFC 5903 x‖y encoding after the 0x04 byte. IKE has no compressed encoding, so a
    /// compressed or otherwise non-uncompressed key must be rejected whatever Wycheproof
    /// says; an uncompressed one must give Wycheproof's result.
    @Test("Wycheproof ECDH on P-256, P-384, P-521 (RFC 5903, RFC 6989 §2.3)",
          arguments: [("ecdh_secp256r1_ecpoint_test.json", KeyExchangeMethodID.ecp256, 32),
                      ("ecdh_secp384r1_ecpoint_test.json", .ecp384, 48),
                      ("ecdh_secp521r1_ecpoint_test.json", .ecp521, 66)])
    func wycheproofECDH(file: String, id: KeyExchangeMethodID, fieldLength: Int) throws {
        let method = try CryptoProvider.default.keyExchangeMethod(id)
        var valid = 0
        var rejected = 0
        for vector in try Self.load(file).testGroups.flatMap(\.tests) {
            var scalar = TestBytes.hex(vector.private)
            while scalar.count > fieldLength, scalar.first == 0 { scalar.removeFirst() }
            scalar = [UInt8](repeating: 0, count: max(0, fieldLength - scalar.count)) + scalar
            var random = ReplayRandomSource(scalar)
            let share = try method.generate(using: &random)
            let point = TestBytes.hex(vector.public)
            let isUncompressed = point.count == 1 + 2 * fieldLength && point.first == 0x04
            let peerValue = isUncompressed ? Array(point.dropFirst()) : point
            let result = Result { try share.complete(peerValue: peerValue) }
            if isUncompressed && vector.result != "invalid" {
                #expect((try? result.get())?.unprotectedBytes == TestBytes.hex(vector.shared), "tcId \(vector.tcId) \(vector.comment)")
                valid += 1
            } else {
                #expect(throws: IKECryptoError.self, "tcId \(vector.tcId) \(vector.comment)") { try result.get() }
                rejected += 1
            }
        }
        #expect(valid > 100)
        #expect(rejected > 10)
    }
}
