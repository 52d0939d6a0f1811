import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// EAP-only authentication (RFC 5998): EAP on both sides of a connection. The initiator
/// sends EAP_ONLY_AUTHENTICATION, the responder answers without AUTH or CERT, and the
/// AUTH payloads from the MSK authenticate both; only a method of §4 (EAP-TLS) may run.
@Suite("EAP-only authentication in IKE_AUTH (RFC 5998)")
struct EAPOnlyTests {
    /// The scripted method posing as EAP-TLS, the one method §4 allows here.
    static let tls = ScriptedEAPMethod(methodType: .tls)

    static func eapOnly(_ peer: inout PeerConfiguration) {
        peer.localAuthentication = .eap(.method(.tls))
        peer.remoteAuthentication = .eap(.method(.tls))
    }

    /// Two engines, both EAP-only unless `right` changes the responder's connection.
    static func network(
        method: ScriptedEAPMethod = tls, right: (inout PeerConfiguration) -> Void = eapOnly
    ) -> SimulatedNetwork {
        var network = EngineFixtures.network(seed: 11)
        network.nodes[0].engine = IKEEngine(
            configuration: EAPHandshakeTests.configuration(network.nodes[0].engine.configuration, eapOnly),
            random: SeededRandomSource(seed: 11))
        network.nodes[1].engine = IKEEngine(
            configuration: EAPHandshakeTests.configuration(network.nodes[1].engine.configuration, right),
            random: SeededRandomSource(seed: 12))
        network.nodes[0].completer = method
        network.nodes[1].completer = method
        return network
    }

    // MARK: Both sides

    @Test("§3 both sides EAP-only: no signature anywhere, both establish with AUTH from the MSK; every EAP request says EAP-only")
    func establishes() async throws {
        var network = Self.network()
        try await EAPHandshakeTests.establish(&network)
        try EAPHandshakeTests.expectEstablished(network)
        for node in network.nodes {
            let requests = EAPHandshakeTests.eapRequests(node)
            #expect(!requests.isEmpty && requests.allSatisfy(\.isEAPOnly))
            #expect(!node.effects.contains { if case .sign = $0 { true } else { false } })
        }
    }

    @Test("§3 a responder that authenticates itself with AUTH ignores the notify; the initiator verifies its AUTH, then runs EAP")
    func responderWithAuth() async throws {
        var network = Self.network(right: { $0.remoteAuthentication = .eap(.method(.tls)) })
        try await EAPHandshakeTests.establish(&network)
        try EAPHandshakeTests.expectEstablished(network)
        #expect(EAPHandshakeTests.eapRequests(network.nodes[0]).allSatisfy { !$0.isEAPOnly })
    }

    @Test("§3 \"MUST verify that the EAP method actually used ... established a shared secret key\": a method without MSK fails on both sides")
    func methodWithoutKey() async throws {
        var network = Self.network(method: ScriptedEAPMethod(msk: nil, methodType: .tls))
        try await EAPHandshakeTests.establish(&network)
        #expect(!EngineFixtures.isEstablished(network.nodes[0]) && !EngineFixtures.isEstablished(network.nodes[1]))
        #expect(EngineFixtures.closeReasons(network.nodes[1]).map(\.cause) == [.eapMethodWithoutKey])
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.authenticationFailed])
    }

    // MARK: Responder (the engine answers a scripted initiator)

    static func gateway(seed: UInt64) throws -> (ScriptedInitiator, IKEEngine<SeededRandomSource>) {
        try AttackClassTests.halfOpen(seed: seed) { eapOnly(&$0.peers[0]) }
    }

    static let notify = IKEPayload.notify(NotifyPayload(type: .eapOnlyAuthentication))

    @Test("§3 the responder omits AUTH and CERT from message 4: IDr and the first EAP Request only")
    func responderOmitsAuth() throws {
        var (peer, engine) = try Self.gateway(seed: 501)
        let first = ResponderFixtures.send(try EAPRoundTests.firstRequest(&peer, adding: [Self.notify]), from: peer, to: &engine)
        let request = try #require(EAPRoundTests.eapRequests(first).first)
        #expect(request.isEAPOnly && request.role == .authenticator)
        let answered = try EAPRoundTests.complete(first, &engine, method: Self.tls)
        let payloads = try AttackClassTests.answer(answered, peer)
        #expect(payloads.map(\.type) == [.identificationResponder, .extensibleAuthentication])
        #expect(payloads.extensibleAuthentication?.type == .tls)
    }

    @Test("A responder configured for EAP-only refuses an initiator that did not send EAP_ONLY_AUTHENTICATION")
    func responderWithoutNotify() throws {
        var (peer, engine) = try Self.gateway(seed: 502)
        let outputs = ResponderFixtures.send(try EAPRoundTests.firstRequest(&peer), from: peer, to: &engine)
        #expect(EAPRoundTests.eapRequests(outputs).isEmpty)
        #expect(try AttackClassTests.answer(outputs, peer).hasNotification(.authenticationFailed))
        #expect(AttackClassTests.closeReasons(outputs).map(\.cause) == [.eapOnlyNotOffered])
        AttackClassTests.expectNoState(engine)
    }

    @Test("§4 the responder's own host proposing a method that is not allowed ends the SA with EAP Failure, not a Request")
    func responderRefusesUnsafeMethod() throws {
        var (peer, engine) = try Self.gateway(seed: 503)
        let first = ResponderFixtures.send(try EAPRoundTests.firstRequest(&peer, adding: [Self.notify]), from: peer, to: &engine)
        let answered = try EAPRoundTests.complete(first, &engine, method: ScriptedEAPMethod())
        let payloads = try AttackClassTests.answer(answered, peer)
        #expect(payloads.extensibleAuthentication?.code == .failure && payloads.hasNotification(.authenticationFailed))
        #expect(AttackClassTests.closeReasons(answered).map(\.cause) == [.eapMethodNotAllowed])
    }

    // MARK: Initiator (the engine initiates to a scripted responder)

    static func client() -> IKEEngine<SeededRandomSource> {
        InitiatorFixtures.engine(seed: 3) { eapOnly(&$0.peers[0]) }
    }

    /// The scripted responder's EAP-only message 4: IDr and `request`.
    static func eapOnlyResponse(
        _ engine: inout IKEEngine<SeededRandomSource>, _ request: EAPPayload
    ) throws -> (EngineOutputs, [IKEPayload]) {
        var peer = InitiatorFixtures.responder()
        let auth = try InitiatorFixtures.startAuth(&engine, &peer)
        let payloads: [IKEPayload] = [.identificationResponder(EngineFixtures.rightID.payload), .extensibleAuthentication(request)]
        return (InitiatorFixtures.send(try peer.response(to: auth.header, payloads: payloads), to: &engine), auth.payloads)
    }

    @Test("§3 the initiator asks with EAP_ONLY_AUTHENTICATION only where configured, and takes message 4 without AUTH to its EAP method")
    func initiatorAsks() throws {
        var plain = EAPRoundTests.client()
        var plainPeer = InitiatorFixtures.responder()
        #expect(!(try InitiatorFixtures.startAuth(&plain, &plainPeer)).payloads.hasNotification(.eapOnlyAuthentication))
        for type in [EAPType.identity, .tls] {
            var engine = Self.client()
            let (outputs, sent) = try Self.eapOnlyResponse(&engine, EAPPayload(code: .request, identifier: 1, type: type))
            #expect(sent.hasNotification(.eapOnlyAuthentication) && sent.authentication == nil)
            let handed = try #require(EAPRoundTests.eapRequests(outputs).first)
            #expect(handed.isEAPOnly && handed.role == .peer && handed.peerIdentity == EngineFixtures.rightID)
        }
    }

    @Test(
        "§3 \"the initiator MUST verify that the proposed EAP method is allowed by this specification, and MUST abort the protocol immediately otherwise\"",
        arguments: [EAPType.md5Challenge, .mschapv2, ScriptedEAPMethod.type])
    func initiatorRefusesUnsafeMethod(type: EAPType) throws {
        var engine = Self.client()
        let (outputs, _) = try Self.eapOnlyResponse(&engine, EAPPayload(code: .request, identifier: 1, type: type))
        #expect(EAPRoundTests.eapRequests(outputs).isEmpty && !AttackClassTests.isEstablished(outputs))
        #expect(AttackClassTests.closeReasons(outputs).map(\.cause) == [.eapMethodNotAllowed])
        AttackClassTests.expectNoState(engine)
    }

    @Test("A client that did not ask for EAP-only refuses message 4 without AUTH")
    func initiatorWithoutEAPOnly() throws {
        var engine = EAPRoundTests.client()
        let (outputs, _) = try Self.eapOnlyResponse(&engine, EAPPayload(code: .request, identifier: 1, type: .tls))
        #expect(EAPRoundTests.eapRequests(outputs).isEmpty)
        #expect(AttackClassTests.closeReasons(outputs).map(\.cause) == [.missingPayload])
        AttackClassTests.expectNoState(engine)
    }
}
