import Foundation
import IKECrypto
import Testing

/// PEM and DER key loading. Fixture keys: `Tests/Fixtures/keys/` (made with `openssl`, see
/// the README there for the exact commands).
@Suite("Key loading: PKCS#1, PKCS#8, SEC1, SubjectPublicKeyInfo (RFC 8017, RFC 5958, RFC 5915, RFC 5280)")
struct KeyLoadingTests {
    typealias Support = SignatureTestSupport

    /// (private key file, public key file, key type)
    static let pairs: [(String, String, KeyType)] = [
        ("rsa2048-pkcs1.pem", "rsa2048-spki.pem", .rsa(bits: 2048)),
        ("rsa2048-pkcs8.pem", "rsa2048-pkcs1-public.pem", .rsa(bits: 2048)),
        ("rsa2048-pkcs1.der", "rsa2048-spki.der", .rsa(bits: 2048)),
        ("rsa2048-pkcs8.der", "rsa2048-pkcs1-public.der", .rsa(bits: 2048)),
        ("ecp256-pkcs8.pem", "ecp256-spki.pem", .p256),
        ("ecp256-sec1.pem", "ecp256-spki.der", .p256),
        ("ecp256-pkcs8.der", "ecp256-spki.pem", .p256),
        ("ecp256-sec1.der", "ecp256-spki.der", .p256),
        ("ecp384-pkcs8.pem", "ecp384-spki.pem", .p384),
        ("ecp384-sec1.pem", "ecp384-spki.der", .p384),
        ("ecp384-pkcs8.der", "ecp384-spki.der", .p384),
        ("ecp384-sec1.der", "ecp384-spki.pem", .p384),
        ("ecp521-pkcs8.pem", "ecp521-spki.pem", .p521),
        ("ecp521-sec1.pem", "ecp521-spki.der", .p521),
        ("ecp521-pkcs8.der", "ecp521-spki.der", .p521),
        ("ecp521-sec1.der", "ecp521-spki.pem", .p521),
        ("ed25519-pkcs8.pem", "ed25519-spki.pem", .ed25519),
        ("ed25519-pkcs8.der", "ed25519-spki.der", .ed25519),
    ]

    static func loadPrivate(_ name: String) throws -> PrivateKey {
        name.hasSuffix(".pem")
            ? try PrivateKey(pemRepresentation: Support.fixtureText(name))
            : try PrivateKey(derRepresentation: Support.fixtureBytes(name))
    }

    static func loadPublic(_ name: String) throws -> PublicKey {
        name.hasSuffix(".pem")
            ? try PublicKey(pemRepresentation: Support.fixtureText(name))
            : try PublicKey(derRepresentation: Support.fixtureBytes(name))
    }

    @Test("Each private key format loads and signs what its public key file verifies", arguments: pairs.indices)
    func privateAndPublicMatch(index: Int) throws {
        let (privateName, publicName, keyType) = Self.pairs[index]
        let privateKey = try Self.loadPrivate(privateName)
        let publicKey = try Self.loadPublic(publicName)
        #expect(privateKey.keyType == keyType)
        #expect(publicKey.keyType == keyType)
        let octets = Array("RFC 7296 §2.15 signed octets".utf8)
        let scheme = try SignatureScheme.preferred(for: keyType, peerHashes: .cygnetDefault)
        var random = SignatureTestRandom()
        let signature = try privateKey.sign(octets: octets, scheme: scheme, random: &random)
        try AuthenticationVerifier.verify(
            octets: octets, authMethod: signature.method, authData: signature.data, publicKey: publicKey)
    }

    @Test("An EC PARAMETERS block before the SEC1 key is skipped (openssl ecparam -genkey)")
    func ecParametersSkipped() throws {
        let key = try PrivateKey(pemRepresentation: Support.fixtureText("ecp256-with-params.pem"))
        #expect(key.keyType == .p256)
    }

    @Test("Private key description shows algorithm and size only")
    func descriptionHidesMaterial() throws {
        let rsa = try Self.loadPrivate("rsa2048-pkcs1.pem")
        #expect(rsa.description == "RSA-2048 private key")
        #expect(String(reflecting: rsa) == "RSA-2048 private key")
        #expect("\(try Self.loadPrivate("ed25519-pkcs8.pem"))" == "Ed25519 private key")
        #expect("\(try Self.loadPrivate("ecp384-sec1.der"))" == "ECDSA P-384 private key")
    }

    @Test("Encrypted keys are refused with an error saying so", arguments: [
        "rsa2048-pkcs8-encrypted.pem", "rsa2048-pkcs1-encrypted.pem",
    ])
    func encryptedRefused(name: String) throws {
        let error = #expect(throws: IKECryptoError.self) {
            try PrivateKey(pemRepresentation: Support.fixtureText(name))
        }
        #expect(error?.code == .invalidKey)
        #expect(error?.description.contains("encrypted") == true)
    }

    @Test("Unsupported keys are refused with a clear error", arguments: [
        ("rsa1024-pkcs8.pem", "1024 bits"),
        ("ed448-pkcs8.pem", "1.3.101.113"),
        ("ecsecp256k1-pkcs8.pem", "1.3.132.0.10"),
        ("rsa2048-spki.pem", "no private key"),
    ])
    func unsupportedRefused(name: String, message: String) throws {
        let error = #expect(throws: IKECryptoError.self) {
            try PrivateKey(pemRepresentation: Support.fixtureText(name))
        }
        #expect(error?.code == .invalidKey)
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }

    @Test("A private key file is not a public key")
    func privateIsNotPublic() throws {
        #expect(throws: IKECryptoError(.invalidKey)) {
            try PublicKey(pemRepresentation: Support.fixtureText("ecp256-pkcs8.pem"))
        }
        #expect(throws: IKECryptoError(.invalidKey)) {
            try PublicKey(derRepresentation: Support.fixtureBytes("ecp256-pkcs8.der"))
        }
    }

    @Test("Malformed PEM is refused (RFC 7468 strict base64, matching labels)")
    func malformedPEM() throws {
        let good = try Support.fixtureText("ecp256-pkcs8.pem")
        let cases = [
            good.replacingOccurrences(of: "-----END PRIVATE KEY-----", with: "-----END PUBLIC KEY-----"),
            good.replacingOccurrences(of: "-----END PRIVATE KEY-----", with: ""),
            good.replacingOccurrences(of: "M", with: "*"),
            good.replacingOccurrences(of: "-----BEGIN PRIVATE KEY-----\n", with: "-----BEGIN PRIVATE KEY-----\nX"),
            "",
            "no PEM here",
            "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n",
            "-----BEGIN PRIVATE KEY-----\nAA=A\n-----END PRIVATE KEY-----\n",
            "-----BEGIN PRIVATE KEY-----\nAB==\n-----END PRIVATE KEY-----\n",  // non-zero pad bits
            good + good,
        ]
        for text in cases {
            #expect(throws: IKECryptoError(.invalidKey)) { try PrivateKey(pemRepresentation: text) }
        }
    }

    @Test("DER keys truncated at every offset throw, never trap", arguments: [
        "rsa2048-pkcs1.der", "rsa2048-pkcs8.der", "ecp256-sec1.der", "ecp521-pkcs8.der", "ed25519-pkcs8.der",
    ])
    func truncatedPrivateDER(name: String) throws {
        let der = try Support.fixtureBytes(name)
        for length in 0..<der.count {
            #expect(throws: IKECryptoError(.invalidKey)) { try PrivateKey(derRepresentation: Array(der[..<length])) }
        }
        #expect(throws: IKECryptoError(.invalidKey)) { try PrivateKey(derRepresentation: der + [0]) }
    }

    @Test("DER public keys truncated at every offset throw, never trap", arguments: [
        "rsa2048-spki.der", "rsa2048-pkcs1-public.der", "ecp256-spki.der", "ecp384-spki.der", "ed25519-spki.der",
    ])
    func truncatedPublicDER(name: String) throws {
        let der = try Support.fixtureBytes(name)
        for length in 0..<der.count {
            #expect(throws: IKECryptoError(.invalidKey)) { try PublicKey(derRepresentation: Array(der[..<length])) }
        }
        #expect(throws: IKECryptoError(.invalidKey)) { try PublicKey(derRepresentation: der + [0]) }
    }

    @Test("Single-octet corruption of DER keys throws or loads, never traps", arguments: [
        "ecp256-sec1.der", "ed25519-pkcs8.der", "ecp384-spki.der", "ed25519-spki.der",
    ])
    func corruptedDER(name: String) throws {
        let der = try Support.fixtureBytes(name)
        for offset in der.indices {
            var corrupted = der
            corrupted[offset] ^= 0xFF
            _ = try? PrivateKey(derRepresentation: corrupted)
            _ = try? PublicKey(derRepresentation: corrupted)
        }
    }

    @Test("SEC1 key whose stored public key does not match is refused (RFC 5915 §3)")
    func mismatchedEmbeddedPublicKey() throws {
        var der = try Support.fixtureBytes("ecp256-sec1.der")
        // The last octet is the end of the uncompressed public point's y coordinate.
        der[der.count - 1] ^= 0x01
        #expect(throws: IKECryptoError(.invalidKey)) { try PrivateKey(derRepresentation: der) }
    }

    @Test("Generated keys report their type")
    func generate() throws {
        #expect(try PrivateKey.generate(.p256).keyType == .p256)
        #expect(try PrivateKey.generate(.ed25519).publicKey.keyType == .ed25519)
        #expect(throws: IKECryptoError(.invalidKey)) { try PrivateKey.generate(.rsa(bits: 1024)) }
        #expect(throws: IKECryptoError(.invalidKey)) { try PrivateKey.generate(.rsa(bits: 16384)) }
    }
}
