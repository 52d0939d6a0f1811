import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// The EAP rounds of IKE_AUTH (RFC 7296 §2.16) against scripted peers: what each side
/// sends, and every message out of order or with the wrong payloads ending the SA with a
/// typed reason.
@Suite("EAP rounds in IKE_AUTH: order and payloads (RFC 7296 §2.16)")
struct EAPRoundTests {
    typealias Fixtures = ResponderFixtures
    static let method = ScriptedEAPMethod()

    // MARK: Gateway (the engine answers a scripted initiator)

    /// A scripted initiator past IKE_SA_INIT with a gateway whose remote auth is EAP.
    static func gateway(seed: UInt64) throws -> (ScriptedInitiator, IKEEngine<SeededRandomSource>) {
        try AttackClassTests.halfOpen(seed: seed) { $0.peers[0].remoteAuthentication = .eap(.any) }
    }

    /// The first IKE_AUTH request of an EAP client: `IDi, SAi2, TSi, TSr`, no AUTH.
    static func firstRequest(_ peer: inout ScriptedInitiator, adding extra: [IKEPayload] = []) throws -> ByteBuffer {
        var payloads = try peer.authPayloads(identity: EngineFixtures.leftID, psk: Fixtures.psk, child: Fixtures.initiatorChild)
        payloads.removeAll { $0.type == .authentication }
        return try peer.request(.ikeAuth, payloads: payloads + extra)
    }

    static func eapRequests(_ outputs: EngineOutputs) -> [EAPExchangeRequest] {
        outputs.effects.compactMap { if case .eap(let request) = $0 { request } else { nil } }
    }

    /// Answers the engine's one EAP request of `outputs` with `method`.
    static func complete(
        _ outputs: EngineOutputs, _ engine: inout IKEEngine<SeededRandomSource>, method: ScriptedEAPMethod = method
    ) throws -> EngineOutputs {
        let requests = eapRequests(outputs)
        try #require(requests.count == 1)
        engine.handleCompletion(method.answer(requests[0]), now: .zero)
        return engine.drain()
    }

    /// The EAP Response of the scripted method to `request`, as an IKE_AUTH request.
    static func eapRound(_ peer: inout ScriptedInitiator, answering request: EAPPayload) throws -> ByteBuffer {
        let answer = method.answer(EAPExchangeRequest(
            id: IKECompletionID(localSPI: 0, step: .eapPeer), connection: "lab", role: .peer,
            peerIdentity: EngineFixtures.rightID, eapIdentity: "alice", method: .any, message: try request.encodedMessage()))
        guard case .eap(_, .success(.send(let message))) = answer else { throw ScriptedInitiator.Failure.noKeys }
        return try peer.request(.ikeAuth, payloads: [.extensibleAuthentication(try EAPPayload(message: message))])
    }

    /// Runs the gateway up to its EAP Success: returns the peer, the engine and the
    /// IKE_AUTH message ID the AUTH round uses.
    static func gatewayAfterSuccess(seed: UInt64) throws -> (ScriptedInitiator, IKEEngine<SeededRandomSource>) {
        var (peer, engine) = try gateway(seed: seed)
        let first = try complete(Fixtures.send(try firstRequest(&peer), from: peer, to: &engine), &engine)
        let challenge = try #require(try AttackClassTests.answer(first, peer).extensibleAuthentication)
        let round = Fixtures.send(try eapRound(&peer, answering: challenge), from: peer, to: &engine)
        let success = try complete(round, &engine)
        #expect(try AttackClassTests.answer(success, peer) == [.extensibleAuthentication(EAPPayload(code: .success, identifier: 1))])
        return (peer, engine)
    }

    @Test("§2.16 the gateway answers the first request with IDr, AUTH and the host's first EAP Request; the SA is not established")
    func firstResponse() throws {
        var (peer, engine) = try Self.gateway(seed: 301)
        let outputs = Fixtures.send(try Self.firstRequest(&peer), from: peer, to: &engine)
        #expect(outputs.transmits.isEmpty)
        let request = try #require(Self.eapRequests(outputs).first)
        #expect(request.role == .authenticator && request.message == nil && request.connection == "lab")
        let answered = try Self.complete(outputs, &engine)
        let payloads = try AttackClassTests.answer(answered, peer)
        #expect(payloads.map(\.type) == [.identificationResponder, .authentication, .extensibleAuthentication])
        #expect(payloads.extensibleAuthentication?.code == .request)
        #expect(!AttackClassTests.isEstablished(answered) && engine.halfOpenSACount == 1)
    }

    @Test("§2.16 the AUTH of the MSK after EAP Success: answered with the gateway's AUTH and the Child SA of the first request")
    func finalRound() throws {
        var (peer, engine) = try Self.gatewayAfterSuccess(seed: 302)
        let msk = try #require(Self.method.authenticatorMSK).unprotectedBytes
        let auth = try #require(try peer.authPayloads(identity: EngineFixtures.leftID, psk: msk, child: nil).authentication)
        let outputs = Fixtures.send(try peer.request(.ikeAuth, payloads: [.authentication(auth)]), from: peer, to: &engine)
        let payloads = try AttackClassTests.answer(outputs, peer)
        #expect(payloads.first?.type == .authentication && payloads.securityAssociation != nil)
        #expect(AttackClassTests.isEstablished(outputs) && Fixtures.installations(outputs).count == 1)
        #expect(engine.halfOpenSACount == 0 && engine.establishedSPIs.count == 1)
    }

    @Test("A retransmitted EAP round gets the cached response, byte for byte, and the host is not asked again")
    func retransmittedRound() throws {
        var (peer, engine) = try Self.gateway(seed: 303)
        let first = try Self.complete(Fixtures.send(try Self.firstRequest(&peer), from: peer, to: &engine), &engine)
        let challenge = try #require(try AttackClassTests.answer(first, peer).extensibleAuthentication)
        let round = try Self.eapRound(&peer, answering: challenge)
        let answered = try Self.complete(Fixtures.send(round, from: peer, to: &engine), &engine)
        let again = Fixtures.send(round, from: peer, to: &engine)
        #expect(Self.eapRequests(again).isEmpty)
        #expect(again.transmits.map(\.datagram) == answered.transmits.map(\.datagram))
        // A retransmission while the host is still deciding is outside the window: dropped.
        var (peer2, engine2) = try Self.gateway(seed: 304)
        let request = try Self.firstRequest(&peer2)
        _ = Fixtures.send(request, from: peer2, to: &engine2)
        let early = Fixtures.send(request, from: peer2, to: &engine2)
        #expect(early.transmits.isEmpty && Self.eapRequests(early).isEmpty && early.dropCodes == [.outsideWindow])
    }

    /// Answers `outputs` must be AUTHENTICATION_FAILED (alone or after EAP Failure) and
    /// the SA gone with `cause`.
    static func expectRefused(
        _ outputs: EngineOutputs, _ peer: ScriptedInitiator, _ engine: IKEEngine<SeededRandomSource>,
        cause: IKECloseReason.Cause, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        let payloads = try AttackClassTests.answer(outputs, peer)
        #expect(payloads.notifications.map(\.type) == [.authenticationFailed], sourceLocation: sourceLocation)
        #expect(AttackClassTests.closeReasons(outputs).map(\.cause) == [cause], sourceLocation: sourceLocation)
        #expect(AttackClassTests.closeReasons(outputs).map(\.code) == [.authenticationFailed], sourceLocation: sourceLocation)
        #expect(!AttackClassTests.isEstablished(outputs) && Fixtures.installations(outputs).isEmpty, sourceLocation: sourceLocation)
        AttackClassTests.expectNoState(engine, sourceLocation: sourceLocation)
    }

    @Test("An EAP payload in the first request, or beside AUTH, is eap_out_of_order")
    func eapInFirstRequest() throws {
        let response = EAPPayload(code: .response, identifier: 1, type: .identity, data: Array("left".utf8))
        var (peer, engine) = try Self.gateway(seed: 305)
        let withEAP = Fixtures.send(
            try Self.firstRequest(&peer, adding: [.extensibleAuthentication(response)]), from: peer, to: &engine)
        try Self.expectRefused(withEAP, peer, engine, cause: .eapOutOfOrder)
        var (peer2, engine2) = try Self.gateway(seed: 306)
        var payloads = try peer2.authPayloads(identity: EngineFixtures.leftID, psk: Fixtures.psk, child: Fixtures.initiatorChild)
        payloads.append(.extensibleAuthentication(response))
        let both = Fixtures.send(try peer2.request(.ikeAuth, payloads: payloads), from: peer2, to: &engine2)
        try Self.expectRefused(both, peer2, engine2, cause: .eapOutOfOrder)
    }

    @Test("AUTH where the connection expects EAP is eap_out_of_order")
    func authInsteadOfEAP() throws {
        var (peer, engine) = try Self.gateway(seed: 307)
        let outputs = Fixtures.send(try Fixtures.authRequest(&peer), from: peer, to: &engine)
        try Self.expectRefused(outputs, peer, engine, cause: .eapOutOfOrder)
    }

    @Test("AUTH before EAP Success, or an EAP Request from the initiator, in place of its EAP Response: eap_out_of_order")
    func wrongRoundPayloads() throws {
        let cases: [(String, (inout ScriptedInitiator) throws -> [IKEPayload])] = [
            ("AUTH", { peer in
                [try #require(try peer.authPayloads(identity: EngineFixtures.leftID, psk: Fixtures.psk, child: nil).authentication)]
                    .map(IKEPayload.authentication)
            }),
            ("EAP Request", { _ in [.extensibleAuthentication(EAPPayload(code: .request, identifier: 1, type: .identity))] }),
            ("EAP Success", { _ in [.extensibleAuthentication(EAPPayload(code: .success, identifier: 1))] }),
            ("nothing", { _ in [] }),
        ]
        for (index, (name, payloads)) in cases.enumerated() {
            var (peer, engine) = try Self.gateway(seed: 310 + UInt64(index))
            _ = try Self.complete(Fixtures.send(try Self.firstRequest(&peer), from: peer, to: &engine), &engine)
            let outputs = Fixtures.send(try peer.request(.ikeAuth, payloads: try payloads(&peer)), from: peer, to: &engine)
            let payloads = try AttackClassTests.answer(outputs, peer)
            #expect(payloads == [.notify(NotifyPayload(type: .authenticationFailed))], "\(name)")
            #expect(AttackClassTests.closeReasons(outputs).map(\.cause) == [.eapOutOfOrder], "\(name)")
            AttackClassTests.expectNoState(engine)
        }
    }

    @Test("EAP after EAP Success, or an AUTH that does not verify with the MSK: refused, never established")
    func afterSuccess() throws {
        var (peer, engine) = try Self.gatewayAfterSuccess(seed: 320)
        let again = EAPPayload(code: .response, identifier: 1, type: ScriptedEAPMethod.type, data: Array("secret".utf8))
        let eap = Fixtures.send(try peer.request(.ikeAuth, payloads: [.extensibleAuthentication(again)]), from: peer, to: &engine)
        try Self.expectRefused(eap, peer, engine, cause: .eapOutOfOrder)
        var (peer2, engine2) = try Self.gatewayAfterSuccess(seed: 321)
        // The AUTH of the IKE_AUTH PSK instead of the MSK.
        let wrong = try #require(try peer2.authPayloads(identity: EngineFixtures.leftID, psk: Fixtures.psk, child: nil).authentication)
        let auth = Fixtures.send(try peer2.request(.ikeAuth, payloads: [.authentication(wrong)]), from: peer2, to: &engine2)
        try Self.expectRefused(auth, peer2, engine2, cause: .eapKeyMismatch)
    }

    @Test("The host's failure ends the conversation: EAP Failure, then AUTHENTICATION_FAILED; the close reason keeps the host's code")
    func hostFailure() throws {
        var (peer, engine) = try Self.gateway(seed: 330)
        let failing = ScriptedEAPMethod(backendFailure: IKECompletionFailure(.eapBackendUnavailable, "no EAP backend"))
        let outputs = try Self.complete(Fixtures.send(try Self.firstRequest(&peer), from: peer, to: &engine), &engine, method: failing)
        let payloads = try AttackClassTests.answer(outputs, peer)
        #expect(payloads.first == .extensibleAuthentication(EAPPayload(code: .failure, identifier: 0)))
        #expect(payloads.notifications.map(\.type) == [.authenticationFailed])
        let reason = try #require(AttackClassTests.closeReasons(outputs).first)
        #expect(reason.cause == .eapFailed && reason.completionFailure == .eapBackendUnavailable)
        AttackClassTests.expectNoState(engine)
    }

    @Test("No answer from the host: the SA ends with completion_timeout, never hangs")
    func hostSilent() throws {
        var (peer, engine) = try Self.gateway(seed: 331)
        let outputs = Fixtures.send(try Self.firstRequest(&peer), from: peer, to: &engine)
        try #require(Self.eapRequests(outputs).count == 1)
        let deadline = try #require(engine.nextDeadline())
        let timedOut = engine.advance(to: deadline)
        #expect(AttackClassTests.closeReasons(timedOut).map(\.code) == [.completionTimeout])
        AttackClassTests.expectNoState(engine)
    }

    // MARK: Client (the engine initiates to a scripted responder)

    static func client(seed: UInt64 = 1) -> IKEEngine<SeededRandomSource> {
        InitiatorFixtures.engine(seed: seed) { $0.peers[0].localAuthentication = .eap(.any) }
    }

    @Test("§2.16 the client's first IKE_AUTH request leaves out AUTH and carries IDi and the Child SA")
    func clientFirstRequest() throws {
        var engine = Self.client()
        var peer = InitiatorFixtures.responder()
        let auth = try InitiatorFixtures.startAuth(&engine, &peer)
        #expect(auth.payloads.authentication == nil && auth.payloads.extensibleAuthentication == nil)
        #expect(auth.payloads.identificationInitiator != nil && auth.payloads.securityAssociation != nil)
    }

    @Test(
        "CVE-2021-45079 class: a gateway whose first response ends EAP (Success or Failure) before any method ran, or carries none, never establishes the client",
        arguments: [EAPCode.success, .failure, .response, nil])
    func clientEarlyEnd(code: EAPCode?) throws {
        var engine = Self.client()
        var peer = InitiatorFixtures.responder()
        let auth = try InitiatorFixtures.startAuth(&engine, &peer)
        let eap = code.map { [IKEPayload.extensibleAuthentication(EAPPayload(code: $0, identifier: 1, type: $0 == .response ? .identity : nil))] } ?? []
        let payloads = try peer.authPayloads(identity: EngineFixtures.rightID, psk: InitiatorFixtures.psk) + eap
            + InitiatorFixtures.childAnswer(to: auth.payloads)
        let outputs = InitiatorFixtures.send(try peer.response(to: auth.header, payloads: payloads), to: &engine)
        #expect(!AttackClassTests.isEstablished(outputs) && outputs.effects.isEmpty)
        #expect(AttackClassTests.closeReasons(outputs).map(\.cause) == [.eapOutOfOrder])
        AttackClassTests.expectNoState(engine)
    }

    @Test("A client hands the gateway's EAP Request to its host only after the gateway's AUTH verified")
    func clientVerifiesGatewayFirst() throws {
        var engine = Self.client()
        var peer = InitiatorFixtures.responder()
        let auth = try InitiatorFixtures.startAuth(&engine, &peer)
        let request = IKEPayload.extensibleAuthentication(EAPPayload(code: .request, identifier: 1, type: .identity))
        let wrong = try peer.authPayloads(identity: EngineFixtures.rightID, psk: Array("not the secret".utf8)) + [request]
        let refused = InitiatorFixtures.send(try peer.response(to: auth.header, payloads: wrong), to: &engine)
        #expect(Self.eapRequests(refused).isEmpty && AttackClassTests.closeReasons(refused).map(\.cause) == [.sharedKeyMismatch])
        var engine2 = Self.client()
        var peer2 = InitiatorFixtures.responder()
        let auth2 = try InitiatorFixtures.startAuth(&engine2, &peer2)
        let right = try peer2.authPayloads(identity: EngineFixtures.rightID, psk: InitiatorFixtures.psk) + [request]
        let accepted = InitiatorFixtures.send(try peer2.response(to: auth2.header, payloads: right), to: &engine2)
        let handed = try #require(Self.eapRequests(accepted).first)
        #expect(handed.role == .peer && handed.peerIdentity == EngineFixtures.rightID)
        #expect(try EAPPayload(message: try #require(handed.message)) == EAPPayload(code: .request, identifier: 1, type: .identity))
    }

    @Test("A client whose connection does not use EAP refuses an EAP payload in the gateway's response")
    func clientWithoutEAP() throws {
        var engine = InitiatorFixtures.engine()
        var peer = InitiatorFixtures.responder()
        let auth = try InitiatorFixtures.startAuth(&engine, &peer)
        let payloads = try peer.authPayloads(identity: EngineFixtures.rightID, psk: InitiatorFixtures.psk)
            + [.extensibleAuthentication(EAPPayload(code: .success, identifier: 1))] + InitiatorFixtures.childAnswer(to: auth.payloads)
        let outputs = InitiatorFixtures.send(try peer.response(to: auth.header, payloads: payloads), to: &engine)
        #expect(!AttackClassTests.isEstablished(outputs) && InitiatorFixtures.installations(outputs).isEmpty)
        #expect(AttackClassTests.closeReasons(outputs).map(\.cause) == [.eapOutOfOrder])
        AttackClassTests.expectNoState(engine)
    }
}
