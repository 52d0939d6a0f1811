import Foundation
import IKECrypto
import IKEWire
import Testing

/// Wycheproof signature vectors (github.com/C2SP/wycheproof), read at test time from the
/// swift-crypto checkout (`.build*/checkouts/swift-crypto/Tests/Test Vectors/` and
/// `Tests/CryptoExtrasVectors/`); they are not copied into this repository. Each vector's
/// expected result is checked: "valid" must verify, "invalid" must throw invalidSignature,
/// "acceptable" may do either but must not trap.
@Suite("Wycheproof signature vectors through the AUTH verifier (RFC 4754, RFC 7427, RFC 8420)")
struct WycheproofSignatureTests {
    struct File: Decodable {
        var numberOfTests: Int
        var testGroups: [Group]
    }

    struct Group: Decodable {
        var publicKeyDer: String?
        var keyDer: String?
        var sha: String?
        var mgfSha: String?
        var sLen: Int?
        var tests: [Vector]
    }

    struct Vector: Decodable {
        var tcId: Int
        var comment: String
        var msg: String
        var sig: String
        var result: String
    }

    enum Kind: Sendable {
        /// Methods 9–11: r ‖ s (IEEE P1363 = RFC 4754 §7).
        case ecdsaRaw
        /// Method 14 ecdsa-with-SHAxxx: DER.
        case ecdsaDER
        case ed25519
        case rsaPKCS1
        case rsaPSS
    }

    static let files: [(String, String, Kind)] = [
        ("ecdsa_secp256r1_sha256_test.json", "Tests/Test Vectors", .ecdsaDER),
        ("ecdsa_secp384r1_sha384_test.json", "Tests/Test Vectors", .ecdsaDER),
        ("ecdsa_secp521r1_sha512_test.json", "Tests/Test Vectors", .ecdsaDER),
        ("ecdsa_secp256r1_sha512_test.json", "Tests/Test Vectors", .ecdsaDER),
        ("ecdsa_secp256r1_sha256_p1363_test.json", "Tests/Test Vectors", .ecdsaRaw),
        ("ecdsa_secp384r1_sha384_p1363_test.json", "Tests/Test Vectors", .ecdsaRaw),
        ("ecdsa_secp521r1_sha512_p1363_test.json", "Tests/Test Vectors", .ecdsaRaw),
        ("ed25519_test.json", "Tests/Test Vectors", .ed25519),
        ("rsa_signature_2048_sha256_test.json", "Tests/CryptoExtrasVectors", .rsaPKCS1),
        ("rsa_signature_2048_sha512_test.json", "Tests/CryptoExtrasVectors", .rsaPKCS1),
        ("rsa_pss_2048_sha256_mgf1_32_test.json", "Tests/CryptoExtrasVectors", .rsaPSS),
        ("rsa_pss_2048_sha256_mgf1_0_test.json", "Tests/CryptoExtrasVectors", .rsaPSS),
    ]

    static func hash(_ name: String?) -> HashAlgorithm? {
        switch name {
        case "SHA-1": .sha1
        case "SHA-256": .sha2_256
        case "SHA-384": .sha2_384
        case "SHA-512": .sha2_512
        default: nil
        }
    }

    /// The AUTH method and data carrying `signature` for the group's scheme.
    static func auth(_ kind: Kind, _ group: Group, key: PublicKey, signature: [UInt8]) throws
        -> (AuthenticationMethod, [UInt8])
    {
        let hash = try #require(kind == .ed25519 ? .identity : Self.hash(group.sha))
        let scheme: SignatureScheme
        switch kind {
        case .ecdsaRaw:
            scheme = try #require(
                [SignatureScheme.ecdsaP256SHA256, .ecdsaP384SHA384, .ecdsaP521SHA512].first {
                    $0.fits(key.keyType) && $0.hashAlgorithm == hash
                })
            return (scheme.authenticationMethod, signature)
        case .ecdsaDER: scheme = .ecdsa(hash)
        case .ed25519: scheme = .ed25519
        case .rsaPKCS1: scheme = .rsaPKCS1v15(hash)
        case .rsaPSS:
            #expect(Self.hash(group.mgfSha) == hash)
            let salt = try #require(group.sLen)
            var identifier = SignatureAlgorithmIdentifier.rsassaPSSSHA256
            try #require(hash == .sha2_256)
            identifier[identifier.count - 1] = UInt8(salt)
            return (.digitalSignature, [UInt8(identifier.count)] + identifier + signature)
        }
        let identifier = try #require(scheme.algorithmIdentifier)
        return (.digitalSignature, [UInt8(identifier.count)] + identifier + signature)
    }

    @Test("Every vector gives its expected result", arguments: files.indices)
    func vectors(index: Int) throws {
        let (name, directory, kind) = Self.files[index]
        let file = try JSONDecoder().decode(
            File.self, from: try SignatureTestSupport.wycheproof(name, subdirectory: directory))
        var checked = 0
        var counts: [String: Int] = [:]
        for group in file.testGroups {
            let keyDER = SignatureTestSupport.bytes(hex: try #require(group.publicKeyDer ?? group.keyDer))
            let key = try PublicKey(derRepresentation: keyDER)
            for vector in group.tests {
                let message = SignatureTestSupport.bytes(hex: vector.msg)
                let (method, data) = try Self.auth(
                    kind, group, key: key, signature: SignatureTestSupport.bytes(hex: vector.sig))
                let outcome: Result<SignatureScheme, IKECryptoError> = Result {
                    () throws(IKECryptoError) -> SignatureScheme in
                    try AuthenticationVerifier.verify(octets: message, authMethod: method, authData: data, publicKey: key)
                }
                switch (vector.result, outcome) {
                case ("valid", .success), ("invalid", .failure(IKECryptoError(.invalidSignature))), ("acceptable", _):
                    break
                default:
                    Issue.record(
                        "\(name) tcId \(vector.tcId) (\(vector.comment)): expected \(vector.result), got \(outcome)")
                }
                counts[vector.result, default: 0] += 1
                checked += 1
            }
        }
        #expect(checked == file.numberOfTests, "\(name): checked \(checked) of \(file.numberOfTests) \(counts)")
    }
}
