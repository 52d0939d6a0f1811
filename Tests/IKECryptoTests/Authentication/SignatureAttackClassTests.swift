import Crypto
import IKECrypto
import IKEWire
import Testing

/// The signature and key attacks that made other IKEv2 daemons accept forged AUTH payloads
/// or crash on a peer's key, against the one place Cygnet checks a peer's signature
/// (``AuthenticationVerifier``) and reads a peer's key (``PublicKey``). Each forgery is
/// built here, with BoringSSL where it needs big numbers, and must be refused with
/// `invalidSignature` (AUTHENTICATION_FAILED) or `invalidKey`, never trap.
@Suite("CVE classes: forged signatures and hostile RSA keys are refused (RFC 7296 §2.15, RFC 7427, RFC 8017)")
struct SignatureAttackClassTests {
    typealias Support = SignatureTestSupport
    typealias Identifier = SignatureAlgorithmIdentifier

    static let octets = Array("InitiatorSignedOctets of an IKE_AUTH exchange".utf8)

    // MARK: ECDSA and Ed25519

    /// An AUTH payload a peer sends with nothing (or zeros) where the signature goes.
    struct EmptySignature: Sendable, CustomTestStringConvertible {
        var name: String
        /// Index into ``SignatureTestSupport/generatedKeys``.
        var key: Int
        var method: AuthenticationMethod
        var data: [UInt8]
        var testDescription: String { name }

        static func method14(_ name: String, key: Int, _ identifier: [UInt8], _ value: [UInt8]) -> EmptySignature {
            EmptySignature(name: name, key: key, method: .digitalSignature, data: [UInt8(identifier.count)] + identifier + value)
        }
    }

    static let emptySignatures: [EmptySignature] = [
        EmptySignature(name: "method 9, empty", key: 1, method: .ecdsaSHA256P256, data: []),
        EmptySignature(name: "method 9, r = s = 0", key: 1, method: .ecdsaSHA256P256, data: zeros(64)),
        EmptySignature(name: "method 9, one zero octet", key: 1, method: .ecdsaSHA256P256, data: [0]),
        EmptySignature(name: "method 10, empty", key: 2, method: .ecdsaSHA384P384, data: []),
        EmptySignature(name: "method 10, r = s = 0", key: 2, method: .ecdsaSHA384P384, data: zeros(96)),
        EmptySignature(name: "method 11, empty", key: 3, method: .ecdsaSHA512P521, data: []),
        EmptySignature(name: "method 11, r = s = 0", key: 3, method: .ecdsaSHA512P521, data: zeros(132)),
        .method14("method 14 ECDSA, no signature value", key: 1, Identifier.ecdsaWithSHA256, []),
        .method14("method 14 ECDSA, SEQUENCE { 0, 0 }", key: 1, Identifier.ecdsaWithSHA256, [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]),
        .method14("method 14 ECDSA, empty SEQUENCE", key: 1, Identifier.ecdsaWithSHA256, [0x30, 0x00]),
        .method14("method 14 ECDSA P-384, SEQUENCE { 0, 0 }", key: 2, Identifier.ecdsaWithSHA384, [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]),
        .method14("method 14 Ed25519, zeros", key: 4, Identifier.ed25519, zeros(64)),
        .method14("method 14 Ed25519, no signature value", key: 4, Identifier.ed25519, []),
    ]

    static func zeros(_ count: Int) -> [UInt8] { [UInt8](repeating: 0, count: count) }

    @Test("CVE-2013-2944 class: an empty or all-zero ECDSA (or Ed25519) signature never verifies", arguments: emptySignatures)
    func emptySignature(_ forged: EmptySignature) throws {
        let key = try #require(Support.generatedKeys.count == 5 ? Support.generatedKeys[forged.key] : nil)
        #expect(throws: IKECryptoError(.invalidSignature)) {
            try AuthenticationVerifier.verify(
                octets: Self.octets, authMethod: forged.method, authData: forged.data, publicKey: key.publicKey)
        }
    }

    @Test("CVE-2013-2944 class: a real ECDSA signature with r or s set to zero never verifies", arguments: [true, false])
    func zeroedHalf(zeroingR: Bool) throws {
        let key = try #require(Support.generatedKeys.count == 5 ? Support.generatedKeys[1] : nil)
        var random = SignatureTestRandom()
        let genuine = try key.sign(octets: Self.octets, scheme: .ecdsaP256SHA256, random: &random)
        #expect(try AuthenticationVerifier.verify(
            octets: Self.octets, authMethod: genuine.method, authData: genuine.data, publicKey: key.publicKey)
            == .ecdsaP256SHA256)
        var data = genuine.data
        data.replaceSubrange(zeroingR ? 0..<32 : 32..<64, with: Self.zeros(32))
        #expect(throws: IKECryptoError(.invalidSignature)) {
            try AuthenticationVerifier.verify(
                octets: Self.octets, authMethod: genuine.method, authData: data, publicKey: key.publicKey)
        }
    }

    // MARK: RSA PKCS#1 v1.5 with e = 3

    /// RFC 8017 §9.2 note 1: the DigestInfo prefixes of SHA-1 and SHA-256.
    static let sha1DigestInfo: [UInt8] = [
        0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A, 0x05, 0x00, 0x04, 0x14,
    ]
    static let sha256DigestInfo: [UInt8] = [
        0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
    ]
    static let sha256OID: [UInt8] = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]
    static var sha256Digest: [UInt8] { Array(SHA256.hash(data: octets)) }

    /// EM = 0x00 ‖ `blockType` ‖ PS ‖ `separator` ‖ `body` (RFC 8017 §9.2), PS of `padding`
    /// octets filling the rest of `length`.
    static func encoded(
        length: Int, blockType: UInt8 = 0x01, padding: UInt8 = 0xFF, separator: [UInt8] = [0x00], body: [UInt8]
    ) -> [UInt8] {
        let paddingLength = length - 2 - separator.count - body.count
        return [0x00, blockType] + [UInt8](repeating: padding, count: max(paddingLength, 0)) + separator + body
    }

    /// Method-14 AUTH data naming sha256WithRSAEncryption.
    static func method14RSA(_ signature: [UInt8]) -> [UInt8] {
        [UInt8(Identifier.sha256WithRSAEncryption.count)] + Identifier.sha256WithRSAEncryption + signature
    }

    @Test(
        "CVE-2018-16152, CVE-2026-50721 class: an e=3 signature forged without the private key (short padding, garbage after the DigestInfo) is refused",
        arguments: [false, true])
    func bleichenbacherForgery(method14: Bool) throws {
        let key = try #require(ExponentThreeRSA.shared)
        let publicKey = try PublicKey(derRepresentation: key.publicKeyDER)
        let length = key.modulus.count
        let digestInfo = method14
            ? Self.sha256DigestInfo + Self.sha256Digest : Self.sha1DigestInfo + Array(Insecure.SHA1.hash(data: Self.octets))
        // The key works: the genuine encoding, signed, verifies.
        let genuine = try #require(key.signRaw(Self.encoded(length: length, body: digestInfo)))
        let scheme = try AuthenticationVerifier.verify(
            octets: Self.octets, authMethod: method14 ? .digitalSignature : .rsaDigitalSignature,
            authData: method14 ? Self.method14RSA(genuine) : genuine, publicKey: publicKey)
        #expect(scheme == (method14 ? .rsaPKCS1v15(.sha2_256) : .rsaSHA1))
        // Bleichenbacher (2006): eight octets of padding, the DigestInfo, then garbage; the
        // integer cube root of that, rounded down, cubes back (below n, so with no
        // reduction) to a value that starts with the same octets.
        let prefix: [UInt8] = [0x00, 0x01] + [UInt8](repeating: 0xFF, count: 8) + [0x00] + digestInfo
        let target = prefix + [UInt8](repeating: 0xFF, count: length - prefix.count)
        let forged = try #require(ExponentThreeRSA.cubeRoot(target, length: length))
        let cube = try #require(ExponentThreeRSA.cube(forged, length: length))
        try #require(cube.lexicographicallyPrecedes(key.modulus))
        try #require(Array(cube.prefix(prefix.count)) == prefix, "the forgery is what a lax verifier would accept")
        #expect(throws: IKECryptoError(.invalidSignature)) {
            try AuthenticationVerifier.verify(
                octets: Self.octets, authMethod: method14 ? .digitalSignature : .rsaDigitalSignature,
                authData: method14 ? Self.method14RSA(forged) : forged, publicKey: publicKey)
        }
    }

    /// PKCS#1 v1.5 encodings a parser that reads the DigestInfo loosely accepts, each with
    /// the right SHA-256 digest in it.
    static let nonCanonicalEncodings: [(String, @Sendable (Int) -> [UInt8])] = [
        ("garbage after the digest, padding shortened", { length in
            encoded(length: length, body: sha256DigestInfo + sha256Digest + [UInt8](repeating: 0x5A, count: 16))
        }),
        ("garbage as the AlgorithmIdentifier parameters", { length in
            let algorithm = der(0x30, der(0x06, sha256OID) + der(0x04, [UInt8](repeating: 0x5A, count: 16)))
            return encoded(length: length, body: der(0x30, algorithm + der(0x04, sha256Digest)))
        }),
        ("the DigestInfo length in long form", { length in
            encoded(length: length, body: [0x30, 0x81] + sha256DigestInfo.dropFirst() + sha256Digest)
        }),
        ("block type 02", { length in encoded(length: length, blockType: 0x02, body: sha256DigestInfo + sha256Digest) }),
        ("padding of 0xFE", { length in encoded(length: length, padding: 0xFE, body: sha256DigestInfo + sha256Digest) }),
        ("no zero octet after the padding", { length in
            encoded(length: length, separator: [], body: sha256DigestInfo + sha256Digest)
        }),
    ]

    @Test(
        "CVE-2018-16151 class: a correctly exponentiated e=3 signature of a non-canonical PKCS#1 v1.5 encoding is refused",
        arguments: nonCanonicalEncodings.indices)
    func nonCanonicalEncoding(index: Int) throws {
        let key = try #require(ExponentThreeRSA.shared)
        let publicKey = try PublicKey(derRepresentation: key.publicKeyDER)
        let (name, encoding) = Self.nonCanonicalEncodings[index]
        let signature = try #require(key.signRaw(encoding(key.modulus.count)), "\(name)")
        #expect(throws: IKECryptoError(.invalidSignature), "\(name)") {
            try AuthenticationVerifier.verify(
                octets: Self.octets, authMethod: .digitalSignature, authData: Self.method14RSA(signature),
                publicKey: publicKey)
        }
    }

    @Test("CVE-2017-11185, CVE-2017-9022 class: RSA signature values 0, 1, n-1, n, above n and of the wrong length are refused")
    func degenerateRSASignatureValues() throws {
        let key = try #require(ExponentThreeRSA.shared)
        let publicKey = try PublicKey(derRepresentation: key.publicKeyDER)
        let length = key.modulus.count
        var belowModulus = key.modulus
        belowModulus[length - 1] &-= 1
        let values: [[UInt8]] = [
            [], [0], Self.zeros(length), Self.zeros(length - 1) + [1], belowModulus, key.modulus,
            [UInt8](repeating: 0xFF, count: length), Self.zeros(length - 1), Self.zeros(length + 1),
            [0x00] + key.modulus,
        ]
        for value in values {
            for (method, data) in [(AuthenticationMethod.rsaDigitalSignature, value), (.digitalSignature, Self.method14RSA(value))] {
                #expect(throws: IKECryptoError(.invalidSignature), "\(value.count) octets, method \(method)") {
                    try AuthenticationVerifier.verify(
                        octets: Self.octets, authMethod: method, authData: data, publicKey: publicKey)
                }
            }
        }
    }

    // MARK: RSA keys

    static func der(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        let count = content.count
        let length: [UInt8] =
            count < 0x80 ? [UInt8(count)] : count < 0x100 ? [0x81, UInt8(count)] : [0x82, UInt8(count >> 8), UInt8(count & 0xFF)]
        return [tag] + length + content
    }

    /// RSAPublicKey (RFC 8017 Appendix A.1.1) from INTEGER contents, and the same key as
    /// a SubjectPublicKeyInfo (RFC 3279 §2.3.1).
    static func rsaPublicKeys(modulus: [UInt8], exponent: [UInt8]) -> [[UInt8]] {
        let pkcs1 = der(0x30, der(0x02, modulus) + der(0x02, exponent))
        let rsaEncryption: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
        let spki = der(0x30, der(0x30, der(0x06, rsaEncryption) + [0x05, 0x00]) + der(0x03, [0x00] + pkcs1))
        return [pkcs1, spki]
    }

    /// The INTEGER content of an odd modulus of exactly `bits` bits (a multiple of 8).
    static func modulus(bits: Int) -> [UInt8] {
        [0x00, 0x80] + [UInt8](repeating: 0x5A, count: bits / 8 - 2) + [0x01]
    }

    @Test("CVE-2018-17540 class: RSA public keys with tiny moduli are refused when read", arguments: [16, 64, 512, 1024, 2040])
    func tinyModulus(bits: Int) throws {
        for der in Self.rsaPublicKeys(modulus: Self.modulus(bits: bits), exponent: [0x01, 0x00, 0x01]) {
            #expect(throws: IKECryptoError(.invalidKey)) { try PublicKey(derRepresentation: der) }
        }
        // The same construction at 2048 bits is a key Cygnet reads.
        for der in Self.rsaPublicKeys(modulus: Self.modulus(bits: 2048), exponent: [0x01, 0x00, 0x01]) {
            #expect(try PublicKey(derRepresentation: der).keyType == .rsa(bits: 2048))
        }
    }

    @Test("CVE-2026-14957 class: RSA public keys with exponent 0, 1, an even, a negative or a huge exponent are refused when read",
          arguments: [[0x00], [0x01], [0x02], [0x01, 0x00, 0x00], [0xFF], [0x80, 0x00, 0x00, 0x01], [0x01] + zeros(8) + [0x01]])
    func badExponent(exponent: [UInt8]) throws {
        for der in Self.rsaPublicKeys(modulus: Self.modulus(bits: 2048), exponent: exponent) {
            #expect(throws: IKECryptoError(.invalidKey)) { try PublicKey(derRepresentation: der) }
        }
    }

    // MARK: RSASSA-PSS

    /// id-RSASSA-PSS with SHA-256, MGF1-SHA-256 and a saltLength of `salt` (the INTEGER's
    /// content), as RFC 7427 Appendix A.4.3 writes it.
    static func pssIdentifier(salt: [UInt8]) -> [UInt8] {
        let sha256 = der(0x30, der(0x06, sha256OID) + [0x05, 0x00])
        let pss: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A]
        let mgf1: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x08]
        let parameters = der(0xA0, sha256) + der(0xA1, der(0x30, der(0x06, mgf1) + sha256)) + der(0xA2, der(0x02, salt))
        return der(0x30, der(0x06, pss) + der(0x30, parameters))
    }

    @Test("CVE-2021-41990 class: an RSASSA-PSS salt length too large for an integer, negative, or too large for the key is refused",
          arguments: [
              [0x7F, 0xFF, 0xFF, 0xFF], [0x00, 0xFF, 0xFF, 0xFF, 0xFF], [0x01, 0x00, 0x00, 0x00, 0x00],
              [0x01] + zeros(8), [0x80], [0xFF, 0xFF, 0xFF, 0xFF], [0x04, 0x01], [0x03, 0xE8], [0x00, 0xDF],
          ])
    func hugeSaltLength(salt: [UInt8]) throws {
        #expect(Self.pssIdentifier(salt: [0x20]) == Identifier.rsassaPSSSHA256)
        let key = try #require(Support.generatedKeys.first)
        let identifier = Self.pssIdentifier(salt: salt)
        // Salts of up to 222 octets fit a 2048-bit key with SHA-256 (RFC 8017 §9.1.2:
        // emLen ≥ hLen + sLen + 2); a signature's worth of 0x5A verifies under none.
        let data = [UInt8(identifier.count)] + identifier + [UInt8](repeating: 0x5A, count: 256)
        #expect(throws: IKECryptoError(.invalidSignature)) {
            try AuthenticationVerifier.verify(
                octets: Self.octets, authMethod: .digitalSignature, authData: data, publicKey: key.publicKey)
        }
    }
}
