import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

@Suite("Liveness checks (dpd_delay, RFC 7296 §2.4) and INVALID_SPI handling (§1.4.1, §2.21.4)")
struct LivenessTests {
    typealias Fixtures = ResponderFixtures

    /// Left checks liveness every 30 s; the handshake ends when the IKE_AUTH response
    /// reaches left at 40 ms (four 10 ms hops).
    func network(conditions: SimulatedNetwork.Conditions = .init()) throws -> SimulatedNetwork {
        var network = EngineFixtures.network(conditions: conditions)
        network.nodes[0].engine.configuration.peers[0].livenessCheckInterval = .seconds(30)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run(for: .seconds(1))
        return network
    }

    let establishedAt = IKEInstant.zero + .milliseconds(40)

    @Test("After dpd_delay without inbound messages an empty INFORMATIONAL goes out, is answered, and the SA stays")
    func sendsLivenessCheck() throws {
        var network = try network()
        #expect(EngineFixtures.isEstablished(network.nodes[0]))
        #expect(network.sent == 4)
        #expect(network.nodes[0].engine.nextDeadline() == establishedAt + .seconds(30))
        network.run(for: .seconds(29))
        #expect(network.sent == 4)
        network.run(for: .seconds(2))
        #expect(network.sent == 6)
        #expect(network.nodes[0].engine.establishedSPIs.count == 1)
        // The answer (at 30.06 s) restarts the interval.
        #expect(network.nodes[0].engine.nextDeadline() == establishedAt + .seconds(30) + .milliseconds(20) + .seconds(30))
        network.run(for: .seconds(60))
        #expect(network.sent == 10)
        #expect(EngineFixtures.closeReasons(network.nodes[0]).isEmpty)
    }

    @Test("An authenticated inbound request counts as a sign of life and defers the check")
    func inboundDefersTheCheck() throws {
        var network = try network()
        network.run(for: .seconds(19))
        let spi = try #require(network.nodes[1].engine.establishedSPIs.first)
        try network.command(1, .checkLiveness(localSPI: spi))  // right asks at 20 s
        network.run(for: .seconds(1))
        #expect(network.sent == 6)
        let heardAt = network.nodes[0].engine.nextDeadline()
        #expect(heardAt == IKEInstant.zero + .seconds(20) + .milliseconds(10) + .seconds(30))
        network.run(for: .seconds(20))  // to 41 s: left's own check would have been due at 30 s
        #expect(network.sent == 6)
    }

    @Test("A dead peer: the check is retransmitted, then the SA closes with peerUnreachable")
    func deadPeer() throws {
        var network = try network()
        network.conditions.lossPercent = 100
        network.run(for: .seconds(400))
        #expect(network.nodes[0].engine.ikeSACount == 0)
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.peerUnreachable])
        let retransmits = network.nodes[0].events.filter { if case .retransmitted = $0 { true } else { false } }
        #expect(retransmits.count == 5)
        #expect(network.nodes[0].effects.contains { if case .removeChildSA = $0 { true } else { false } })
        // Check at 30.04 s, give-up 165 s later (RetransmissionPolicy defaults).
        #expect(network.nodes[0].engine.nextDeadline() == nil)
    }

    @Test("Without livenessCheckInterval an established SA schedules nothing")
    func disabledByDefault() throws {
        var network = EngineFixtures.network()
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        let quiet = network.run()
        #expect(quiet)
        #expect(network.nodes[0].engine.nextDeadline() == nil)
        #expect(network.nodes[1].engine.nextDeadline() == nil)
    }

    @Test("§1.4.1 deleting an ESP SPI we do not know: answered with an empty INFORMATIONAL, nothing removed")
    func deleteOfUnknownESPSPI() throws {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 21)
        let (_, established) = try Fixtures.establish(&peer, &engine)
        let child = try #require(Fixtures.installations(established).first)
        let unknown: UInt32 = child.inboundSPI &+ 1
        let request = try peer.request(.informational, payloads: [.delete(DeletePayload(espSPIs: [unknown]))])
        let outputs = Fixtures.send(request, from: peer, to: &engine, now: .zero + .seconds(1))
        let reply = try #require(outputs.transmits.first)
        #expect(try peer.open(reply.datagram).payloads.isEmpty)
        #expect(outputs.effects.isEmpty)
        #expect(engine.establishedSPIs.count == 1)
        // The real SPI still deletes the pair.
        let real = try peer.request(.informational, payloads: [.delete(DeletePayload(espSPIs: [child.outboundSPI]))])
        let deleted = Fixtures.send(real, from: peer, to: &engine, now: .zero + .seconds(2))
        #expect(deleted.effects.count == 1)
    }

    @Test("§2.21.4 a message for an IKE SPI we do not know is dropped and counted, never answered")
    func unknownIKESPI() throws {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 22)
        _ = try Fixtures.establish(&peer, &engine)
        var stranger = Fixtures.initiator(seed: 23)
        try Fixtures.saInit(&stranger, &engine)
        // Keys of a real exchange, but a responder SPI the engine never issued.
        var lost = stranger
        lost.responderSPI = 0x0bad_0bad_0bad_0bad
        let request = try lost.request(.informational, payloads: [])
        let before = engine.ikeSACount
        let outputs = Fixtures.send(request, from: lost, to: &engine, now: .zero + .seconds(1))
        #expect(outputs.transmits.isEmpty)
        #expect(outputs.dropCodes.contains(.noIKESA))
        #expect(engine.ikeSACount == before)
    }
}
