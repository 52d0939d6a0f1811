import IKEConfig
import IKECore
import IKECrypto
import IKEWire
import Testing

@Suite("Signature constraints choose and check schemes (RFC 7427 §4, strongSwan's auth constraints)")
struct SignatureConstraintSchemeTests {
    static func constraints(_ text: String) throws -> SignatureConstraints {
        try SignatureConstraintText.parse(text).get()
    }

    static let rsa2048 = KeyType.rsa(bits: 2048)
    static let all = SignatureHashAlgorithms.cygnetDefault

    static let choices: [(String, KeyType, SignatureHashAlgorithms?, SignatureScheme)] = [
        ("rsa/pss", rsa2048, all, .rsaPSS(.sha2_256, saltLength: 32)),
        ("rsa/pss-sha384", rsa2048, all, .rsaPSS(.sha2_384, saltLength: 48)),
        ("rsa/pss-sha512-sha256", rsa2048, SignatureHashAlgorithms([.sha2_256]), .rsaPSS(.sha2_256, saltLength: 32)),
        ("rsa-sha384", rsa2048, all, .rsaPKCS1v15(.sha2_384)),
        ("pubkey-sha384-sha256", rsa2048, all, .rsaPKCS1v15(.sha2_384)),
        ("pubkey-sha384-sha256", rsa2048, SignatureHashAlgorithms([.sha2_256]), .rsaPKCS1v15(.sha2_256)),
        ("pubkey-sha384-sha256", .p256, all, .ecdsa(.sha2_384)),
        ("ecdsa-sha384", .p256, all, .ecdsa(.sha2_384)),
        ("ecdsa-sha256-sha384", .p384, all, .ecdsa(.sha2_256)),
        ("ecdsa", .p384, all, .ecdsa(.sha2_384)),
        // Without the peer's SIGNATURE_HASH_ALGORITHMS: the classic method when it fits.
        ("ecdsa-sha384", .p384, nil, .ecdsaP384SHA384),
        ("ecdsa-sha384", .p384, SignatureHashAlgorithms([.sha2_256]), .ecdsaP384SHA384),
        ("rsa-sha1", rsa2048, nil, .rsaSHA1),
        ("pubkey", rsa2048, nil, .rsaSHA1),
        // ike: rules choose; the others are for the chain only.
        ("rsa-sha256-ike:rsa/pss-sha384", rsa2048, all, .rsaPSS(.sha2_384, saltLength: 48)),
        // A rule for another key type is skipped.
        ("ecdsa-sha384-rsa/pss-sha256", rsa2048, all, .rsaPSS(.sha2_256, saltLength: 32)),
        ("ed25519", .ed25519, all, .ed25519),
        ("pubkey-identity", .ed25519, all, .ed25519),
    ]

    @Test("local auth: the first allowed scheme the peer announced, in the order written", arguments: choices)
    func chooses(_ choice: (String, KeyType, SignatureHashAlgorithms?, SignatureScheme)) throws {
        let constraints = try Self.constraints(choice.0)
        #expect(try constraints.signingScheme(for: choice.1, peerHashes: choice.2) == choice.3, "\(choice.0)")
    }

    @Test("Without constraints the choice is Cygnet's default (PKCS#1 v1.5 for RSA, the curve's hash for ECDSA)")
    func defaults() throws {
        for keyType in [Self.rsa2048, .p256, .p384, .p521, .ed25519] {
            for hashes in [Self.all, nil] where !(keyType == .ed25519 && hashes == nil) {
                #expect(
                    try SignatureConstraints.none.signingScheme(for: keyType, peerHashes: hashes)
                        == SignatureScheme.preferred(for: keyType, peerHashes: hashes))
            }
        }
    }

    static let impossible: [(String, KeyType, SignatureHashAlgorithms?)] = [
        ("ecdsa", rsa2048, all),
        ("rsa/pss", .p256, all),
        ("rsa/pss", rsa2048, nil),
        ("ecdsa-sha384", .p256, nil),
        ("ecdsa-sha384", .p256, SignatureHashAlgorithms([.sha2_256])),
        ("rsa-3072", rsa2048, all),
        ("ed25519", .p256, all),
    ]

    @Test("local auth that no scheme of the key and the peer satisfies fails (AUTH is not signed)", arguments: impossible)
    func noScheme(_ example: (String, KeyType, SignatureHashAlgorithms?)) throws {
        let constraints = try Self.constraints(example.0)
        #expect(throws: IKECryptoError.self, "\(example.0)") {
            try constraints.signingScheme(for: example.1, peerHashes: example.2)
        }
    }

    static let authentication: [(String, SignatureScheme, Bool)] = [
        ("rsa/pss", .rsaPSS(.sha2_256, saltLength: 32), true),
        ("rsa/pss", .rsaPSS(.sha2_512, saltLength: 20), true),
        ("rsa/pss", .rsaPKCS1v15(.sha2_256), false),
        ("rsa/pss", .rsaSHA1, false),
        ("rsa/pss-sha256", .rsaPSS(.sha2_384, saltLength: 48), false),
        ("rsa", .rsaPSS(.sha2_256, saltLength: 32), true),
        ("rsa", .rsaPKCS1v15(.sha2_512), true),
        ("rsa", .ecdsa(.sha2_256), false),
        ("rsa-sha256", .rsaPSS(.sha2_256, saltLength: 32), false),
        ("ecdsa-sha384", .ecdsa(.sha2_384), true),
        ("ecdsa-sha384", .ecdsaP384SHA384, true),
        ("ecdsa-sha384", .ecdsa(.sha2_256), false),
        ("ecdsa-sha384", .ecdsaP256SHA256, false),
        ("ecdsa-sha384", .rsaPKCS1v15(.sha2_384), false),
        ("pubkey-sha256", .rsaPKCS1v15(.sha2_256), true),
        ("pubkey-sha256", .ecdsa(.sha2_256), true),
        ("pubkey-sha256", .rsaPSS(.sha2_256, saltLength: 32), false),
        ("pubkey-sha256", .ed25519, false),
        ("pubkey-identity", .ed25519, true),
        ("pubkey", .rsaSHA1, true),
        ("ed25519", .ed25519, true),
        ("ed25519", .ecdsa(.sha2_256), false),
        ("rsa-sha256-ike:rsa/pss", .rsaPKCS1v15(.sha2_256), false),
        ("rsa-sha256-ike:rsa/pss", .rsaPSS(.sha2_256, saltLength: 32), true),
    ]

    @Test("remote auth: which AUTH schemes of the peer are accepted", arguments: authentication)
    func acceptsAuthentication(_ example: (String, SignatureScheme, Bool)) throws {
        #expect(try Self.constraints(example.0).allowsAuthentication(example.1) == example.2, "\(example.0) \(example.1)")
        #expect(SignatureConstraints.none.allowsAuthentication(example.1))
    }

    static let keys: [(String, KeyType, Bool)] = [
        ("rsa-3072", rsa2048, false),
        ("rsa-3072", .rsa(bits: 4096), true),
        ("rsa-2048", .p256, false),
        ("rsa-2048-ecdsa-384", .p256, false),
        ("rsa-2048-ecdsa-384", .p384, true),
        ("rsa-2048-ecdsa-384", .p521, true),
        ("ecdsa", rsa2048, false),
        ("ecdsa-sha384", .p256, true),
        ("rsa/pss", .p256, false),
        ("rsa/pss", rsa2048, true),
        ("pubkey-sha256", .ed25519, false),
        ("pubkey-sha256", .p521, true),
        ("ed25519", .ed25519, true),
        ("ed25519", rsa2048, false),
        ("pubkey", .ed25519, true),
    ]

    @Test("remote auth: which key types and sizes of the peer are accepted", arguments: keys)
    func acceptsKey(_ example: (String, KeyType, Bool)) throws {
        #expect(try Self.constraints(example.0).allowsKey(example.1) == example.2, "\(example.0) \(example.1)")
    }

    static let chain: [(String, SignatureScheme, Bool)] = [
        ("rsa/pss", .rsaPKCS1v15(.sha2_256), true),
        ("rsa/pss-sha256", .rsaPKCS1v15(.sha2_256), false),
        ("rsa/pss-sha256", .rsaPSS(.sha2_256, saltLength: 32), true),
        ("pubkey-sha384-sha256", .rsaPKCS1v15(.sha2_256), true),
        ("pubkey-sha384-sha256", .ecdsa(.sha2_512), false),
        ("ecdsa-sha384", .ecdsa(.sha2_256), false),
        ("ike:ecdsa-sha384", .ecdsa(.sha2_256), true),
        ("ecdsa-sha384-ike:rsa-sha256", .rsaPKCS1v15(.sha2_256), false),
    ]

    @Test("remote auth: which certificate signatures of the chain are accepted (strongSwan applies them too)", arguments: chain)
    func acceptsCertificateSignature(_ example: (String, SignatureScheme, Bool)) throws {
        #expect(try Self.constraints(example.0).allowsCertificateSignature(example.1) == example.2, "\(example.0)")
    }
}
