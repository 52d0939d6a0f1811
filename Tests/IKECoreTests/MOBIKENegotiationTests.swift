import IKEConfig
import IKECore
import IKETestSupport
import IKEWire
import Testing

/// MOBIKE_SUPPORTED in IKE_AUTH between two engines (RFC 4555 §3.2): negotiated when both
/// connections have `mobike = yes` (the default, as in strongSwan), kept across an IKE SA
/// rekey.
@Suite("MOBIKE negotiation between two engines (RFC 4555 §3.2, §3.3)")
struct MOBIKENegotiationTests {
    func network(left: Bool, right: Bool) -> SimulatedNetwork {
        var network = EngineFixtures.network(seed: 351)
        network.nodes[0].engine.configuration.peers[0].isMOBIKEEnabled = left
        network.nodes[1].engine.configuration.peers[0].isMOBIKEEnabled = right
        return network
    }

    @Test("RFC 4555 §3.2: negotiated only when both sides send MOBIKE_SUPPORTED",
          arguments: [(true, true), (true, false), (false, true), (false, false)])
    func negotiation(left: Bool, right: Bool) throws {
        var network = network(left: left, right: right)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        let quiet = network.run()
        #expect(quiet)
        for node in network.nodes {
            let status = try #require(node.engine.statuses.first)
            #expect(status.phase == .established)
            #expect(status.isMOBIKENegotiated == (left && right))
            // RFC 4555 §3.3: the MOBIKE initiator is on the NAT-T port from IKE_AUTH on,
            // without a NAT; ESP stays raw.
            #expect(status.isOnNATTraversalPort == left)
            #expect(!status.isUDPEncapsulated)
        }
        let authDestinations = network.transcript.dropFirst(2).first.map(\.destination.port)
        #expect(authDestinations == (left ? 4500 : 500))
    }

    @Test("RFC 4555 §2: a rekeyed IKE SA keeps MOBIKE, whichever side rekeys", arguments: [0, 1])
    func rekeyKeepsMOBIKE(rekeyingNode: Int) throws {
        var network = network(left: true, right: true)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        let established = network.run()
        #expect(established)
        let spi = try #require(network.nodes[rekeyingNode].engine.establishedSPIs.first)
        try network.command(rekeyingNode, .rekeyIKESA(localSPI: spi))
        let rekeyed = network.run()
        #expect(rekeyed)
        for node in network.nodes {
            let statuses = node.engine.statuses
            #expect(statuses.count == 1)
            #expect(statuses.first?.localSPI != spi)
            #expect(statuses.first?.isMOBIKENegotiated == true)
        }
    }

    @Test("RFC 4555 §3.5: the initiator moves, the responder follows after its return routability check; same SAs, Child SAs moved on both sides")
    func moveBetweenTwoEngines() throws {
        var network = network(left: true, right: true)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        let established = network.run()
        #expect(established)
        let before = network.nodes.map { $0.engine.statuses.first }
        let spi = try #require(network.nodes[0].engine.establishedSPIs.first)
        // The left host's address changes: datagrams to the old one go nowhere.
        let moved: [UInt8] = [192, 0, 2, 9]
        network.nodes[0].address = moved
        network.nodes[0].effects.removeAll()
        network.nodes[1].effects.removeAll()
        try network.command(0, .setLocalAddresses([moved]))
        try network.command(0, .updateLocalAddress(localSPI: spi, address: moved))
        let quiet = network.run()
        #expect(quiet)
        let left = try #require(network.nodes[0].engine.statuses.first)
        let right = try #require(network.nodes[1].engine.statuses.first)
        // The same IKE SA on both sides, now between the new address and the responder.
        #expect(left.localSPI == before[0]?.localSPI && right.localSPI == before[1]?.localSPI)
        #expect(left.phase == .established && right.phase == .established)
        #expect(left.local == IKEEndpointAddress(address: moved, port: 4500) && left.remote.port == 4500)
        #expect(right.remote == IKEEndpointAddress(address: moved, port: 4500))
        #expect(left.addressUpdates == 1 && right.addressUpdates == 1)
        // Each side moved its Child SA to the new pair, raw ESP (no NAT), keeping its SPIs.
        for (index, status) in [left, right].enumerated() {
            let updates: [ChildSAPathUpdate] = network.nodes[index].effects.compactMap {
                if case .updateChildSA(let update) = $0 { update } else { nil }
            }
            #expect(updates.map(\.inboundSPI) == status.children.map(\.inboundSPI))
            #expect(updates.last?.localAddress == status.local && updates.last?.remoteAddress == status.remote)
            #expect(updates.last?.isUDPEncapsulated == false)
            let causes: [IKEAddressUpdateCause] = network.nodes[index].events.compactMap {
                if case .ikeSAAddressesUpdated(_, _, _, _, _, _, let cause) = $0 { cause } else { nil }
            }
            #expect(causes == [.mobike])
        }
    }
}
