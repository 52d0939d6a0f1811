import IKECrypto
import IKEWire
import Testing

/// Sign/verify round trips for every scheme and key type, with keys generated in-test by
/// swift-crypto (once per process, `SignatureTestSupport.generatedKeys`).
@Suite("AUTH signatures round trip (RFC 7296 §2.15, RFC 4754, RFC 7427, RFC 8420)")
struct SignatureRoundTripTests {
    static let schemes: [SignatureScheme] = [
        .rsaSHA1, .ecdsaP256SHA256, .ecdsaP384SHA384, .ecdsaP521SHA512,
        .rsaPKCS1v15(.sha2_256), .rsaPKCS1v15(.sha2_384), .rsaPKCS1v15(.sha2_512),
        .rsaPSS(.sha2_256, saltLength: 32), .rsaPSS(.sha2_384, saltLength: 48), .rsaPSS(.sha2_512, saltLength: 64),
        .ecdsa(.sha2_256), .ecdsa(.sha2_384), .ecdsa(.sha2_512), .ed25519,
    ]

    static let octets = Array("RealMessage1 | Nr | prf(SK_pi, IDi')".utf8)

    @Test("Every scheme signs and verifies with every key type it fits", arguments: schemes)
    func roundTrip(scheme: SignatureScheme) throws {
        let keys = SignatureTestSupport.generatedKeys.filter { scheme.fits($0.keyType) }
        #expect(!keys.isEmpty)
        for key in keys {
            var random = SignatureTestRandom()
            let signature = try key.sign(octets: Self.octets, scheme: scheme, random: &random)
            #expect(signature.method == scheme.authenticationMethod)
            let used = try AuthenticationVerifier.verify(
                octets: Self.octets, authMethod: signature.method, authData: signature.data,
                publicKey: key.publicKey)
            #expect(used == scheme)
            if scheme.authenticationMethod == .digitalSignature, let identifier = scheme.algorithmIdentifier {
                // RFC 7427 §3: ASN.1 Length | AlgorithmIdentifier | Signature Value.
                #expect(Int(signature.data[0]) == identifier.count)
                #expect(Array(signature.data[1...identifier.count]) == identifier)
            }
        }
    }

    @Test("Tampered octets and tampered signatures fail with invalidSignature", arguments: schemes)
    func tampered(scheme: SignatureScheme) throws {
        for key in SignatureTestSupport.generatedKeys where scheme.fits(key.keyType) {
            var random = SignatureTestRandom()
            let signature = try key.sign(octets: Self.octets, scheme: scheme, random: &random)
            var octets = Self.octets
            octets[3] ^= 0x01
            #expect(throws: IKECryptoError(.invalidSignature)) {
                try AuthenticationVerifier.verify(
                    octets: octets, authMethod: signature.method, authData: signature.data, publicKey: key.publicKey)
            }
            var data = signature.data
            data[data.count - 1] ^= 0x80
            #expect(throws: IKECryptoError(.invalidSignature)) {
                try AuthenticationVerifier.verify(
                    octets: Self.octets, authMethod: signature.method, authData: data, publicKey: key.publicKey)
            }
            #expect(throws: IKECryptoError(.invalidSignature)) {
                try AuthenticationVerifier.verify(
                    octets: Self.octets, authMethod: signature.method, authData: signature.data + [0],
                    publicKey: key.publicKey)
            }
        }
    }

    @Test("A signature does not verify with another key of the same type")
    func otherKey() throws {
        for keyType in [KeyType.p256, .ed25519] {
            let signer = try PrivateKey.generate(keyType)
            let other = try PrivateKey.generate(keyType)
            var random = SignatureTestRandom()
            let scheme = try SignatureScheme.preferred(for: keyType, peerHashes: .cygnetDefault)
            let signature = try signer.sign(octets: Self.octets, scheme: scheme, random: &random)
            #expect(throws: IKECryptoError(.invalidSignature)) {
                try AuthenticationVerifier.verify(
                    octets: Self.octets, authMethod: signature.method, authData: signature.data,
                    publicKey: other.publicKey)
            }
        }
    }

    @Test("A scheme that does not fit the key is refused when signing and verifying")
    func schemeKeyMismatch() throws {
        let keys = SignatureTestSupport.generatedKeys
        for key in keys {
            for scheme in Self.schemes where !scheme.fits(key.keyType) {
                var random = SignatureTestRandom()
                #expect(throws: IKECryptoError(.invalidSignature)) {
                    try key.sign(octets: Self.octets, scheme: scheme, random: &random)
                }
            }
        }
        // An ECDSA P-256 method-14 signature checked against every other key type.
        let p256 = try PrivateKey.generate(.p256)
        var random = SignatureTestRandom()
        let signature = try p256.sign(octets: Self.octets, scheme: .ecdsa(.sha2_256), random: &random)
        let method9 = try p256.sign(octets: Self.octets, scheme: .ecdsaP256SHA256, random: &random)
        for key in keys where key.keyType != .p256 {
            let error = #expect(throws: IKECryptoError.self) {
                try AuthenticationVerifier.verify(
                    octets: Self.octets, authMethod: signature.method, authData: signature.data,
                    publicKey: key.publicKey)
            }
            #expect(error?.code == .invalidSignature)
            // RFC 4754 §3: method 9 is ECDSA on P-256 only.
            #expect(throws: IKECryptoError(.invalidSignature)) {
                try AuthenticationVerifier.verify(
                    octets: Self.octets, authMethod: method9.method, authData: method9.data, publicKey: key.publicKey)
            }
        }
    }

    @Test("RFC 4754 §7 signatures are fixed-length r ‖ s", arguments: [
        (SignatureScheme.ecdsaP256SHA256, KeyType.p256, 64), (.ecdsaP384SHA384, .p384, 96),
        (.ecdsaP521SHA512, .p521, 132),
    ])
    func rawECDSALength(scheme: SignatureScheme, keyType: KeyType, length: Int) throws {
        let key = try PrivateKey.generate(keyType)
        var random = SignatureTestRandom()
        let signature = try key.sign(octets: Self.octets, scheme: scheme, random: &random)
        #expect(signature.data.count == length)
    }

    @Test("Non-signature Auth Methods are refused by the verifier", arguments: [
        AuthenticationMethod.sharedKeyMIC, .dssDigitalSignature, .null, .genericSecurePassword, 201,
    ])
    func nonSignatureMethods(method: AuthenticationMethod) throws {
        let key = try PrivateKey.generate(.p256)
        #expect(throws: IKECryptoError(.invalidSignature)) {
            try AuthenticationVerifier.verify(
                octets: Self.octets, authMethod: method, authData: [1, 2, 3], publicKey: key.publicKey)
        }
    }

    @Test("RSA PKCS#1 v1.5 and Ed25519 signatures are deterministic")
    func deterministic() throws {
        for key in SignatureTestSupport.generatedKeys where key.keyType == .ed25519 || key.keyType == .rsa(bits: 2048) {
            let scheme: SignatureScheme = key.keyType == .ed25519 ? .ed25519 : .rsaPKCS1v15(.sha2_256)
            var random = SignatureTestRandom()
            let first = try key.sign(octets: Self.octets, scheme: scheme, random: &random)
            let second = try key.sign(octets: Self.octets, scheme: scheme, random: &random)
            #expect(first == second)
        }
    }
}
