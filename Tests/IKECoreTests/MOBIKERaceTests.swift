import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// An address update that arrives while the responder's own exchange is under way: a
/// Child SA rekey (RFC 7296 §1.3.3) or a Delete (§1.4.1). RFC 4555 §3.5: the initiator's
/// "outstanding IKEv2 requests ... [are retransmitted] using the addresses in the IKE_SA
/// (the new addresses)", and the return routability check waits for the window.
@Suite("MOBIKE updates racing rekeys and deletes (RFC 4555 §3.5, RFC 7296 §1.3.3, §1.4.1)")
struct MOBIKERaceTests {
    typealias Fixtures = MOBIKEFixtures

    /// The peer's answer to the responder's CREATE_CHILD_SA rekey request: the first
    /// proposal with the peer's new SPI, a nonce, and the selectors as offered.
    func answerRekey(_ mobike: inout Fixtures, _ request: IKETransmit, spi: [UInt8]) throws -> ByteBuffer {
        let (_, payloads) = try mobike.peer.open(request.datagram)
        var chosen = try #require(payloads.securityAssociation?.proposals.first)
        chosen.spi = spi
        return try mobike.peer.answer(
            request.datagram,
            payloads: [
                .securityAssociation(SecurityAssociationPayload(proposals: [chosen])),
                .nonce(NoncePayload(data: mobike.peer.random.bytes(32))),
                .trafficSelectorInitiator(try #require(payloads.trafficSelectorInitiator)),
                .trafficSelectorResponder(try #require(payloads.trafficSelectorResponder)),
            ])
    }

    @Test("A move during our Child SA rekey: the new Child SA installs on the new addresses, the others follow after the check")
    func moveDuringChildRekey() throws {
        var mobike = try Fixtures(seed: 321)
        let old = try #require(ResponderFixtures.installations(mobike.auth).first)
        try mobike.engine.handleCommand(.rekeyChildSA(localSPI: mobike.spi, inboundSPI: old.inboundSPI), now: .zero)
        let rekeyRequest = try #require(Fixtures.request(mobike.engine.drain()))
        #expect(rekeyRequest.destination == Fixtures.left4500)
        // The update comes while the rekey is outstanding: the check has to wait.
        let update = try mobike.update(from: Fixtures.moved)
        #expect(Fixtures.request(update) == nil)
        let rekeyed = mobike.send(try answerRekey(&mobike, rekeyRequest, spi: [0x0a, 0x0b, 0x0c, 0x0d]), from: Fixtures.moved)
        let installed = try #require(ResponderFixtures.installations(rekeyed).first)
        #expect(installed.remoteAddress == Fixtures.moved)
        #expect(installed.localAddress == Fixtures.right4500)
        // The old pair's Delete goes out first, to the new address; then the check.
        let delete = try #require(Fixtures.request(rekeyed))
        #expect(delete.destination == Fixtures.moved)
        let deleted = mobike.send(
            try mobike.peer.answer(
                delete.datagram, payloads: [.delete(DeletePayload(protocolID: .esp, spis: [Fixtures.bytes(old.outboundSPI)]))]),
            from: Fixtures.moved)
        let check = try #require(Fixtures.request(deleted))
        #expect(try mobike.peer.open(check.datagram).payloads.hasNotification(.cookie2))
        let answered = mobike.send(try mobike.peer.answer(check.datagram), from: Fixtures.moved)
        let updates = Fixtures.pathUpdates(answered)
        #expect(updates.map(\.inboundSPI) == [installed.inboundSPI])
        #expect(updates.allSatisfy { $0.remoteAddress == Fixtures.moved })
    }

    @Test("A move racing our Delete of a Child SA: the deleted pair is never updated")
    func moveRacingChildDelete() throws {
        var mobike = try Fixtures(seed: 322)
        let child = try #require(ResponderFixtures.installations(mobike.auth).first)
        try mobike.engine.handleCommand(.deleteChildSA(localSPI: mobike.spi, inboundSPI: child.inboundSPI), now: .zero)
        let delete = try #require(Fixtures.request(mobike.engine.drain()))
        _ = try mobike.update(from: Fixtures.moved)
        let deleted = mobike.send(
            try mobike.peer.answer(
                delete.datagram, payloads: [.delete(DeletePayload(protocolID: .esp, spis: [Fixtures.bytes(child.outboundSPI)]))]),
            from: Fixtures.moved)
        #expect(deleted.effects.contains {
            if case .removeChildSA(let inbound, _) = $0 { inbound == child.inboundSPI } else { false }
        })
        let check = try #require(Fixtures.request(deleted))
        let answered = mobike.send(try mobike.peer.answer(check.datagram), from: Fixtures.moved)
        #expect(Fixtures.pathUpdates(answered).isEmpty)
        #expect(mobike.status?.remote == Fixtures.moved)
    }

    @Test("A move racing our Delete of the IKE SA: the SA closes when the answer comes, and no check follows")
    func moveRacingIKEDelete() throws {
        var mobike = try Fixtures(seed: 323)
        try mobike.engine.handleCommand(.delete(localSPI: mobike.spi), now: .zero)
        let delete = try #require(Fixtures.request(mobike.engine.drain()))
        let update = try mobike.update(from: Fixtures.moved)
        #expect(mobike.status?.remote == Fixtures.moved)
        #expect(Fixtures.request(update) == nil)
        let closed = mobike.send(try mobike.peer.answer(delete.datagram, payloads: []), from: Fixtures.moved)
        #expect(closed.events.contains { if case .ikeSAClosed = $0 { true } else { false } })
        #expect(closed.transmits.isEmpty)
        #expect(Fixtures.pathUpdates(closed).isEmpty)
        #expect(mobike.engine.ikeSACount == 0)
    }

    @Test("A move racing the peer's Delete of a Child SA in the same window: the remaining pairs move, the deleted one does not")
    func peerDeleteThenMove() throws {
        var mobike = try Fixtures(seed: 324, windowSize: 2)
        let child = try #require(ResponderFixtures.installations(mobike.auth).first)
        let delete = mobike.send(
            try mobike.peer.request(
                .informational, payloads: [.delete(DeletePayload(protocolID: .esp, spis: [Fixtures.bytes(child.outboundSPI)]))]),
            from: Fixtures.left4500)
        #expect(delete.effects.contains {
            if case .removeChildSA(let inbound, _) = $0 { inbound == child.inboundSPI } else { false }
        })
        let update = try mobike.update(from: Fixtures.moved)
        let check = try #require(Fixtures.request(update))
        let answered = mobike.send(try mobike.peer.answer(check.datagram), from: Fixtures.moved)
        #expect(Fixtures.pathUpdates(answered).isEmpty)
        #expect(mobike.status?.children.isEmpty == true)
    }
}
