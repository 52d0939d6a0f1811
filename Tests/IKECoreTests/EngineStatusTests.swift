import IKEConfig
import IKECore
import IKETestSupport
import IKEWire
import Testing

@Suite("The engine's status snapshot and SPI shards")
struct EngineStatusTests {
    @Test("Both sides show the same IKE SA and Child SA, crosswise, with the negotiated transforms")
    func statusAfterHandshake() throws {
        var network = EngineFixtures.network()
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        #expect(network.nodes[0].engine.statuses.map(\.phase) == [.connecting])
        network.run()
        let left = try #require(network.nodes[0].engine.statuses.first)
        let right = try #require(network.nodes[1].engine.statuses.first)
        #expect(left.phase == .established && right.phase == .established)
        #expect(left.isInitiator && !right.isInitiator)
        #expect(left.localSPI == right.remoteSPI && left.remoteSPI == right.localSPI)
        #expect(left.remoteIdentity == EngineFixtures.rightID && right.remoteIdentity == EngineFixtures.leftID)
        #expect(left.transforms == right.transforms)
        #expect(left.transforms.contains(Transform(.aesGCM16, keyLength: 256)))
        #expect(left.transforms.contains { $0.type == .keyExchangeMethod && $0.id == KeyExchangeMethodID.curve25519.rawValue })
        // Without a NAT: on the NAT-T port only because MOBIKE moves there (RFC 4555 §3.3),
        // so ESP is not encapsulated.
        #expect(left.establishedAt != nil && left.isOnNATTraversalPort && !left.isUDPEncapsulated)
        #expect(left.isMOBIKENegotiated && right.isMOBIKENegotiated)
        let leftChild = try #require(left.children.first)
        let rightChild = try #require(right.children.first)
        #expect(leftChild.inboundSPI == rightChild.outboundSPI && leftChild.outboundSPI == rightChild.inboundSPI)
        #expect(leftChild.localTrafficSelectors == rightChild.remoteTrafficSelectors)
        #expect(leftChild.transforms.contains(Transform(.aesGCM16, keyLength: 256)))
        #expect(leftChild.mode == .tunnel)
        try network.command(0, .delete(localSPI: left.localSPI))
        #expect(network.nodes[0].engine.statuses.map(\.phase) == [.deleting])
        network.run()
        #expect(network.nodes[0].engine.statuses.isEmpty)
    }

    @Test("An engine hands out only the IKE and Child SA SPIs of its shard", arguments: 0..<3)
    func shard(index: Int) throws {
        var network = EngineFixtures.network(seed: UInt64(index) + 7)
        for node in network.nodes.indices {
            network.nodes[node].engine.configuration.spiShard = SPIShard(index: index, count: 3)
        }
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        for node in network.nodes {
            let status = try #require(node.engine.statuses.first)
            #expect(status.localSPI % 3 == UInt64(index))
            #expect(status.children.allSatisfy { UInt64($0.inboundSPI) % 3 == UInt64(index) })
        }
    }
}
