import Crypto
import IKECrypto
import IKEWire
import Testing

/// Known answers for the transforms served by swift-crypto's high-level API. Each table
/// names its source.
@Suite("Known answers: HMAC, CMAC, X25519, ECP")
struct KnownAnswerTests {
    struct HMACVector: Sendable, CustomTestStringConvertible {
        var name: String
        var key: String
        var data: [UInt8]
        var sha256: String
        var sha384: String?
        var sha512: String?
        var testDescription: String { name }
    }

    /// RFC 4231 §4.2, §4.3, §4.7 (also the PRF vectors of RFC 4868 §2.7.1).
    static let rfc4231: [HMACVector] = [
        HMACVector(
            name: "RFC 4231 test case 1", key: String(repeating: "0b", count: 20), data: Array("Hi There".utf8),
            sha256: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            sha384: "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
            sha512: "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
        HMACVector(
            name: "RFC 4231 test case 2", key: "4a656665", data: Array("what do ya want for nothing?".utf8),
            sha256: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", sha384: nil, sha512: nil),
        HMACVector(
            name: "RFC 4231 test case 6", key: String(repeating: "aa", count: 131),
            data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            sha256: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", sha384: nil,
            sha512: "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"),
    ]

    @Test("RFC 4231 / RFC 4868 §2.7.1: PRF_HMAC_SHA2_256/384/512", arguments: rfc4231)
    func hmacPRF(vector: HMACVector) throws {
        let provider = CryptoProvider.default
        let key = TestBytes.secret(vector.key)
        let expectations: [(PseudorandomFunctionID, String?)] = [
            (.hmacSHA2_256, vector.sha256), (.hmacSHA2_384, vector.sha384), (.hmacSHA2_512, vector.sha512),
        ]
        for (id, expected) in expectations {
            guard let expected else { continue }
            let prf = try provider.pseudorandomFunction(id)
            #expect(prf.compute(key: key, data: vector.data).unprotectedBytes == TestBytes.hex(expected), "\(id)")
        }
    }

    @Test("RFC 4868 §2.7.2: AUTH_HMAC_SHA2_*: the truncation of the RFC 4231 MAC", arguments: rfc4231.prefix(1))
    func hmacIntegrity(vector: HMACVector) throws {
        let provider = CryptoProvider.default
        let cases: [(IntegrityAlgorithmID, String?, Int, Int)] = [
            (.hmacSHA2_256_128, vector.sha256, 32, 16), (.hmacSHA2_384_192, vector.sha384, 48, 24),
            (.hmacSHA2_512_256, vector.sha512, 64, 32),
        ]
        for (id, full, keyLength, icvLength) in cases {
            guard let full else { continue }
            let integrity = try provider.integrityAlgorithm(id)
            #expect(integrity.keyLength == keyLength)
            #expect(integrity.icvLength == icvLength)
            // RFC 4868 §2.1.1 wants the key as long as the output; the RFC 4231 key is 20
            // bytes, so pad the comparison key the way HMAC does (zero-extended).
            let key = TestBytes.hex(vector.key) + [UInt8](repeating: 0, count: keyLength - 20)
            let context = try integrity.makeContext(key: SecretBytes(key))
            let icv = context.icv(vector.data)
            #expect(icv == Array(TestBytes.hex(full).prefix(icvLength)), "\(id)")
            #expect(vector.data.withUnsafeBytes { data in icv.withUnsafeBytes { context.verify(data, icv: $0) } })
            var tampered = icv
            tampered[0] ^= 1
            #expect(!vector.data.withUnsafeBytes { data in tampered.withUnsafeBytes { context.verify(data, icv: $0) } })
        }
    }

    @Test("RFC 2202 §3 test case 1: PRF_HMAC_SHA1 and AUTH_HMAC_SHA1_96")
    func hmacSHA1() throws {
        let key = SecretBytes([UInt8](repeating: 0x0b, count: 20))
        let expected = TestBytes.hex("b617318655057264e28bc0b6fb378c8ef146be00")
        let prf = try CryptoProvider.default.pseudorandomFunction(.hmacSHA1)
        #expect(prf.compute(key: key, data: Array("Hi There".utf8)).unprotectedBytes == expected)
        let integrity = try CryptoProvider.default.integrityAlgorithm(.hmacSHA1_96)
        #expect(try integrity.makeContext(key: key).icv(Array("Hi There".utf8)) == Array(expected.prefix(12)))
    }

    @Test("Integrity keys of the wrong length are rejected")
    func integrityKeyLength() throws {
        let integrity = try CryptoProvider.default.integrityAlgorithm(.hmacSHA2_256_128)
        let error = #expect(throws: IKECryptoError.self) { try integrity.makeContext(key: SecretBytes([1, 2, 3])) }
        #expect(error?.code == .invalidKeyLength)
    }

    @Test("RFC 4493 §4: AES-CMAC; RFC 4494: AES-CMAC-96 is its truncation")
    func cmac() throws {
        let key = TestBytes.secret("2b7e151628aed2a6abf7158809cf4f3c")
        let prf = try CryptoProvider.default.pseudorandomFunction(.aes128CMAC)
        #expect(prf.compute(key: key, data: []).unprotectedBytes == TestBytes.hex("bb1d6929e95937287fa37d129b756746"))
        let message = TestBytes.hex("6bc1bee22e409f96e93d7e117393172a")
        #expect(prf.compute(key: key, data: message).unprotectedBytes == TestBytes.hex("070a16b46b4d4144f79bdd9dd04a287c"))
        let integrity = try CryptoProvider.default.integrityAlgorithm(.aesCMAC96)
        #expect(try integrity.makeContext(key: key).icv(message) == TestBytes.hex("070a16b46b4d4144f79bdd9d"))
    }

    @Test("RFC 4615 §4: AES-CMAC-PRF-128 with 18, 16 and 10-byte keys",
          arguments: [
            ("000102030405060708090a0b0c0d0e0fedcb", "84a348a4a45d235babfffc0d2b4da09a"),
            ("000102030405060708090a0b0c0d0e0f", "980ae87b5f4c9c5214f5b6a8455e4c2d"),
            ("00010203040506070809", "290d9e112edb09ee141fcf64c0b72f3d"),
          ])
    func cmacPRF(key: String, expected: String) throws {
        let prf = try CryptoProvider.default.pseudorandomFunction(.aes128CMAC)
        let message = (0..<20).map { UInt8($0) }
        #expect(prf.compute(key: TestBytes.secret(key), data: message).unprotectedBytes == TestBytes.hex(expected))
    }

    @Test("RFC 7748 §6.1 / RFC 8031: X25519 keys and shared secret")
    func x25519() throws {
        let method = try CryptoProvider.default.keyExchangeMethod(.curve25519)
        var alice = ReplayRandomSource(TestBytes.hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
        let share = try method.generate(using: &alice)
        #expect(share.publicValue == TestBytes.hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"))
        var bob = ReplayRandomSource(TestBytes.hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"))
        let answer = try method.respond(to: share.publicValue, using: &bob)
        #expect(answer.publicValue == TestBytes.hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"))
        let expected = TestBytes.secret("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
        #expect(answer.sharedSecret == expected)
        #expect(try share.complete(peerValue: answer.publicValue) == expected)
    }

    @Test("RFC 8031 §2: an all-zero X25519 result and wrong lengths are rejected")
    func x25519Checks() throws {
        let method = try CryptoProvider.default.keyExchangeMethod(.curve25519)
        var random = SeededRandomSource(seed: 1)
        let share = try method.generate(using: &random)
        for bad in [[UInt8](repeating: 0, count: 32), [1] + [UInt8](repeating: 0, count: 31), [UInt8](repeating: 9, count: 31), []] {
            let error = #expect(throws: IKECryptoError.self) { try share.complete(peerValue: bad) }
            #expect(error?.code == .invalidPublicValue)
            #expect(error?.notifyType == .invalidSyntax)
        }
    }

    @Test("RFC 5903 §8.1: 256-bit random ECP group")
    func ecp256() throws {
        let method = try CryptoProvider.default.keyExchangeMethod(.ecp256)
        var initiator = ReplayRandomSource(TestBytes.hex("C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433"))
        let share = try method.generate(using: &initiator)
        #expect(share.publicValue == TestBytes.hex("""
            DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180
            5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3
            """))
        var responder = ReplayRandomSource(TestBytes.hex("C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53"))
        let answer = try method.respond(to: share.publicValue, using: &responder)
        #expect(answer.publicValue == TestBytes.hex("""
            D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63
            56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB
            """))
        let expected = TestBytes.secret("D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE")
        #expect(answer.sharedSecret == expected)
        #expect(try share.complete(peerValue: answer.publicValue) == expected)
    }

    @Test("RFC 6989 §2.3 / RFC 7296 §3.4: ECP values off the curve or of the wrong length are rejected",
          arguments: [KeyExchangeMethodID.ecp256, .ecp384, .ecp521])
    func ecpChecks(id: KeyExchangeMethodID) throws {
        let method = try CryptoProvider.default.keyExchangeMethod(id)
        var random = SeededRandomSource(seed: UInt64(id.rawValue))
        let share = try method.generate(using: &random)
        #expect(share.publicValue.count == method.initiatorValueLength)
        var offCurve = share.publicValue
        offCurve[offCurve.count - 1] ^= 1
        for bad in [offCurve, [UInt8](repeating: 0, count: share.publicValue.count), Array(share.publicValue.dropLast()), [0x04] + share.publicValue] {
            let error = #expect(throws: IKECryptoError.self) { try share.complete(peerValue: bad) }
            #expect(error?.code == .invalidPublicValue)
        }
        // Two parties agree.
        var other = SeededRandomSource(seed: 99)
        let answer = try method.respond(to: share.publicValue, using: &other)
        #expect(try share.complete(peerValue: answer.publicValue) == answer.sharedSecret)
    }

    @Test("SecretBytes never prints its contents and compares by value")
    func secretDescription() {
        let secret = SecretBytes([0xde, 0xad, 0xbe, 0xef])
        #expect(secret.description == "SecretBytes(4 bytes)")
        #expect("\(secret)".contains("de") == false)
        #expect(String(reflecting: secret) == "SecretBytes(4 bytes)")
        #expect(secret == SecretBytes([0xde, 0xad, 0xbe, 0xef]))
        #expect(secret != SecretBytes([0xde, 0xad, 0xbe, 0xee]))
        #expect(secret != SecretBytes([0xde, 0xad, 0xbe]))
    }
}
