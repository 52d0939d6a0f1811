import IKECore
import IKETestSupport
import Testing

/// `close_action` needs to know when the peer, and not a rekey, took a Child SA away.
@Suite("Child SA deleted by the peer (RFC 7296 §1.4.1): an event, unless a rekey replaced it")
struct ChildSADeletedByPeerTests {
    func established() throws -> SimulatedNetwork {
        var network = EngineFixtures.network()
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        try #require(EngineFixtures.isEstablished(network.nodes[0]) && EngineFixtures.isEstablished(network.nodes[1]))
        return network
    }

    func deletions(_ node: SimulatedNetwork.Node) -> [(localSPI: UInt64, child: String, inboundSPI: UInt32)] {
        node.events.compactMap {
            if case .childSADeletedByPeer(_, let localSPI, let child, let inbound, _) = $0 { (localSPI, child, inbound) } else { nil }
        }
    }

    @Test("The side whose peer deleted the Child SA reports it with the IKE SA, the child's name and its SPI", arguments: [0, 1])
    func deletedByPeer(side: Int) throws {
        var network = try established()
        let spi = try #require(network.nodes[side].engine.establishedSPIs.first)
        let child = try #require(EngineFixtures.installations(network.nodes[side]).first)
        try network.command(side, .deleteChildSA(localSPI: spi, inboundSPI: child.inboundSPI))
        network.run()
        #expect(deletions(network.nodes[side]).isEmpty)
        let reported = deletions(network.nodes[1 - side])
        #expect(reported.count == 1)
        #expect(reported.first?.localSPI == network.nodes[1 - side].engine.establishedSPIs.first)
        #expect(reported.first?.child == "net" && reported.first?.inboundSPI == child.outboundSPI)
    }

    @Test("A Child SA the peer deletes after rekeying it (§1.3.3) is not reported", arguments: [0, 1])
    func rekeyIsNotADeletion(side: Int) throws {
        var network = try established()
        let spi = try #require(network.nodes[side].engine.establishedSPIs.first)
        let old = try #require(EngineFixtures.installations(network.nodes[side]).first)
        try network.command(side, .rekeyChildSA(localSPI: spi, inboundSPI: old.inboundSPI))
        network.run()
        #expect(EngineFixtures.installations(network.nodes[1 - side]).count == 2)
        #expect(deletions(network.nodes[0]).isEmpty && deletions(network.nodes[1]).isEmpty)
    }
}
