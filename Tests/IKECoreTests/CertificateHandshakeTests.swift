import Foundation
import IKECertificates
import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import Testing

/// Pubkey setups: "left" (192.0.2.1, left.lab.test) and "right" (192.0.2.2,
/// right.lab.test) with certificates of `Tests/Fixtures/pki`.
enum CertificateFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/pki")
    /// Inside the fixtures' validity (they were made 2026-11-29 for 100 years).
    static let validationTime = ISO8601DateFormatter().date(from: "2027-03-01T00:00:00Z")!
    static let leftID = IKEIdentity("left.lab.test")
    static let rightID = IKEIdentity("right.lab.test")

    static func text(_ file: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
    }

    /// DER chain: the end entity, then its intermediate.
    static func chain(_ endEntity: String, _ intermediate: String) throws -> [[UInt8]] {
        try CertificateValidator.derCertificates(pem: text("\(endEntity).pem") + text("\(intermediate).pem"))
    }

    static func key(_ name: String) throws -> PrivateKey {
        try PrivateKey(pemRepresentation: text("\(name).key"))
    }

    struct Side {
        var identity: IKEIdentity
        var certificate: String
        var intermediate: String
        /// The key that signs (normally the certificate's own).
        var signingKey: String
        var anchors: [String]

        init(_ identity: IKEIdentity, _ certificate: String, _ intermediate: String, signingKey: String? = nil, anchors: [String]) {
            self.identity = identity
            self.certificate = certificate
            self.intermediate = intermediate
            self.signingKey = signingKey ?? certificate
            self.anchors = anchors
        }
    }

    enum Kind: String, CaseIterable, Sendable {
        case ecdsaP256, rsa2048, ed25519

        var left: Side {
            switch self {
            case .ecdsaP256: Side(leftID, "left-ec", "ec-intermediate", anchors: ["ec-root"])
            case .rsa2048: Side(leftID, "left-rsa", "rsa-intermediate", anchors: ["rsa-root"])
            case .ed25519: Side(leftID, "left-ed25519", "ec-intermediate", anchors: ["ec-root"])
            }
        }

        var right: Side {
            switch self {
            case .ecdsaP256: Side(rightID, "right-ec", "ec-intermediate", anchors: ["ec-root"])
            case .rsa2048: Side(rightID, "right-rsa", "rsa-intermediate", anchors: ["rsa-root"])
            case .ed25519: Side(rightID, "right-ed25519", "ec-intermediate", anchors: ["ec-root"])
            }
        }
    }

    /// Changes a side's connection and engine configuration before its engine starts.
    typealias Adjustment = @Sendable (inout PeerConfiguration, inout IKEEngineConfiguration) -> Void

    static func node(
        _ side: Side, expects remote: IKEIdentity, address: [UInt8], local: String, remoteNet: String, seed: UInt64,
        classic: Bool, hasCompleter: Bool = true, adjust: Adjustment = { _, _ in }
    ) throws -> SimulatedNetwork.Node {
        let validator = try CertificateValidator(
            trustAnchorsPEM: side.anchors.map { try text("\($0).pem") }.joined())
        var peer = PeerConfiguration(
            name: "lab", proposals: [EngineFixtures.gcmX25519], localIdentity: side.identity, remoteIdentity: remote,
            localAuthentication: .publicKey, remoteAuthentication: .publicKey,
            children: [EngineFixtures.child(local: local, remote: remoteNet)])
        peer.localCertificates = try chain(side.certificate, side.intermediate)
        var configuration = IKEEngineConfiguration(peers: [peer], preSharedKeys: [])
        configuration.certificateAuthorityKeyHashes = validator.certificateRequestHashes
        adjust(&peer, &configuration)
        configuration.peers = [peer]
        let host = SimulatedHost(
            signingKeys: [side.identity: try key(side.signingKey)], validator: validator, at: validationTime,
            usesClassicMethods: classic)
        return SimulatedNetwork.Node(
            address: address, engine: IKEEngine(configuration: configuration, random: SeededRandomSource(seed: seed)),
            completer: hasCompleter ? host : nil)
    }

    static func network(
        left: Side, right: Side, classic: Bool = false, rightHasCompleter: Bool = true,
        adjustLeft: Adjustment = { _, _ in }, adjustRight: Adjustment = { _, _ in }
    ) throws -> SimulatedNetwork {
        SimulatedNetwork(
            nodes: [
                try node(
                    left, expects: rightID, address: EngineFixtures.leftAddress, local: "198.51.100.0/24",
                    remoteNet: "203.0.113.0/24", seed: 1, classic: classic, adjust: adjustLeft),
                try node(
                    right, expects: leftID, address: EngineFixtures.rightAddress, local: "203.0.113.0/24",
                    remoteNet: "198.51.100.0/24", seed: 2, classic: classic, hasCompleter: rightHasCompleter,
                    adjust: adjustRight),
            ],
            seed: 1)
    }

    static func signingRequests(_ node: SimulatedNetwork.Node) -> [SigningRequest] {
        node.effects.compactMap { if case .sign(let request) = $0 { request } else { nil } }
    }

    static func validationRequests(_ node: SimulatedNetwork.Node) -> [CertificateValidationRequest] {
        node.effects.compactMap { if case .validateCertificates(let request) = $0 { request } else { nil } }
    }
}

@Suite("IKE_AUTH with certificates (RFC 7296 §2.15, §3.6–§3.8; RFC 7427)")
struct CertificateHandshakeTests {
    static let cases: [(CertificateFixtures.Kind, Bool)] = [
        (.ecdsaP256, false), (.rsa2048, false), (.ed25519, false), (.ecdsaP256, true), (.rsa2048, true),
    ]

    @Test(
        "RFC 7427 method 14 (and RFC 7296 §3.8 methods 1/9 when classic): both sides validate, sign, establish",
        arguments: cases, [0, 1])
    func establishes(_ testCase: (CertificateFixtures.Kind, Bool), initiator: Int) async throws {
        let (kind, classic) = testCase
        var network = try CertificateFixtures.network(left: kind.left, right: kind.right, classic: classic)
        let addresses = [EngineFixtures.left, EngineFixtures.right]
        try network.command(initiator, .initiate(peer: "lab", local: addresses[initiator], remote: addresses[1 - initiator]))
        await network.runCompletingEffects()
        for node in network.nodes {
            #expect(EngineFixtures.isEstablished(node), "\(kind) classic=\(classic): \(EngineFixtures.closeReasons(node))")
            #expect(CertificateFixtures.signingRequests(node).count == 1)
            #expect(CertificateFixtures.validationRequests(node).count == 1)
            // RFC 7427 §4: both sides announced SIGNATURE_HASH_ALGORITHMS in IKE_SA_INIT.
            #expect(CertificateFixtures.signingRequests(node).first?.peerSignatureHashes?.contains(.sha2_256) == true)
        }
        let initiatorChild = try #require(EngineFixtures.installations(network.nodes[initiator]).first)
        let responderChild = try #require(EngineFixtures.installations(network.nodes[1 - initiator]).first)
        #expect(initiatorChild.outboundSPI == responderChild.inboundSPI)
        #expect(initiatorChild.outboundEncryptionKey == responderChild.inboundEncryptionKey)
        // The certificates went across and were checked against the claimed identity.
        let claimed = CertificateFixtures.validationRequests(network.nodes[1 - initiator]).first
        #expect(claimed?.claimedIdentity == (initiator == 0 ? CertificateFixtures.leftID : CertificateFixtures.rightID))
        #expect(claimed?.certificates.count == 2)
        // Four messages and no retransmission; IKE_AUTH messages with a chain may travel in
        // several SKF fragments each (RFC 7383, on by default), so count messages, not
        // datagrams.
        let headers = network.transcript.compactMap { try? IKEMessage(decoding: $0.datagram).header }
        #expect(headers.count == network.sent)
        #expect(Set(headers.map { [$0.messageID, $0.isResponse ? 1 : 0] }).count == 4)
        #expect(!network.nodes.contains { $0.events.contains { if case .retransmitted = $0 { true } else { false } } })
    }

    @Test("RFC 4945 §3.1: a certificate for another identity → AUTHENTICATION_FAILED, reason names the identity")
    func certificateForAnotherIdentity() async throws {
        let left = CertificateFixtures.Side(
            CertificateFixtures.leftID, "mallory-ec", "ec-intermediate", anchors: ["ec-root"])
        var network = try CertificateFixtures.network(left: left, right: CertificateFixtures.Kind.ecdsaP256.right)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        await network.runCompletingEffects()
        let reasons = EngineFixtures.closeReasons(network.nodes[1])
        #expect(reasons.map(\.code) == [.authenticationFailed])
        #expect(reasons.first?.cause == .certificateRefused)
        #expect(reasons.first?.completionFailure == .identityMismatch)
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.authenticationFailed])
        #expect(!EngineFixtures.isEstablished(network.nodes[0]))
        #expect(network.nodes[1].engine.ikeSACount == 0)
        #expect(EngineFixtures.installations(network.nodes[1]).isEmpty)
    }

    @Test("RFC 7296 §2.15: an AUTH signed with a key other than the certificate's → AUTHENTICATION_FAILED")
    func badSignature() async throws {
        let left = CertificateFixtures.Side(
            CertificateFixtures.leftID, "left-ec", "ec-intermediate", signingKey: "mallory-ec", anchors: ["ec-root"])
        var network = try CertificateFixtures.network(left: left, right: CertificateFixtures.Kind.ecdsaP256.right)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        await network.runCompletingEffects()
        let reasons = EngineFixtures.closeReasons(network.nodes[1])
        #expect(reasons.map(\.code) == [.authenticationFailed])
        #expect(reasons.first?.cause == .signatureInvalid)
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.authenticationFailed])
    }

    @Test("RFC 5280 §6.1: the responder's chain from a CA the initiator does not trust → the initiator refuses it")
    func untrustedResponderChain() async throws {
        var left = CertificateFixtures.Kind.ecdsaP256.left
        left.anchors = ["rsa-root"]
        var network = try CertificateFixtures.network(left: left, right: CertificateFixtures.Kind.ecdsaP256.right)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        await network.runCompletingEffects()
        let reasons = EngineFixtures.closeReasons(network.nodes[0])
        #expect(reasons.map(\.code) == [.authenticationFailed])
        #expect(reasons.first?.cause == .certificateRefused)
        #expect(reasons.first?.completionFailure == .untrustedChain)
        #expect(!EngineFixtures.isEstablished(network.nodes[0]))
    }

    @Test("RFC 5280 §6.1: an initiator chain from an untrusted CA → AUTHENTICATION_FAILED on the responder")
    func untrustedInitiatorChain() async throws {
        var right = CertificateFixtures.Kind.ecdsaP256.right
        right.anchors = ["rsa-root"]
        var network = try CertificateFixtures.network(left: CertificateFixtures.Kind.ecdsaP256.left, right: right)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        await network.runCompletingEffects()
        let reasons = EngineFixtures.closeReasons(network.nodes[1])
        #expect(reasons.map(\.code) == [.authenticationFailed])
        #expect(reasons.first?.cause == .certificateRefused)
        #expect(reasons.first?.completionFailure == .untrustedChain)
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.authenticationFailed])
    }

    @Test("RFC 7296 §2.1: retransmitted IKE_AUTH requests while validation is pending are not processed twice")
    func retransmissionWhileValidating() async throws {
        var network = try CertificateFixtures.network(
            left: CertificateFixtures.Kind.ecdsaP256.left, right: CertificateFixtures.Kind.ecdsaP256.right,
            rightHasCompleter: false)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        await network.runCompletingEffects(for: .seconds(10))
        #expect(network.nodes[0].events.contains { if case .retransmitted = $0 { true } else { false } })
        let requests = CertificateFixtures.validationRequests(network.nodes[1])
        #expect(requests.count == 1)
        #expect(!EngineFixtures.isEstablished(network.nodes[1]))
        // The host answers late: the SA goes on, once.
        let host = try #require(
            try CertificateFixtures.node(
                CertificateFixtures.Kind.ecdsaP256.right, expects: CertificateFixtures.leftID,
                address: EngineFixtures.rightAddress, local: "203.0.113.0/24", remoteNet: "198.51.100.0/24", seed: 9,
                classic: false
            ).completer)
        network.nodes[1].completer = host
        let request = try #require(requests.first)
        let completion = try #require(await host.complete(.validateCertificates(request), now: network.now))
        network.complete(1, completion)
        // A second answer to the same request is dropped.
        network.complete(1, completion)
        await network.runCompletingEffects()
        #expect(EngineFixtures.isEstablished(network.nodes[0]))
        #expect(EngineFixtures.isEstablished(network.nodes[1]))
        #expect(CertificateFixtures.signingRequests(network.nodes[1]).count == 1)
        #expect(EngineFixtures.installations(network.nodes[1]).count == 1)
    }

    @Test("RFC 7296 §2.15: a PSK handshake asks the host for no signature")
    func pskStillWorks() throws {
        var network = EngineFixtures.network()
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        #expect(EngineFixtures.isEstablished(network.nodes[0]))
        #expect(CertificateFixtures.signingRequests(network.nodes[0]).isEmpty)
    }
}
