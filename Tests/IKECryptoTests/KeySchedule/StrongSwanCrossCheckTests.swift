import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// The key schedule, SK protection and PSK AUTH against strongSwan 5.9.8, byte for byte:
/// charon logged its keys at level 4 while the fixture captures were made (see
/// Tests/Fixtures/captures/README.md). From the same nonces, SPIs and shared secret,
/// Cygnet must derive the same SKEYSEED and SK_* keys, decrypt charon's IKE_AUTH
/// messages, compute the same AUTH values, and the same Child SA keys.
@Suite("Cross-check with strongSwan's key log (RFC 7296 §2.14, §2.15, §2.17)")
struct StrongSwanCrossCheckTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        var name: String
        var prf: PseudorandomFunctionID
        var encryption: EncryptionAlgorithmID
        var keyBits: Int
        var integrity: IntegrityAlgorithmID?
        var espEncryption: EncryptionAlgorithmID
        var espKeyBits: Int
        var espIntegrity: IntegrityAlgorithmID?
        /// Inner payload types of the IKE_AUTH request and response (README of the fixtures).
        var authRequestPayloads: [PayloadType]
        var authResponsePayloads: [PayloadType]
        var testDescription: String { name }
    }

    static let psk = "cygnet-lab-psk-not-secret-0001"
    static let requestPayloads: [PayloadType] = [35, 41, 36, 39, 33, 44, 45, 41, 41, 41]
    static let responsePayloads: [PayloadType] = [36, 39, 33, 44, 45]

    static let scenarios = [
        Scenario(
            name: "psk-x25519-gcm", prf: .hmacSHA2_256, encryption: .aesGCM16, keyBits: 256, integrity: nil,
            espEncryption: .aesGCM16, espKeyBits: 256, espIntegrity: nil, authRequestPayloads: requestPayloads,
            authResponsePayloads: responsePayloads),
        Scenario(
            name: "psk-modp2048", prf: .hmacSHA2_256, encryption: .aesCBC, keyBits: 128, integrity: .hmacSHA2_256_128,
            espEncryption: .aesCBC, espKeyBits: 128, espIntegrity: .hmacSHA2_256_128,
            authRequestPayloads: requestPayloads, authResponsePayloads: responsePayloads),
    ]

    @Test("SKEYSEED, SK_*, SK decryption, PSK AUTH and Child SA KEYMAT match charon", arguments: scenarios)
    func crossCheck(scenario: Scenario) throws {
        let log = try CharonKeyLog(named: "\(scenario.name)-left")
        let messages = try CharonKeyLog.messages(scenario.name)
        let initRequest = try IKEMessage(decoding: try #require(messages[1]))
        let initResponse = try IKEMessage(decoding: try #require(messages[2]))
        let ni = try #require(initRequest.payloads.compactMap { if case .nonce(let n) = $0 { n.data } else { nil } }.first)
        let nr = try #require(initResponse.payloads.compactMap { if case .nonce(let n) = $0 { n.data } else { nil } }.first)
        let spiI = initResponse.header.initiatorSPI
        let spiR = initResponse.header.responderSPI

        let provider = CryptoProvider.default
        let schedule = try IKEKeySchedule(
            provider: provider, prf: scenario.prf, encryption: scenario.encryption, keyBits: scenario.keyBits,
            integrity: scenario.integrity)
        let sharedSecret = SecretBytes(try log.value("shared Diffie Hellman secret"))
        let skeyseed = try schedule.skeyseed(initiatorNonce: ni, responderNonce: nr, sharedSecret: sharedSecret)
        #expect(skeyseed.unprotectedBytes == (try log.value("SKEYSEED")))
        let keys = try schedule.keyMaterial(
            skeyseed: skeyseed, initiatorNonce: ni, responderNonce: nr, initiatorSPI: spiI, responderSPI: spiR)
        #expect(keys.d.unprotectedBytes == (try log.value("Sk_d secret")))
        #expect(keys.ei.unprotectedBytes == (try log.value("Sk_ei secret")))
        #expect(keys.er.unprotectedBytes == (try log.value("Sk_er secret")))
        #expect(keys.pi.unprotectedBytes == (try log.value("Sk_pi secret")))
        #expect(keys.pr.unprotectedBytes == (try log.value("Sk_pr secret")))
        if scenario.integrity != nil {
            #expect(keys.ai.unprotectedBytes == (try log.value("Sk_ai secret")))
            #expect(keys.ar.unprotectedBytes == (try log.value("Sk_ar secret")))
        } else {
            #expect(keys.ai.isEmpty && keys.ar.isEmpty)
        }

        // Decrypt charon's IKE_AUTH request and response with our SK payload code.
        let inbound = try SKPayloadProtection(
            encryption: schedule.encryption, encryptionKey: keys.ei, integrity: schedule.integrity,
            integrityKey: scenario.integrity == nil ? nil : keys.ai)
        let outbound = try SKPayloadProtection(
            encryption: schedule.encryption, encryptionKey: keys.er, integrity: schedule.integrity,
            integrityKey: scenario.integrity == nil ? nil : keys.ar)
        let authRequest = try inbound.decryptPayloads(ByteBuffer(bytes: try #require(messages[3])))
        let authResponse = try outbound.decryptPayloads(ByteBuffer(bytes: try #require(messages[4])))
        #expect(authRequest.map(\.type) == scenario.authRequestPayloads)
        #expect(authResponse.map(\.type) == scenario.authResponsePayloads)
        try IKEMessageRules.rules(for: .ikeAuth, isResponse: false)?.check(decryptedPayloads: authRequest)
        try IKEMessageRules.rules(for: .ikeAuth, isResponse: true)?.check(decryptedPayloads: authResponse)

        // PSK AUTH of both sides (RFC 7296 §2.15).
        let prf = schedule.prf
        let idi = try #require(authRequest.compactMap { if case .identificationInitiator(let id) = $0 { id } else { nil } }.first)
        let idr = try #require(authResponse.compactMap { if case .identificationResponder(let id) = $0 { id } else { nil } }.first)
        #expect(String(decoding: idi.data, as: UTF8.self) == "left@lab.test")
        let initiatorOctets = AuthenticationOctets.signedOctets(
            prf: prf, firstMessage: try #require(messages[1]), peerNonce: nr, identification: idi, skP: keys.pi)
        #expect(initiatorOctets == (try log.value("octets = message + nonce + prf(Sk_px, IDx')", 0)))
        let responderOctets = AuthenticationOctets.signedOctets(
            prf: prf, firstMessage: try #require(messages[2]), peerNonce: ni, identification: idr, skP: keys.pr)
        #expect(responderOctets == (try log.value("octets = message + nonce + prf(Sk_px, IDx')", 1)))
        let secret = SecretBytes(Array(Self.psk.utf8))
        for (octets, payloads) in [(initiatorOctets, authRequest), (responderOctets, authResponse)] {
            let auth = try #require(payloads.compactMap { if case .authentication(let a) = $0 { a } else { nil } }.first)
            #expect(auth.method == .sharedKeyMIC)
            #expect(AuthenticationOctets.sharedKeyAuthentication(prf: prf, sharedSecret: secret, signedOctets: octets) == auth.data)
            #expect(AuthenticationOctets.verifySharedKeyAuthentication(prf: prf, sharedSecret: secret, signedOctets: octets, received: auth.data))
            #expect(!AuthenticationOctets.verifySharedKeyAuthentication(prf: prf, sharedSecret: SecretBytes(Array("wrong".utf8)), signedOctets: octets, received: auth.data))
        }

        // Child SA KEYMAT (no PFS in IKE_AUTH).
        let espEncryption = try provider.encryptionAlgorithm(scenario.espEncryption, keyBits: scenario.espKeyBits)
        let espIntegrity = try scenario.espIntegrity.map { id throws(IKECryptoError) in try provider.integrityAlgorithm(id) }
        let child = try schedule.childKeyMaterial(
            skD: keys.d, encryption: espEncryption, integrity: espIntegrity, initiatorNonce: ni, responderNonce: nr)
        #expect(child.initiatorEncryption.unprotectedBytes == (try log.value("encryption initiator key")))
        #expect(child.responderEncryption.unprotectedBytes == (try log.value("encryption responder key")))
        if scenario.espIntegrity != nil {
            #expect(child.initiatorIntegrity.unprotectedBytes == (try log.value("integrity initiator key")))
            #expect(child.responderIntegrity.unprotectedBytes == (try log.value("integrity responder key")))
        }
    }

    @Test("A tampered SK payload fails its integrity check, for AEAD and for encrypt-then-MAC", arguments: scenarios)
    func tamperedSK(scenario: Scenario) throws {
        let log = try CharonKeyLog(named: "\(scenario.name)-left")
        let messages = try CharonKeyLog.messages(scenario.name)
        let provider = CryptoProvider.default
        let encryption = try provider.encryptionAlgorithm(scenario.encryption, keyBits: scenario.keyBits)
        let integrity = try scenario.integrity.map { id throws(IKECryptoError) in try provider.integrityAlgorithm(id) }
        let protection = try SKPayloadProtection(
            encryption: encryption, encryptionKey: SecretBytes(try log.value("Sk_ei secret")), integrity: integrity,
            integrityKey: scenario.integrity == nil ? nil : SecretBytes(try log.value("Sk_ai secret")))
        let original = try #require(messages[3])
        for index in [0, 20, 30, original.count / 2, original.count - 1] {
            var tampered = original
            tampered[index] ^= 0x80
            #expect(throws: IKECryptoError.self, "byte \(index)") {
                try protection.open(ByteBuffer(bytes: tampered))
            }
        }
    }
}
