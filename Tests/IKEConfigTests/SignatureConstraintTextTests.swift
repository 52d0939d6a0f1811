import IKEConfig
import IKEWire
import Testing

@Suite("swanctl auth: signature constraints (RFC 7427 schemes, strongSwan's pubkey constraints)")
struct SignatureConstraintTextTests {
    typealias Rule = SignatureConstraints.Rule

    static let valid: [(String, [Rule])] = [
        ("rsa/pss", [Rule(.rsaPSS)]),
        ("rsa/pss-sha256", [Rule(.rsaPSS, hashes: [.sha2_256])]),
        ("ecdsa-sha384", [Rule(.ecdsa, hashes: [.sha2_384])]),
        ("ecdsa-sha256-sha384", [Rule(.ecdsa, hashes: [.sha2_256, .sha2_384])]),
        ("pubkey-sha256", [Rule(.publicKey, hashes: [.sha2_256])]),
        ("pubkey-sha384-sha256", [Rule(.publicKey, hashes: [.sha2_384, .sha2_256])]),
        ("pubkey-identity", [Rule(.publicKey, hashes: [.identity])]),
        ("rsa-sha256", [Rule(.rsa, hashes: [.sha2_256])]),
        ("rsa-sha1", [Rule(.rsa, hashes: [.sha1])]),
        ("RSA/PSS-SHA512", [Rule(.rsaPSS, hashes: [.sha2_512])]),
        ("ed25519", [Rule(.ed25519)]),
        ("ed25519-identity", [Rule(.ed25519, hashes: [.identity])]),
        ("rsa-2048", [Rule(.rsa, minimumKeySize: 2048)]),
        (
            "rsa-2048-sha256-ecdsa-256-sha256-sha384",
            [Rule(.rsa, hashes: [.sha2_256], minimumKeySize: 2048), Rule(.ecdsa, hashes: [.sha2_256, .sha2_384], minimumKeySize: 256)]
        ),
        ("ike:rsa/pss-sha256", [Rule(.rsaPSS, hashes: [.sha2_256], isAuthenticationOnly: true)]),
        (
            "rsa-sha256-ike:rsa/pss-sha384",
            [Rule(.rsa, hashes: [.sha2_256]), Rule(.rsaPSS, hashes: [.sha2_384], isAuthenticationOnly: true)]
        ),
    ]

    @Test("Every form strongSwan documents for swanctl.conf's auth parses into rules", arguments: valid)
    func parses(_ example: (String, [Rule])) throws {
        let constraints = try SignatureConstraintText.parse(example.0).get()
        #expect(constraints.rules == example.1)
        #expect(SignatureConstraintText.looksLikeConstraints(example.0))
        // The text form reads back to the same rules.
        #expect(try SignatureConstraintText.parse(constraints.text).get() == constraints)
    }

    @Test("ike: rules apply to AUTH only; hash rules without ike: also to the certificate chain")
    func ruleScopes() throws {
        let mixed = try SignatureConstraintText.parse("rsa-sha256-ike:rsa/pss-sha384").get()
        #expect(mixed.authenticationRules == [Rule(.rsaPSS, hashes: [.sha2_384], isAuthenticationOnly: true)])
        #expect(mixed.chainRules == [Rule(.rsa, hashes: [.sha2_256])])
        let plain = try SignatureConstraintText.parse("rsa/pss-ecdsa-sha384").get()
        #expect(plain.authenticationRules == plain.rules)
        #expect(plain.chainRules == [Rule(.ecdsa, hashes: [.sha2_384])], "a key type without hashes names no chain signature")
        #expect(SignatureConstraints.none.authenticationRules.isEmpty && SignatureConstraints.none.chainRules.isEmpty)
    }

    static let invalid: [(String, Bool)] = [
        ("rsa4096-sha256", false), ("sha256", false), ("rsa--sha256", false), ("rsa-sha256-", false),
        ("pubkey-2048", false), ("rsa-sha256-foo", false), ("ed25519-sha256", false), ("rsa/pss-identity", false),
        ("rsa-99999", false), ("ecdsa-sha1", true), ("rsa/pss-sha1", true), ("rsa-sha224", true), ("pubkey-md5", true),
        ("bliss", true), ("ed448", true), ("ike:bliss-sha256", true),
    ]

    @Test("Forms that are not strongSwan's, or that Cygnet cannot verify, are refused with a hint", arguments: invalid)
    func refuses(_ example: (String, Bool)) {
        switch SignatureConstraintText.parse(example.0) {
        case .success(let constraints):
            Issue.record("'\(example.0)' parsed as \(constraints.rules)")
        case .failure(let error):
            #expect(error.isUnsupported == example.1, "\(example.0): \(error.message)")
            #expect(error.hint != nil, "\(example.0): \(error.message)")
        }
    }
}
