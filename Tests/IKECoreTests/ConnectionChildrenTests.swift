import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import Testing

/// Every child of a connection comes up when we initiate it: the first in IKE_AUTH, the
/// others with CREATE_CHILD_SA once the IKE SA stands (RFC 7296 §1.2, §1.3.1), as
/// strongSwan starts each child with `start_action = start` on the same IKE SA.
@Suite("A connection's children are all brought up by the initiator (RFC 7296 §1.2, §1.3.1)")
struct ConnectionChildrenTests {
    /// Left and right with children `net` (198.51.100.0/24 === 203.0.113.0/24) and `net2`
    /// (198.51.100.0/24 === 192.0.2.128/25 on the left; mirrored on the right).
    func network(seed: UInt64 = 1) -> SimulatedNetwork {
        var network = EngineFixtures.network(seed: seed)
        var left = EngineFixtures.child(local: "198.51.100.0/24", remote: "192.0.2.128/25")
        left.name = "net2"
        var right = EngineFixtures.child(local: "192.0.2.128/25", remote: "198.51.100.0/24")
        right.name = "net2"
        network.nodes[0].engine.configuration.peers[0].children.append(left)
        network.nodes[1].engine.configuration.peers[0].children.append(right)
        return network
    }

    func childNames(_ node: SimulatedNetwork.Node) -> [String] {
        node.engine.statuses.flatMap(\.children).map(\.name).sorted()
    }

    @Test("Initiating a connection with two children brings up both on one IKE SA, with the right selectors",
          arguments: UInt64(1)...3)
    func bothChildren(seed: UInt64) throws {
        var network = network(seed: seed)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        for node in network.nodes {
            #expect(node.engine.establishedSPIs.count == 1)
            #expect(childNames(node) == ["net", "net2"])
        }
        let net2 = try #require(EngineFixtures.installations(network.nodes[0]).first { $0.name == "net2" })
        #expect(net2.remoteTrafficSelectors == [TrafficSelectorTemplate(ipv4Prefix: "192.0.2.128/25")?.selector])
        let peer = try #require(EngineFixtures.installations(network.nodes[1]).first { $0.inboundSPI == net2.outboundSPI })
        #expect(peer.name == "net2")
        #expect(peer.inboundEncryptionKey == net2.outboundEncryptionKey)
    }

    @Test("Initiating with a list of children brings up those only, the first of them in IKE_AUTH")
    func listedChildren() throws {
        var network = network()
        try network.command(
            0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right, children: ["net2"]))
        network.run()
        for node in network.nodes { #expect(childNames(node) == ["net2"]) }
        // One IKE_SA_INIT and one IKE_AUTH exchange: net2 came in IKE_AUTH.
        #expect(network.transcript.count == 4)
    }

    @Test("A reauthentication brings the children back the same way")
    func reauthentication() throws {
        var network = network()
        network.nodes[0].engine.configuration.peers[0].reauthTime = .seconds(100)
        network.nodes[0].engine.configuration.peers[0].randTime = .zero
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run(for: .seconds(50))
        let first = network.nodes[0].engine.establishedSPIs
        network.run(for: .seconds(100))
        for node in network.nodes {
            #expect(node.engine.establishedSPIs.count == 1)
            #expect(childNames(node) == ["net", "net2"])
        }
        #expect(network.nodes[0].engine.establishedSPIs != first)
    }
}
