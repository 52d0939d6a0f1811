import IKEWire
import Testing

@testable import IKECrypto

@Suite("BoringSSL ML-KEM key exchange (FIPS 203, RFC 9370)")
struct BoringMLKEMTests {
    typealias H = BoringTestSupport

    @Test("Sizes: encapsulation key, ciphertext, shared secret (FIPS 203 §8 Table 3)", arguments: MLKEMKeyExchange.all)
    func sizes(_ method: MLKEMKeyExchange) {
        switch method.parameterSet {
        case .mlKEM768:
            #expect(method.id == .mlKEM768 && method.initiatorValueLength == 1184 && method.responderValueLength == 1088)
        case .mlKEM1024:
            #expect(method.id == .mlKEM1024 && method.initiatorValueLength == 1568 && method.responderValueLength == 1568)
        }
    }

    @Test("Both sides agree on a 32-byte secret (RFC 9370)", arguments: MLKEMKeyExchange.all)
    func agreement(_ method: MLKEMKeyExchange) throws {
        var random = BoringTestRandom(seed: UInt64(method.id.rawValue))
        let share = try method.generate(using: &random)
        #expect(share.publicValue.count == method.initiatorValueLength)
        let response = try method.respond(to: share.publicValue, using: &random)
        #expect(response.publicValue.count == method.responderValueLength)
        #expect(response.sharedSecret.count == 32)
        #expect(try share.complete(peerValue: response.publicValue) == response.sharedSecret)
    }

    @Test("Key generation is deterministic for the same seed (FIPS 203 §6.1 ML-KEM.KeyGen_internal)", arguments: MLKEMKeyExchange.all)
    func deterministic(_ method: MLKEMKeyExchange) throws {
        var a = BoringTestRandom(seed: 99)
        var b = BoringTestRandom(seed: 99)
        var c = BoringTestRandom(seed: 100)
        let first = try method.generate(using: &a)
        let second = try method.generate(using: &b)
        #expect(first.publicValue == second.publicValue)
        #expect(try method.generate(using: &c).publicValue != first.publicValue)
        // The same ciphertext decapsulates to the same secret with either copy.
        let response = try method.respond(to: first.publicValue, using: &c)
        #expect(try first.complete(peerValue: response.publicValue) == second.complete(peerValue: response.publicValue))
    }

    @Test("Peer values of the wrong size are rejected (RFC 9370, FIPS 203 §7.2/§7.3)", arguments: MLKEMKeyExchange.all)
    func badSizes(_ method: MLKEMKeyExchange) throws {
        var random = BoringTestRandom(seed: 5)
        let share = try method.generate(using: &random)
        let response = try method.respond(to: share.publicValue, using: &random)
        for value in [[], Array(share.publicValue.dropLast()), share.publicValue + [0], response.publicValue] {
            if value.count == method.initiatorValueLength { continue }
            #expect(H.errorCode { _ = try method.respond(to: value, using: &random) } == .invalidPublicValue)
        }
        for value in [[], Array(response.publicValue.dropLast()), response.publicValue + [0]] {
            #expect(H.errorCode { _ = try share.complete(peerValue: value) } == .invalidPublicValue)
        }
    }

    @Test("An encapsulation key with coefficients >= q is rejected (FIPS 203 §7.2 modulus check)", arguments: MLKEMKeyExchange.all)
    func modulusCheck(_ method: MLKEMKeyExchange) {
        var random = BoringTestRandom(seed: 6)
        // 0xFFF in every 12-bit coefficient is 4095 > q = 3329.
        let bad = [UInt8](repeating: 0xFF, count: method.initiatorValueLength)
        #expect(H.errorCode { _ = try method.respond(to: bad, using: &random) } == .invalidPublicValue)
    }

    @Test("A tampered ciphertext gives a different secret (FIPS 203 implicit rejection)", arguments: MLKEMKeyExchange.all)
    func implicitRejection(_ method: MLKEMKeyExchange) throws {
        var random = BoringTestRandom(seed: 8)
        let share = try method.generate(using: &random)
        let response = try method.respond(to: share.publicValue, using: &random)
        var tampered = response.publicValue
        tampered[0] ^= 1
        let secret = try share.complete(peerValue: tampered)
        #expect(secret.count == 32 && secret != response.sharedSecret)
    }
}
