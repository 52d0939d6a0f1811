import IKECrypto
import IKEWire
import Testing

@Suite("Key schedule (RFC 7296 §2.13, §2.14, §2.17, §2.18)")
struct KeyScheduleTests {
    @Test("§2.13 prf+: T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n), and no more than 255 blocks")
    func prfPlus() throws {
        let prf = try CryptoProvider.default.pseudorandomFunction(.hmacSHA2_256)
        let key = SecretBytes([UInt8](repeating: 0x42, count: 32))
        let seed = SecretBytes(Array("seed".utf8))
        let stream = try prf.prfPlus(key: key, seed: seed, length: 80)
        let t1 = prf.compute(key: key, data: Array("seed".utf8) + [1])
        let t2 = prf.compute(key: key, data: t1.unprotectedBytes + Array("seed".utf8) + [2])
        let t3 = prf.compute(key: key, data: t2.unprotectedBytes + Array("seed".utf8) + [3])
        #expect(stream.unprotectedBytes == Array((t1.unprotectedBytes + t2.unprotectedBytes + t3.unprotectedBytes).prefix(80)))
        _ = try prf.prfPlus(key: key, seed: seed, length: 255 * 32)
        let error = #expect(throws: IKECryptoError.self) { try prf.prfPlus(key: key, seed: seed, length: 255 * 32 + 1) }
        #expect(error?.code == .invalidParameter)
    }

    @Test("§2.14 with a fixed-key PRF, SKEYSEED's key is the first halves of Ni and Nr")
    func fixedKeySkeyseed() throws {
        let provider = CryptoProvider.default
        for id: PseudorandomFunctionID in [.aes128XCBC, .aes128CMAC] {
            let schedule = try IKEKeySchedule(provider: provider, prf: id, encryption: .aesCBC, keyBits: 128, integrity: .aesXCBC96)
            let ni = (0..<32).map { UInt8($0) }
            let nr = (100..<132).map { UInt8($0) }
            let secret = SecretBytes([UInt8](repeating: 5, count: 32))
            let skeyseed = try schedule.skeyseed(initiatorNonce: ni, responderNonce: nr, sharedSecret: secret)
            let expected = schedule.prf.compute(key: SecretBytes(Array(ni.prefix(8) + nr.prefix(8))), data: [UInt8](repeating: 5, count: 32))
            #expect(skeyseed == expected, "\(id)")
        }
    }

    @Test("§2.14 the seven keys have the lengths of the negotiated transforms")
    func keyLengths() throws {
        let provider = CryptoProvider.default
        let cases: [(PseudorandomFunctionID, EncryptionAlgorithmID, Int?, IntegrityAlgorithmID?, Int, Int, Int)] = [
            (.hmacSHA2_256, .aesGCM16, 256, nil, 32, 36, 0),
            (.hmacSHA2_384, .chacha20Poly1305, nil, nil, 48, 36, 0),
            (.hmacSHA2_512, .aesCBC, 128, .hmacSHA2_512_256, 64, 16, 64),
            (.hmacSHA1, .aesCTR, 192, .hmacSHA1_96, 20, 28, 20),
            (.aes128XCBC, .aesCBC, 256, .aesXCBC96, 16, 32, 16),
        ]
        for (prf, encryption, bits, integrity, prfLength, encryptionLength, integrityLength) in cases {
            let schedule = try IKEKeySchedule(provider: provider, prf: prf, encryption: encryption, keyBits: bits, integrity: integrity)
            let keys = try schedule.keyMaterial(
                skeyseed: SecretBytes([UInt8](repeating: 1, count: 32)), initiatorNonce: [UInt8](repeating: 2, count: 32),
                responderNonce: [UInt8](repeating: 3, count: 32), initiatorSPI: 1, responderSPI: 2)
            #expect([keys.d.count, keys.pi.count, keys.pr.count] == [prfLength, prfLength, prfLength])
            #expect([keys.ei.count, keys.er.count] == [encryptionLength, encryptionLength])
            #expect([keys.ai.count, keys.ar.count] == [integrityLength, integrityLength])
            #expect(keys.ei != keys.er)
        }
    }

    @Test("§2.18 rekeyed SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)")
    func rekeyedSkeyseed() throws {
        let prf = try CryptoProvider.default.pseudorandomFunction(.hmacSHA2_256)
        let skD = SecretBytes([UInt8](repeating: 9, count: 32))
        let gir = [UInt8](repeating: 7, count: 32)
        let ni = [UInt8](repeating: 1, count: 16)
        let nr = [UInt8](repeating: 2, count: 16)
        let skeyseed = IKEKeySchedule.rekeyedSkeyseed(
            oldPRF: prf, oldSKd: skD, sharedSecrets: [SecretBytes(gir)], initiatorNonce: ni, responderNonce: nr)
        #expect(skeyseed == prf.compute(key: skD, data: gir + ni + nr))
    }

    @Test("§2.17 Child SA KEYMAT: initiator-to-responder keys first, encryption before integrity; PFS adds g^ir")
    func childKeyMaterial() throws {
        let provider = CryptoProvider.default
        let schedule = try IKEKeySchedule(provider: provider, prf: .hmacSHA2_256, encryption: .aesGCM16, keyBits: 256, integrity: nil)
        let cbc = try provider.encryptionAlgorithm(.aesCBC, keyBits: 128)
        let hmac = try provider.integrityAlgorithm(.hmacSHA2_256_128)
        let skD = SecretBytes([UInt8](repeating: 4, count: 32))
        let ni = [UInt8](repeating: 1, count: 32)
        let nr = [UInt8](repeating: 2, count: 32)
        let keys = try schedule.childKeyMaterial(skD: skD, encryption: cbc, integrity: hmac, initiatorNonce: ni, responderNonce: nr)
        let stream = try schedule.prf.prfPlus(key: skD, seed: SecretBytes(ni + nr), length: 2 * (16 + 32)).unprotectedBytes
        #expect(keys.initiatorEncryption.unprotectedBytes == Array(stream[0..<16]))
        #expect(keys.initiatorIntegrity.unprotectedBytes == Array(stream[16..<48]))
        #expect(keys.responderEncryption.unprotectedBytes == Array(stream[48..<64]))
        #expect(keys.responderIntegrity.unprotectedBytes == Array(stream[64..<96]))
        let gir = SecretBytes([UInt8](repeating: 8, count: 32))
        let pfs = try schedule.childKeyMaterial(
            skD: skD, encryption: cbc, integrity: hmac, sharedSecrets: [gir], initiatorNonce: ni, responderNonce: nr)
        let pfsStream = try schedule.prf.prfPlus(key: skD, seed: SecretBytes([UInt8](repeating: 8, count: 32) + ni + nr), length: 96)
        #expect(pfs.initiatorEncryption.unprotectedBytes == Array(pfsStream.unprotectedBytes[0..<16]))
        #expect(pfs != keys)
    }

    @Test("Key exchange: two parties agree for every method the default provider offers")
    func keyExchangeAgreement() throws {
        let provider = CryptoProvider.default
        for (id, method) in provider.keyExchangeMethods.sorted(by: { $0.key < $1.key }) {
            var initiatorRandom = SeededRandomSource(seed: UInt64(id.rawValue))
            var responderRandom = SeededRandomSource(seed: UInt64(id.rawValue) + 1000)
            let share = try method.generate(using: &initiatorRandom)
            #expect(share.publicValue.count == method.initiatorValueLength, "\(id)")
            let answer = try method.respond(to: share.publicValue, using: &responderRandom)
            #expect(answer.publicValue.count == method.responderValueLength, "\(id)")
            #expect(try share.complete(peerValue: answer.publicValue) == answer.sharedSecret, "\(id)")
            let error = #expect(throws: IKECryptoError.self, "\(id)") { try share.complete(peerValue: [1, 2, 3]) }
            #expect(error?.code == .invalidPublicValue)
            #expect(throws: IKECryptoError.self, "\(id)") { try method.respond(to: [], using: &responderRandom) }
        }
    }
}
