import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import Testing

/// EAP in IKE_AUTH (RFC 7296 §2.16) between two engines: "left" is the client (local auth
/// EAP, the gateway's PSK AUTH verified), "right" the gateway (local auth PSK, remote auth
/// EAP); both hosts run ``ScriptedEAPMethod``.
@Suite("EAP in IKE_AUTH between two engines (RFC 7296 §2.16)")
struct EAPHandshakeTests {
    static func network(
        method: EAPMethodChoice = .any, gatewayEAPIdentity: EAPIdentityChoice = .ikeIdentity,
        client: ScriptedEAPMethod = ScriptedEAPMethod(), gateway: ScriptedEAPMethod = ScriptedEAPMethod(),
        conditions: SimulatedNetwork.Conditions = .init(), seed: UInt64 = 7
    ) -> SimulatedNetwork {
        var network = EngineFixtures.network(conditions: conditions, seed: seed)
        network.nodes[0].engine = IKEEngine(
            configuration: configuration(network.nodes[0].engine.configuration) {
                $0.localAuthentication = .eap(method)
                $0.localEAPIdentity = .named("alice")
            },
            random: SeededRandomSource(seed: seed))
        network.nodes[1].engine = IKEEngine(
            configuration: configuration(network.nodes[1].engine.configuration) {
                $0.remoteAuthentication = .eap(method)
                $0.remoteEAPIdentity = gatewayEAPIdentity
            },
            random: SeededRandomSource(seed: seed &+ 1))
        network.nodes[0].completer = client
        network.nodes[1].completer = gateway
        return network
    }

    static func configuration(
        _ base: IKEEngineConfiguration, _ change: (inout PeerConfiguration) -> Void
    ) -> IKEEngineConfiguration {
        var configuration = base
        change(&configuration.peers[0])
        return configuration
    }

    static func eapRequests(_ node: SimulatedNetwork.Node) -> [EAPExchangeRequest] {
        node.effects.compactMap { if case .eap(let request) = $0 { request } else { nil } }
    }

    static func establish(_ network: inout SimulatedNetwork) async throws {
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        await network.runCompletingEffects()
    }

    /// Both sides established with one Child SA whose keys match crosswise.
    static func expectEstablished(_ network: SimulatedNetwork, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let (client, gateway) = (network.nodes[0], network.nodes[1])
        #expect(EngineFixtures.isEstablished(client) && EngineFixtures.isEstablished(gateway), sourceLocation: sourceLocation)
        #expect(EngineFixtures.closeReasons(client).isEmpty && EngineFixtures.closeReasons(gateway).isEmpty, sourceLocation: sourceLocation)
        let left = try #require(EngineFixtures.installations(client).first, sourceLocation: sourceLocation)
        let right = try #require(EngineFixtures.installations(gateway).first, sourceLocation: sourceLocation)
        #expect(left.outboundSPI == right.inboundSPI && left.inboundSPI == right.outboundSPI, sourceLocation: sourceLocation)
        #expect(left.outboundEncryptionKey == right.inboundEncryptionKey, sourceLocation: sourceLocation)
        #expect(left.inboundEncryptionKey == right.outboundEncryptionKey, sourceLocation: sourceLocation)
        #expect(left.localTrafficSelectors == right.remoteTrafficSelectors, sourceLocation: sourceLocation)
    }

    @Test("§2.16 the gateway authenticates with AUTH, the client with EAP; AUTH from the MSK on both sides; the Child SA of the first request is installed")
    func establishes() async throws {
        var network = Self.network()
        try await Self.establish(&network)
        try Self.expectEstablished(network)
        // One round: the challenge; the EAP identity is the IKE identity (eap_id unset).
        let gateway = Self.eapRequests(network.nodes[1])
        #expect(gateway.map(\.role) == [.authenticator, .authenticator])
        #expect(gateway.first?.message == nil && gateway.first?.eapIdentity == "left@lab.test")
        #expect(gateway.first?.peerIdentity == EngineFixtures.leftID && gateway.first?.method == .any)
        let client = Self.eapRequests(network.nodes[0])
        #expect(client.map(\.role) == [.peer, .peer] && client.first?.eapIdentity == "alice")
        #expect(client.first?.peerIdentity == EngineFixtures.rightID)
        #expect(network.nodes[1].engine.statuses.first?.remoteIdentity == EngineFixtures.leftID)
    }

    @Test(
        "§2.16 the usual gateway: it signs with its certificate, the client validates the chain, then EAP; the client signs nothing",
        arguments: CertificateFixtures.Kind.allCases)
    func certificateGateway(kind: CertificateFixtures.Kind) async throws {
        var network = try CertificateFixtures.network(
            left: kind.left, right: kind.right, adjustLeft: { peer, _ in peer.localAuthentication = .eap(.method(.mschapv2)) },
            adjustRight: { peer, _ in peer.remoteAuthentication = .eap(.any) })
        for index in network.nodes.indices {
            var host = try #require(network.nodes[index].completer as? SimulatedHost)
            host.eap = ScriptedEAPMethod()
            network.nodes[index].completer = host
        }
        try await Self.establish(&network)
        try Self.expectEstablished(network)
        let (client, gateway) = (network.nodes[0], network.nodes[1])
        #expect(CertificateFixtures.signingRequests(client).isEmpty && CertificateFixtures.validationRequests(client).count == 1)
        #expect(CertificateFixtures.signingRequests(gateway).count == 1 && CertificateFixtures.validationRequests(gateway).isEmpty)
        #expect(Self.eapRequests(client).first?.method == .method(.mschapv2))
        #expect(gateway.engine.statuses.first?.remoteIdentity == CertificateFixtures.leftID)
    }

    @Test("eap_id = %any: the gateway's method asks with EAP-Identity first, and the client answers with its eap_id")
    func asksIdentity() async throws {
        var network = Self.network(gatewayEAPIdentity: .ask)
        try await Self.establish(&network)
        try Self.expectEstablished(network)
        let gateway = Self.eapRequests(network.nodes[1])
        #expect(gateway.count == 3 && gateway.first?.eapIdentity == nil)
        let identity = try EAPPayload(message: try #require(gateway[1].message))
        #expect(identity.type == .identity && identity.data == Array("alice".utf8))
        // The identity of the EAP-Identity Response is the one the peer proved.
        #expect(network.nodes[1].engine.statuses.first?.remoteEAPIdentity == "alice")
    }

    @Test("The EAP identity the gateway authenticated (eap_id, or else the IKE identity's text) is on the SA's status")
    func eapIdentityOnStatus() async throws {
        var named = Self.network(gatewayEAPIdentity: .named("alice"))
        try await Self.establish(&named)
        #expect(named.nodes[1].engine.statuses.first?.remoteEAPIdentity == "alice")
        #expect(named.nodes[0].engine.statuses.first?.remoteEAPIdentity == nil)
        var unset = Self.network(gatewayEAPIdentity: .ikeIdentity)
        try await Self.establish(&unset)
        #expect(unset.nodes[1].engine.statuses.first?.remoteEAPIdentity == "left@lab.test")
    }

    @Test("§2.16 a method without an MSK (eap-md5): AUTH keyed with SK_pi and SK_pr, accepted where the configuration names it")
    func methodWithoutKeyAllowed() async throws {
        var network = Self.network(
            method: .method(.md5Challenge), client: ScriptedEAPMethod(msk: nil), gateway: ScriptedEAPMethod(msk: nil))
        try await Self.establish(&network)
        try Self.expectEstablished(network)
    }

    @Test("A method without an MSK where the configuration does not allow one: EAP Failure, eap_method_without_key, never established")
    func methodWithoutKeyRefused() async throws {
        var network = Self.network(client: ScriptedEAPMethod(msk: nil), gateway: ScriptedEAPMethod(msk: nil))
        try await Self.establish(&network)
        #expect(!EngineFixtures.isEstablished(network.nodes[0]) && !EngineFixtures.isEstablished(network.nodes[1]))
        #expect(EngineFixtures.closeReasons(network.nodes[1]).map(\.cause) == [.eapMethodWithoutKey])
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.cause) == [.eapFailed])
        #expect(network.nodes.allSatisfy { $0.engine.ikeSACount == 0 && EngineFixtures.installations($0).isEmpty })
    }

    @Test("MSK mismatch: the gateway refuses the client's AUTH (AUTHENTICATION_FAILED, eap_key_mismatch), nothing installed")
    func keyMismatch() async throws {
        var network = Self.network(client: ScriptedEAPMethod(peerMSK: SecretBytes([UInt8](repeating: 1, count: 64))))
        try await Self.establish(&network)
        #expect(!EngineFixtures.isEstablished(network.nodes[0]) && !EngineFixtures.isEstablished(network.nodes[1]))
        let gateway = EngineFixtures.closeReasons(network.nodes[1])
        #expect(gateway.map(\.code) == [.authenticationFailed] && gateway.map(\.cause) == [.eapKeyMismatch])
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.cause) == [.refusedByPeer])
        #expect(network.nodes.allSatisfy { $0.engine.ikeSACount == 0 && EngineFixtures.installations($0).isEmpty })
    }

    @Test("A wrong password: the gateway sends EAP Failure and AUTHENTICATION_FAILED and deletes the SA; the client ends with eap_failed")
    func wrongPassword() async throws {
        var network = Self.network(client: ScriptedEAPMethod(password: Array("guess".utf8)))
        try await Self.establish(&network)
        let gateway = EngineFixtures.closeReasons(network.nodes[1])
        #expect(gateway.map(\.code) == [.authenticationFailed] && gateway.map(\.cause) == [.eapFailed])
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.cause) == [.eapFailed])
        #expect(network.nodes.allSatisfy { $0.engine.ikeSACount == 0 && !EngineFixtures.isEstablished($0) })
        // IKE_SA_INIT, IKE_AUTH without AUTH, one EAP round; nothing after the Failure.
        #expect(network.sent == 6)
    }

    @Test("The gateway's host has no EAP answer: EAP Failure and AUTHENTICATION_FAILED at once, never a hang")
    func backendFailure() async throws {
        let failure = IKECompletionFailure(.eapBackendUnavailable, "no EAP backend")
        var network = Self.network(gateway: ScriptedEAPMethod(backendFailure: failure))
        try await Self.establish(&network)
        let gateway = try #require(EngineFixtures.closeReasons(network.nodes[1]).first)
        #expect(gateway.cause == .eapFailed && gateway.completionFailure == .eapBackendUnavailable)
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.cause) == [.eapFailed])
        #expect(network.nodes.allSatisfy { $0.engine.ikeSACount == 0 && $0.engine.nextDeadline() == nil })
    }

    @Test("The client's host fails: it tells the gateway AUTHENTICATION_FAILED and ends with eap_failed")
    func clientBackendFailure() async throws {
        let failure = IKECompletionFailure(.eapBackendUnavailable, "no EAP method")
        var network = Self.network(client: ScriptedEAPMethod(backendFailure: failure))
        try await Self.establish(&network)
        let client = try #require(EngineFixtures.closeReasons(network.nodes[0]).first)
        #expect(client.cause == .eapFailed && client.completionFailure == .eapBackendUnavailable)
        #expect(network.nodes.allSatisfy { !EngineFixtures.isEstablished($0) && EngineFixtures.installations($0).isEmpty })
    }

    @Test("Every datagram duplicated: each repeated EAP round is answered from the response cache, never processed twice", arguments: [11, 12, 13] as [UInt64])
    func duplicatedRounds(seed: UInt64) async throws {
        var network = Self.network(gatewayEAPIdentity: .ask, conditions: .init(duplicationPercent: 100), seed: seed)
        try await Self.establish(&network)
        try Self.expectEstablished(network)
        #expect(Self.eapRequests(network.nodes[1]).count == 3 && Self.eapRequests(network.nodes[0]).count == 3)
        #expect(EngineFixtures.installations(network.nodes[0]).count == 1)
    }

    @Test("Loss on the way: retransmitted EAP rounds still establish", arguments: [21, 22, 23, 24] as [UInt64])
    func lossyRounds(seed: UInt64) async throws {
        var network = Self.network(gatewayEAPIdentity: .ask, conditions: .init(lossPercent: 25), seed: seed)
        try await Self.establish(&network)
        try Self.expectEstablished(network)
        #expect(Self.eapRequests(network.nodes[1]).count == 3)
    }

    @Test("A connection whose remote auth is EAP cannot initiate: EAP authenticates the initiator only")
    func gatewayCannotInitiate() throws {
        var network = Self.network()
        #expect(throws: IKECoreError(.configuration, "")) {
            try network.command(1, .initiate(peer: "lab", local: EngineFixtures.right, remote: EngineFixtures.left))
        }
    }
}
