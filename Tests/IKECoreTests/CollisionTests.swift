import IKEConfig
import IKECore
import IKETestSupport
import IKEWire
import Testing

/// The collisions of RFC 7296 §1.4.1, §2.8.1 and §2.25 not covered by
/// `CreateChildSATests` and `IKERekeyCollisionTests`: two requests cross in the network,
/// each side answers the other's by the RFC's rule, and both end in the same state.
@Suite("Collisions of deletes and rekeys (RFC 7296 §1.4.1, §2.25)")
struct DeleteAndRekeyCollisionTests {
    /// Two engines with one IKE SA and one Child SA, and their local IKE SPIs.
    func established(seed: UInt64 = 1) throws -> (SimulatedNetwork, left: UInt64, right: UInt64) {
        var network = EngineFixtures.network(seed: seed)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        let left = try #require(network.nodes[0].engine.establishedSPIs.first)
        let right = try #require(network.nodes[1].engine.establishedSPIs.first)
        return (network, left, right)
    }

    func bytes(_ spi: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: spi >> (24 - 8 * $0)) } }

    func removals(_ node: SimulatedNetwork.Node) -> [UInt32] {
        node.effects.compactMap { if case .removeChildSA(let inbound, _) = $0 { inbound } else { nil } }
    }

    func refusals(_ node: SimulatedNetwork.Node, _ notify: NotifyMessageType) -> Int {
        EngineOutputs.dropReasons(node.events).filter { $0.code == .peerRefused && $0.peerNotify == notify }.count
    }

    @Test("§1.4.1 delete crossing delete of a Child SA: the pair goes once on each side, the IKE SA stays")
    func childDeleteCrossingDelete() throws {
        var (network, left, right) = try established()
        let child = try #require(EngineFixtures.installations(network.nodes[0]).first)
        try network.command(0, .deleteChildSA(localSPI: left, inboundSPI: child.inboundSPI))
        try network.command(1, .deleteChildSA(localSPI: right, inboundSPI: child.outboundSPI))
        network.run()
        #expect(removals(network.nodes[0]) == [child.inboundSPI])
        #expect(removals(network.nodes[1]) == [child.outboundSPI])
        #expect(network.nodes[0].engine.establishedSPIs == [left])
        #expect(network.nodes[1].engine.establishedSPIs == [right])
        // Nothing was lost or retried: both requests were answered.
        for node in network.nodes {
            #expect(!node.events.contains { if case .retransmitted = $0 { true } else { false } })
        }
    }

    @Test("§1.4.1 a Delete for a Child SA we are deleting ourselves is answered without a Delete payload")
    func crossingDeleteAnswerCarriesNoDelete() throws {
        var engine = ResponderFixtures.engine()
        var peer = ResponderFixtures.initiator(seed: 31)
        let (_, outputs) = try ResponderFixtures.establish(&peer, &engine)
        let installed = try #require(ResponderFixtures.installations(outputs).first)
        let spi = try #require(engine.establishedSPIs.first)
        // The engine deletes the pair; its request is on the wire.
        try engine.handleCommand(.deleteChildSA(localSPI: spi, inboundSPI: installed.inboundSPI), now: .zero)
        let ours = engine.drain()
        let ourRequest = try #require(ours.transmits.first)
        #expect(try peer.open(ourRequest.datagram).payloads == [.delete(DeletePayload(protocolID: .esp, spis: [bytes(installed.inboundSPI)]))])
        // The peer's Delete of the same pair crosses it: "the responses MUST NOT include
        // Delete payloads for the deleted SAs".
        let theirs = try peer.request(.informational, payloads: [.delete(DeletePayload(protocolID: .esp, spis: [bytes(installed.outboundSPI)]))])
        let answer = ResponderFixtures.send(theirs, from: peer, to: &engine)
        let reply = try #require(answer.transmits.first)
        #expect(try peer.open(reply.datagram).payloads.isEmpty)
        #expect(answer.effects.count == 1)
        #expect(engine.establishedSPIs == [spi])
    }

    @Test("§1.4.1 delete crossing delete of the IKE SA: both sides close, nothing is retransmitted")
    func ikeDeleteCrossingDelete() throws {
        var (network, left, right) = try established()
        try network.command(0, .delete(localSPI: left))
        try network.command(1, .delete(localSPI: right))
        network.run()
        for node in network.nodes {
            #expect(node.engine.ikeSACount == 0)
            #expect(EngineFixtures.closeReasons(node).count == 1)
            #expect(!node.events.contains { if case .retransmitted = $0 { true } else { false } })
        }
        let child = try #require(EngineFixtures.installations(network.nodes[0]).first)
        #expect(removals(network.nodes[0]) == [child.inboundSPI])
        #expect(removals(network.nodes[1]) == [child.outboundSPI])
    }

    @Test("§2.25.1/§2.25.2 a Child SA rekey crossing an IKE SA rekey: TEMPORARY_FAILURE both ways, both SAs stand, a retry succeeds")
    func childRekeyCrossingIKERekey() throws {
        var (network, left, right) = try established()
        let child = try #require(EngineFixtures.installations(network.nodes[0]).first)
        try network.command(0, .rekeyChildSA(localSPI: left, inboundSPI: child.inboundSPI))
        try network.command(1, .rekeyIKESA(localSPI: right))
        network.run()
        #expect(refusals(network.nodes[0],  .temporaryFailure) == 1)
        #expect(refusals(network.nodes[1],  .temporaryFailure) == 1)
        #expect(network.nodes[0].engine.establishedSPIs == [left])
        #expect(network.nodes[1].engine.establishedSPIs == [right])
        #expect(EngineFixtures.installations(network.nodes[0]).count == 1)
        #expect(EngineFixtures.installations(network.nodes[1]).count == 1)
        #expect(removals(network.nodes[0]).isEmpty && removals(network.nodes[1]).isEmpty)
        // The collision settled, the IKE SA rekey goes through when tried again.
        try network.command(1, .rekeyIKESA(localSPI: right))
        network.run()
        #expect(network.nodes[1].engine.establishedSPIs.count == 1)
        #expect(network.nodes[1].engine.establishedSPIs != [right])
    }

    @Test("§2.25.2 a new Child SA requested while the peer rekeys the IKE SA gets TEMPORARY_FAILURE; the IKE SA is rekeyed")
    func createChildCrossingIKERekey() throws {
        var (network, left, right) = try established()
        try network.command(0, .createChildSA(localSPI: left, child: "net"))
        try network.command(1, .rekeyIKESA(localSPI: right))
        network.run()
        #expect(refusals(network.nodes[0],  .temporaryFailure) == 1)
        // The other side was creating a Child SA, so it refused the IKE SA rekey too
        // (§2.25.1); neither exchange took effect.
        #expect(refusals(network.nodes[1],  .temporaryFailure) == 1)
        #expect(EngineFixtures.installations(network.nodes[0]).count == 1)
        #expect(network.nodes[0].engine.establishedSPIs == [left])
    }

    @Test("§2.25.1 an IKE SA rekey crossing a Child SA delete gets TEMPORARY_FAILURE; the delete is answered as usual")
    func ikeRekeyCrossingChildDelete() throws {
        var (network, left, right) = try established()
        let child = try #require(EngineFixtures.installations(network.nodes[0]).first)
        try network.command(0, .deleteChildSA(localSPI: left, inboundSPI: child.inboundSPI))
        try network.command(1, .rekeyIKESA(localSPI: right))
        network.run()
        #expect(refusals(network.nodes[1],  .temporaryFailure) == 1)
        #expect(removals(network.nodes[0]) == [child.inboundSPI])
        #expect(removals(network.nodes[1]) == [child.outboundSPI])
        #expect(network.nodes[0].engine.establishedSPIs == [left])
        #expect(network.nodes[1].engine.establishedSPIs == [right])
    }

    @Test("§2.25.2 the IKE SA deleted while the peer rekeys a Child SA: no new Child SA anywhere, both sides close")
    func ikeDeleteDuringChildRekey() throws {
        var (network, left, right) = try established()
        let child = try #require(EngineFixtures.installations(network.nodes[0]).first)
        try network.command(0, .rekeyChildSA(localSPI: left, inboundSPI: child.inboundSPI))
        try network.command(1, .delete(localSPI: right))
        network.run()
        for node in network.nodes { #expect(node.engine.ikeSACount == 0) }
        // No Child SA was made by the rekey, and the old pair is gone on both sides.
        #expect(EngineFixtures.installations(network.nodes[0]).count == 1)
        #expect(EngineFixtures.installations(network.nodes[1]).count == 1)
        #expect(removals(network.nodes[0]) == [child.inboundSPI])
        #expect(removals(network.nodes[1]) == [child.outboundSPI])
    }
}
