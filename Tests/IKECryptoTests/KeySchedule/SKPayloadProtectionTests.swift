import IKECrypto
import IKEWire
import NIOCore
import Testing

@Suite("SK payload protection (RFC 7296 §3.14, RFC 5282, RFC 7383 §2.5)")
struct SKPayloadProtectionTests {
    struct Suite: Sendable, CustomTestStringConvertible {
        var encryption: EncryptionAlgorithmID
        var keyBits: Int?
        var integrity: IntegrityAlgorithmID?
        var testDescription: String { "\(encryption) \(keyBits.map(String.init) ?? "") \(integrity.map(\.description) ?? "")" }
    }

    static let suites: [Suite] = [
        Suite(encryption: .aesGCM16, keyBits: 256, integrity: nil),
        Suite(encryption: .aesGCM12, keyBits: 128, integrity: nil),
        Suite(encryption: .aesGCM8, keyBits: 192, integrity: nil),
        Suite(encryption: .chacha20Poly1305, keyBits: nil, integrity: nil),
        Suite(encryption: .aesCBC, keyBits: 128, integrity: .hmacSHA2_256_128),
        Suite(encryption: .aesCBC, keyBits: 256, integrity: .hmacSHA2_512_256),
        Suite(encryption: .aesCTR, keyBits: 256, integrity: .hmacSHA2_384_192),
        Suite(encryption: .aesCBC, keyBits: 192, integrity: .aesXCBC96),
        Suite(encryption: .aesCBC, keyBits: 128, integrity: .aesCMAC96),
        Suite(encryption: .aesCBC, keyBits: 128, integrity: .hmacSHA1_96),
    ]

    static let header = IKEHeader(
        initiatorSPI: 0x1122_3344_5566_7788, responderSPI: 0x99aa_bbcc_ddee_ff00, exchangeType: .ikeAuth,
        flags: .initiator, messageID: 1)

    static let inner: [IKEPayload] = [
        .identificationInitiator(IdentificationPayload(type: .fqdn, data: Array("left.lab.test".utf8))),
        .authentication(AuthenticationPayload(method: .sharedKeyMIC, data: [UInt8](repeating: 7, count: 32))),
        .notify(NotifyPayload(type: .initialContact)),
    ]

    func protection(_ suite: Suite, provider: CryptoProvider = .default, seed: UInt64 = 1) throws -> SKPayloadProtection {
        let encryption = try provider.encryptionAlgorithm(suite.encryption, keyBits: suite.keyBits)
        let integrity = try suite.integrity.map { id throws(IKECryptoError) in try provider.integrityAlgorithm(id) }
        var random = SeededRandomSource(seed: seed)
        return try SKPayloadProtection(
            encryption: encryption, encryptionKey: random.secretBytes(encryption.keyMaterialLength),
            integrity: integrity, integrityKey: integrity.map { random.secretBytes($0.keyLength) })
    }

    func sealed(_ suite: Suite, fragment: (UInt16, UInt16)? = nil) throws -> (SKPayloadProtection, ByteBuffer) {
        let protection = try protection(suite)
        var encoded = ByteBuffer()
        let first = try IKEPayload.encodeChain(Self.inner, to: &encoded)
        var random = SeededRandomSource(seed: 2)
        let message = try protection.seal(
            header: Self.header, innerFirstPayload: first, inner: encoded,
            fragment: fragment.map { (number: $0.0, total: $0.1) }, random: &random)
        return (protection, message)
    }

    @Test("Seal then open gives back the payloads; the message decodes and passes the rules", arguments: suites)
    func roundTrip(suite: Suite) throws {
        let (protection, message) = try sealed(suite)
        let decoded = try IKEMessage(decoding: message)
        #expect(Int(decoded.header.length) == message.readableBytes)
        try IKEMessageRules.rules(for: .ikeAuth, isResponse: false)?.check(decoded)
        let payloads = try protection.decryptPayloads(message)
        #expect(payloads == Self.inner)
        try IKEMessageRules.rules(for: .ikeAuth, isResponse: false)?.check(decryptedPayloads: payloads)
    }

    @Test("§3.14 the padded plaintext is a multiple of the block size; Pad Length is minimal", arguments: suites)
    func padding(suite: Suite) throws {
        let (protection, message) = try sealed(suite)
        let decoded = try IKEMessage(decoding: message)
        guard case .encrypted(let sk) = decoded.payloads.last else {
            Issue.record("no SK payload")
            return
        }
        let encryption = try CryptoProvider.default.encryptionAlgorithm(suite.encryption, keyBits: suite.keyBits)
        let ciphertext = sk.data.count - protection.overhead
        var innerBytes = ByteBuffer()
        try IKEPayload.encodeChain(Self.inner, to: &innerBytes)
        let blockSize: Int = if case .cipher(let cipher) = encryption { cipher.blockSize } else { 1 }
        #expect(ciphertext % blockSize == 0)
        #expect(ciphertext - innerBytes.readableBytes - 1 < blockSize)
    }

    @Test("Flipping any byte of the message makes open fail, and never traps", arguments: suites)
    func tamper(suite: Suite) throws {
        let (protection, message) = try sealed(suite)
        let bytes = Array(message.readableBytesView)
        for index in 0..<bytes.count {
            var tampered = bytes
            tampered[index] ^= 0x01
            #expect(throws: IKECryptoError.self, "byte \(index)") { try protection.open(ByteBuffer(bytes: tampered)) }
        }
    }

    @Test("Truncated messages are typed errors", arguments: suites.prefix(5))
    func truncation(suite: Suite) throws {
        let (protection, message) = try sealed(suite)
        let bytes = Array(message.readableBytesView)
        for length in 0..<bytes.count {
            var truncated = Array(bytes.prefix(length))
            if truncated.count >= 28 {
                // Keep the header and SK lengths consistent so the ICV and padding checks run.
                let length = UInt32(truncated.count)
                truncated.replaceSubrange(24..<28, with: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> $0) })
                if truncated.count >= 32 {
                    let payloadLength = UInt16(truncated.count - 28)
                    truncated.replaceSubrange(30..<32, with: [UInt8(payloadLength >> 8), UInt8(payloadLength & 0xFF)])
                }
            }
            #expect(throws: IKECryptoError.self, "length \(length)") { try protection.open(ByteBuffer(bytes: truncated)) }
        }
    }

    @Test("RFC 7383 §2.5.3: an SKF fragment authenticates its Fragment Number and Total Fragments")
    func fragment() throws {
        let suite = Self.suites[0]
        let (protection, message) = try sealed(suite, fragment: (2, 3))
        let decoded = try IKEMessage(decoding: message)
        guard case .encryptedFragment(let fragment) = decoded.payloads.last else {
            Issue.record("no SKF payload")
            return
        }
        #expect(fragment.fragmentNumber == 2)
        #expect(fragment.totalFragments == 3)
        var innerBytes = ByteBuffer()
        try IKEPayload.encodeChain(Self.inner, to: &innerBytes)
        #expect(try protection.open(message) == innerBytes)
        var bytes = Array(message.readableBytesView)
        bytes[33] = 1  // claim to be fragment 1 of 3
        #expect(throws: IKECryptoError.self) { try protection.open(ByteBuffer(bytes: bytes)) }
    }

    @Test("§3.14 a Pad Length larger than the decrypted data is rejected")
    func padLengthTooLarge() throws {
        let suite = Suite(encryption: .aesGCM16, keyBits: 256, integrity: nil)
        let protection = try protection(suite)
        var random = SeededRandomSource(seed: 3)
        var inner = ByteBuffer()
        inner.writeBytes([0, 0, 0, 200])
        let message = try protection.seal(
            header: Self.header, innerFirstPayload: .noNextPayload, inner: inner, random: &random)
        // Sealed properly, the plaintext is the 4 bytes plus a Pad Length of 0.
        #expect(try protection.open(message).readableBytes == 4)
        // Re-seal the same message with the same key, but with a Pad Length of 9 in a
        // 5-byte plaintext, so that only the padding check can reject it.
        let context = try CryptoProvider.default.encryptionAlgorithm(.aesGCM16, keyBits: 256)
        guard case .aead(let aead) = context else {
            Issue.record("not an AEAD")
            return
        }
        var keyRandom = SeededRandomSource(seed: 1)
        let aeadContext = try aead.makeContext(keyMaterial: keyRandom.secretBytes(aead.keyMaterialLength))
        var bytes = Array(message.readableBytesView)
        let ivStart = 32
        let dataStart = ivStart + 8
        let dataEnd = bytes.count - 16
        for index in dataStart..<dataEnd { bytes[index] = 0 }
        bytes[dataEnd - 1] = 9  // Pad Length 9 in a 5-byte plaintext
        try bytes.withUnsafeMutableBytes { raw in
            try aeadContext.seal(
                iv: UnsafeRawBufferPointer(rebasing: raw[ivStart..<dataStart]),
                aad: UnsafeRawBufferPointer(rebasing: raw[0..<ivStart]),
                data: UnsafeMutableRawBufferPointer(rebasing: raw[dataStart..<dataEnd]),
                icv: UnsafeMutableRawBufferPointer(rebasing: raw[dataEnd..<raw.count]))
        }
        let error = #expect(throws: IKECryptoError.self) { try protection.open(ByteBuffer(bytes: bytes)) }
        #expect(error?.code == .invalidCiphertext)
    }

    @Test("RFC 5282 §8: an AEAD with an integrity transform, a cipher without one, and NULL for IKE are refused")
    func invalidCombinations() throws {
        let provider = CryptoProvider.default.addingLegacyTransforms()
        let gcm = try provider.encryptionAlgorithm(.aesGCM16, keyBits: 128)
        let hmac = try provider.integrityAlgorithm(.hmacSHA2_256_128)
        #expect(throws: IKECryptoError.self) {
            try SKPayloadProtection(
                encryption: gcm, encryptionKey: SecretBytes([UInt8](repeating: 1, count: 20)), integrity: hmac,
                integrityKey: SecretBytes([UInt8](repeating: 1, count: 32)))
        }
        let cbc = try provider.encryptionAlgorithm(.aesCBC, keyBits: 128)
        #expect(throws: IKECryptoError.self) {
            try SKPayloadProtection(
                encryption: cbc, encryptionKey: SecretBytes([UInt8](repeating: 1, count: 16)), integrity: nil,
                integrityKey: nil)
        }
        let null = try provider.encryptionAlgorithm(.null, keyBits: nil)
        let error = #expect(throws: IKECryptoError.self) {
            try SKPayloadProtection(encryption: null, encryptionKey: SecretBytes([UInt8]()), integrity: hmac, integrityKey: SecretBytes([UInt8](repeating: 1, count: 32)))
        }
        #expect(error?.code == .unsupportedTransform)
    }

    @Test("The default provider leaves 3DES, NULL and MODP 1024/1536 to the explicit opt-in")
    func legacyOptIn() throws {
        let provider = CryptoProvider.default
        #expect(throws: IKECryptoError.self) { try provider.encryptionAlgorithm(.tripleDES, keyBits: nil) }
        #expect(throws: IKECryptoError.self) { try provider.encryptionAlgorithm(.null, keyBits: nil) }
        #expect(throws: IKECryptoError.self) { try provider.keyExchangeMethod(.modp1024) }
        #expect(throws: IKECryptoError.self) { try provider.keyExchangeMethod(.modp1536) }
        let legacy = provider.addingLegacyTransforms()
        _ = try legacy.encryptionAlgorithm(.tripleDES, keyBits: nil)
        _ = try legacy.keyExchangeMethod(.modp1024)
        _ = try legacy.keyExchangeMethod(.modp1536)
        for id: KeyExchangeMethodID in [.modp2048, .modp3072, .modp4096, .modp6144, .modp8192, .ecp256, .ecp384, .ecp521, .curve25519, .mlKEM768, .mlKEM1024] {
            _ = try provider.keyExchangeMethod(id)
        }
        for id: PseudorandomFunctionID in [.hmacSHA1, .hmacSHA2_256, .hmacSHA2_384, .hmacSHA2_512, .aes128XCBC, .aes128CMAC] {
            _ = try provider.pseudorandomFunction(id)
        }
        for id: IntegrityAlgorithmID in [.hmacSHA1_96, .hmacSHA2_256_128, .hmacSHA2_384_192, .hmacSHA2_512_256, .aesXCBC96, .aesCMAC96] {
            _ = try provider.integrityAlgorithm(id)
        }
        for (id, bits) in [(EncryptionAlgorithmID.aesCBC, 128), (.aesCBC, 192), (.aesCBC, 256), (.aesCTR, 128), (.aesCTR, 256),
                           (.aesGCM8, 256), (.aesGCM12, 256), (.aesGCM16, 128)] {
            _ = try provider.encryptionAlgorithm(id, keyBits: bits)
        }
        _ = try provider.encryptionAlgorithm(.chacha20Poly1305, keyBits: nil)
        #expect(throws: IKECryptoError.self) { try provider.encryptionAlgorithm(.aesCBC, keyBits: 100) }
    }
}
