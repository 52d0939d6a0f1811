import IKEConfig
import IKECore
import IKETestSupport
import Testing

/// Handshakes between two engines whose `local { auth }` and `remote { auth }` carry
/// signature constraints, with the certificates of `Tests/Fixtures/pki` (chains signed with
/// sha256WithRSAEncryption and ecdsa-with-SHA256).
@Suite("IKE_AUTH with signature constraints (RFC 7427; strongSwan's auth = rsa/pss, ecdsa-sha384, …)")
struct SignatureConstraintHandshakeTests {
    typealias Fixtures = CertificateFixtures

    static func constraints(_ text: String) -> SignatureConstraints {
        (try? SignatureConstraintText.parse(text).get()) ?? .none
    }

    /// Runs a handshake that `initiator` starts; `left` and `right` are `(local auth, remote auth)`.
    static func run(
        _ kind: Fixtures.Kind, left: (String, String), right: (String, String), initiator: Int = 0
    ) async throws -> SimulatedNetwork {
        let adjust = { (sides: (String, String)) -> Fixtures.Adjustment in
            { peer, _ in
                peer.localSignatureConstraints = constraints(sides.0)
                peer.remoteSignatureConstraints = constraints(sides.1)
            }
        }
        var network = try Fixtures.network(
            left: kind.left, right: kind.right, adjustLeft: adjust(left), adjustRight: adjust(right))
        let addresses = [EngineFixtures.left, EngineFixtures.right]
        try network.command(initiator, .initiate(peer: "lab", local: addresses[initiator], remote: addresses[1 - initiator]))
        await network.runCompletingEffects()
        return network
    }

    static let satisfied: [(Fixtures.Kind, (String, String), (String, String))] = [
        (.rsa2048, ("rsa/pss", "rsa/pss"), ("rsa/pss", "rsa/pss")),
        (.rsa2048, ("rsa/pss-sha384", "pubkey"), ("pubkey", "ike:rsa/pss-sha384")),
        (.rsa2048, ("pubkey", "rsa-2048-sha256"), ("pubkey", "rsa-sha256")),
        (.ecdsaP256, ("ecdsa-sha384", "ecdsa-sha384-sha256"), ("ecdsa-sha384", "ike:ecdsa-sha384")),
        (.ecdsaP256, ("pubkey", "ecdsa-256"), ("pubkey", "pubkey-sha256")),
        // The Ed25519 end entities are issued by an ECDSA CA: ike: keeps the chain out of it.
        (.ed25519, ("ed25519", "ed25519"), ("pubkey", "ike:pubkey-identity")),
    ]

    @Test("Constraints both sides meet: established, whoever initiates", arguments: satisfied, [0, 1])
    func satisfiedConstraints(_ example: (Fixtures.Kind, (String, String), (String, String)), initiator: Int) async throws {
        let network = try await Self.run(example.0, left: example.1, right: example.2, initiator: initiator)
        for node in network.nodes {
            #expect(EngineFixtures.isEstablished(node), "\(example): \(EngineFixtures.closeReasons(node))")
        }
    }

    static let violated: [(Fixtures.Kind, (String, String), IKECloseReason.Cause, IKECompletionFailure.Code?)] = [
        // Left signs RSA PKCS#1 v1.5 (Cygnet's default); right requires RSASSA-PSS.
        (.rsa2048, ("pubkey", "rsa/pss"), .signatureSchemeNotAllowed, nil),
        // Left signs ECDSA with SHA-256 (the P-256 default); right requires SHA-384.
        (.ecdsaP256, ("pubkey", "ike:ecdsa-sha384"), .signatureSchemeNotAllowed, nil),
        (.ecdsaP256, ("ecdsa-sha256", "ike:pubkey-sha384"), .signatureSchemeNotAllowed, nil),
        // Key type and size.
        (.ecdsaP256, ("pubkey", "rsa"), .keyNotAllowed, nil),
        (.rsa2048, ("pubkey", "rsa-3072"), .keyNotAllowed, nil),
        (.ed25519, ("pubkey", "pubkey-sha256"), .keyNotAllowed, nil),
        // The chain is signed with sha256WithRSAEncryption; rsa/pss-sha256 (without ike:)
        // constrains the chain too, as in strongSwan.
        (.rsa2048, ("rsa/pss", "rsa/pss-sha256"), .certificateRefused, .certificateSignatureNotAllowed),
        (.ecdsaP256, ("ecdsa-sha384", "ecdsa-sha384"), .certificateRefused, .certificateSignatureNotAllowed),
    ]

    @Test(
        "remote auth the peer does not meet: AUTHENTICATION_FAILED with a close reason that says why, either role",
        arguments: violated, [0, 1])
    func violatedConstraints(
        _ example: (Fixtures.Kind, (String, String), IKECloseReason.Cause, IKECompletionFailure.Code?), initiator: Int
    ) async throws {
        // Right checks left in both roles: right's `remote` carries the constraint.
        let network = try await Self.run(example.0, left: (example.1.0, "pubkey"), right: ("pubkey", example.1.1), initiator: initiator)
        let reasons = EngineFixtures.closeReasons(network.nodes[1])
        #expect(reasons.map(\.code) == [.authenticationFailed], "\(example)")
        #expect(reasons.first?.cause == example.2, "\(example): \(reasons)")
        #expect(reasons.first?.completionFailure == example.3, "\(example): \(reasons)")
        #expect(!EngineFixtures.isEstablished(network.nodes[0]) || initiator == 1, "\(example)")
        #expect(EngineFixtures.installations(network.nodes[1]).isEmpty)
        // The refused side learns of it: AUTHENTICATION_FAILED in the answer (responder)
        // or an INFORMATIONAL (initiator).
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.authenticationFailed], "\(example)")
    }

    static let unsignable: [(Fixtures.Kind, String)] = [
        (.rsa2048, "ecdsa"), (.ecdsaP256, "rsa/pss"), (.rsa2048, "rsa-4096"), (.ed25519, "ecdsa-sha256"),
    ]

    @Test("local auth our key cannot meet: no AUTH is signed, the SA closes with signing_failed", arguments: unsignable)
    func localConstraintUnmet(_ example: (Fixtures.Kind, String)) async throws {
        let network = try await Self.run(example.0, left: (example.1, "pubkey"), right: ("pubkey", "pubkey"))
        let reasons = EngineFixtures.closeReasons(network.nodes[0])
        #expect(reasons.map(\.code) == [.authenticationFailed], "\(example)")
        #expect(reasons.first?.cause == .signingFailed, "\(example): \(reasons)")
        #expect(!EngineFixtures.isEstablished(network.nodes[1]))
    }
}
