import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// Hostile initiators in front of a responder engine, driven by a ``ScriptedInitiator``
/// that holds the IKE SA keys, so each crafted message passes the integrity check and
/// reaches the state machine (the state-machine and parser bug classes that crashed or bypassed other IKEv2 daemons).
@Suite("Hostile peers: the right notify, and no state change (RFC 7296 §2.21)")
struct HostilePeerTests {
    typealias Fixtures = ResponderFixtures

    @Test("CVE-2019-12312 class: INFORMATIONAL instead of IKE_AUTH is answered INVALID_SYNTAX and not acted on")
    func informationalInsteadOfAuth() throws {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 11)
        try Fixtures.saInit(&peer, &engine)
        // A Delete of the IKE SA, which an established SA would obey.
        let informational = try peer.request(.informational, payloads: [.delete(DeletePayload(protocolID: .ike))])
        let outputs = Fixtures.send(informational, from: peer, to: &engine)
        let reply = try #require(outputs.transmits.first)
        #expect(try peer.open(reply.datagram).payloads == [.notify(NotifyPayload(type: .invalidSyntax))])
        #expect(outputs.effects.isEmpty)
        #expect(!outputs.events.contains { if case .ikeSAClosed = $0 { true } else { false } })
        #expect(engine.establishedSPIs.isEmpty)
        #expect(engine.ikeSACount == 1)
        #expect(engine.halfOpenSACount == 1)
        // The half-open SA is intact: the real IKE_AUTH (next message ID) still completes.
        let auth = try Fixtures.send(Fixtures.authRequest(&peer), from: peer, to: &engine)
        #expect(Fixtures.installations(auth).count == 1)
        #expect(engine.establishedSPIs.count == 1)
    }

    @Test("§2.21.2 IKE_AUTH whose AUTH is garbage of the wrong length: AUTHENTICATION_FAILED, no Child SA")
    func garbageAuthentication() throws {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 12)
        try Fixtures.saInit(&peer, &engine)
        let auth = try Fixtures.authRequest(&peer, authenticationData: [0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02])
        let outputs = Fixtures.send(auth, from: peer, to: &engine)
        let reply = try #require(outputs.transmits.first)
        #expect(try peer.open(reply.datagram).payloads == [.notify(NotifyPayload(type: .authenticationFailed))])
        #expect(Fixtures.installations(outputs).isEmpty)
        #expect(!outputs.events.contains { if case .ikeSAEstablished = $0 { true } else { false } })
        #expect(engine.establishedSPIs.isEmpty)
        // RFC 7296 §2.21.2: the responder deletes the IKE SA; nothing half-open is left.
        #expect(engine.ikeSACount == 0)
        #expect(engine.halfOpenSACount == 0)
    }

    @Test("CVE-2014-2338 class: CREATE_CHILD_SA before IKE_AUTH completes is answered NO_ADDITIONAL_SAS")
    func createChildSABeforeAuth() throws {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 13)
        try Fixtures.saInit(&peer, &engine)
        let child = Fixtures.initiatorChild
        let request = try peer.request(.createChildSA, payloads: [
            .securityAssociation(SecurityAssociationPayload(proposals: [
                child.proposals[0].proposal(number: 1, protocolID: .esp, spi: [1, 2, 3, 4])
            ])),
            .nonce(NoncePayload(data: [UInt8](repeating: 7, count: 32))),
            .trafficSelectorInitiator(TrafficSelectorPayload(selectors: child.localTrafficSelectors.map(\.selector))),
            .trafficSelectorResponder(TrafficSelectorPayload(selectors: child.remoteTrafficSelectors.map(\.selector))),
        ])
        let outputs = Fixtures.send(request, from: peer, to: &engine)
        let reply = try #require(outputs.transmits.first)
        #expect(try peer.open(reply.datagram).payloads == [.notify(NotifyPayload(type: .noAdditionalSAs))])
        #expect(outputs.effects.isEmpty)
        #expect(engine.establishedSPIs.isEmpty)
        #expect(engine.halfOpenSACount == 1)
    }

    @Test("§3.1 rules table: an IKE_SA_INIT request carrying IDi is dropped, counted, and creates no SA")
    func forbiddenPayloadInSAInit() throws {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 14)
        let request = try peer.saInitRequest(extraPayloads: [.identificationInitiator(EngineFixtures.leftID.payload)])
        let outputs = Fixtures.send(request, from: peer, to: &engine)
        #expect(outputs.transmits.isEmpty)
        #expect(outputs.dropCodes.contains(.payloadRulesBroken))
        #expect(engine.ikeSACount == 0)
        #expect(engine.halfOpenSACount == 0)
    }

    @Test("CVE-2016-5391 class: a proposal without a KE transform is answered NO_PROPOSAL_CHOSEN")
    func proposalWithoutKeyExchange() throws {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 15)
        peer.proposals = [Proposal(number: 1, protocolID: .ike, transforms: [
            Transform(.aesGCM16, keyLength: 256), Transform(.hmacSHA2_256),
        ])]
        let outputs = Fixtures.send(try peer.saInitRequest(), from: peer, to: &engine)
        let reply = try #require(outputs.transmits.first)
        #expect(EngineOutputs.notifyTypes(in: reply.datagram) == [.noProposalChosen])
        #expect(engine.ikeSACount == 0)
    }

    @Test("§3.4 a KE for a group the SA payload never offered: INVALID_KE_PAYLOAD naming the chosen group")
    func keyExchangeForGroupNeverOffered() throws {
        // The responder would accept ecp256 too; the initiator offers only X25519 but
        // sends an ecp256 KE. The KE must not be used just because the responder knows
        // its group: the chosen proposal says X25519.
        let both = ProposalTemplate(
            encryption: [.init(.aesGCM16, keyBits: 256)], pseudorandomFunctions: [.hmacSHA2_256],
            keyExchangeMethods: [.curve25519, .ecp256])
        var engine = Fixtures.engine(proposals: [both])
        var peer = Fixtures.initiator(seed: 16)
        peer.keyExchangeMethod = .ecp256
        let outputs = Fixtures.send(try peer.saInitRequest(), from: peer, to: &engine)
        let reply = try #require(outputs.transmits.first)
        let message = try IKEMessage(decoding: reply.datagram)
        #expect(message.notifications.map(\.type) == [.invalidKEPayload])
        let x25519 = KeyExchangeMethodID.curve25519.rawValue
        #expect(message.notifications.first?.data == [UInt8(x25519 >> 8), UInt8(x25519 & 0xFF)])
        #expect(message.header.responderSPI == 0)
        #expect(engine.ikeSACount == 0)
    }

    @Test("§2.21.2 a message with a bad ICV is dropped silently and counted; the SA is unchanged")
    func badIntegrityCheckValue() throws {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 17)
        try Fixtures.saInit(&peer, &engine)
        let auth = try Fixtures.authRequest(&peer)
        var forged = auth
        let last = forged.writerIndex - 1
        forged.setInteger(forged.getInteger(at: last, as: UInt8.self)! ^ 0x01, at: last)
        let outputs = Fixtures.send(forged, from: peer, to: &engine)
        #expect(outputs.transmits.isEmpty)
        #expect(outputs.dropCodes.contains(.integrityCheckFailed))
        #expect(outputs.effects.isEmpty)
        #expect(engine.establishedSPIs.isEmpty)
        // The forged copy used no message ID: the genuine one is processed normally.
        let genuine = Fixtures.send(auth, from: peer, to: &engine)
        #expect(Fixtures.installations(genuine).count == 1)
    }

    @Test("§2.1 a replayed IKE_AUTH after establishment is answered from the cache: exactly one Child SA")
    func replayedAuthAfterEstablishment() throws {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 18)
        let (auth, first) = try Fixtures.establish(&peer, &engine)
        #expect(Fixtures.installations(first).count == 1)
        let firstReply = try #require(first.transmits.first)
        let replay = Fixtures.send(auth, from: peer, to: &engine, now: .zero + .seconds(1))
        #expect(replay.transmits.map(\.datagram) == [firstReply.datagram])
        #expect(replay.effects.isEmpty)
        #expect(!replay.events.contains { if case .ikeSAEstablished = $0 { true } else { false } })
        #expect(engine.establishedSPIs.count == 1)
    }
}
