import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import Testing

@Suite("CREATE_CHILD_SA and Child SA deletes (RFC 7296 §1.3, §1.4.1, §2.17, §2.18)")
struct CreateChildSATests {
    static let pfs = ProposalTemplate(encryption: [.init(.aesGCM16, keyBits: 256)], keyExchangeMethods: [.curve25519])

    func established(espProposals: [ProposalTemplate] = [EngineFixtures.espGCM]) throws -> SimulatedNetwork {
        var network = EngineFixtures.network()
        for index in network.nodes.indices {
            for peer in network.nodes[index].engine.configuration.peers.indices {
                for child in network.nodes[index].engine.configuration.peers[peer].children.indices {
                    network.nodes[index].engine.configuration.peers[peer].children[child].proposals = espProposals
                }
            }
        }
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        try #require(EngineFixtures.isEstablished(network.nodes[0]) && EngineFixtures.isEstablished(network.nodes[1]))
        return network
    }

    func removals(_ node: SimulatedNetwork.Node) -> [UInt32] {
        node.effects.compactMap { if case .removeChildSA(let inbound, _) = $0 { inbound } else { nil } }
    }

    @Test("§1.3.1 a second Child SA, with and without PFS, from either side", arguments: [0, 1], [false, true])
    func newChild(side: Int, withPFS: Bool) throws {
        var network = try established(espProposals: withPFS ? [Self.pfs] : [EngineFixtures.espGCM])
        let spi = try #require(network.nodes[side].engine.establishedSPIs.first)
        try network.command(side, .createChildSA(localSPI: spi, child: "net"))
        network.run()
        let mine = EngineFixtures.installations(network.nodes[side])
        let theirs = EngineFixtures.installations(network.nodes[1 - side])
        #expect(mine.count == 2 && theirs.count == 2)
        let new = try #require(mine.last)
        let peerNew = try #require(theirs.last)
        #expect(new.outboundSPI == peerNew.inboundSPI)
        #expect(new.outboundEncryptionKey == peerNew.inboundEncryptionKey)
        #expect(new.inboundEncryptionKey == peerNew.outboundEncryptionKey)
        // Fresh nonces give fresh keys.
        #expect(new.outboundEncryptionKey != mine[0].outboundEncryptionKey)
    }

    @Test("§1.3.3 Child SA rekey with REKEY_SA: the new pair is installed on both sides, then the old one is deleted")
    func rekeyChild() throws {
        var network = try established()
        let spi = try #require(network.nodes[0].engine.establishedSPIs.first)
        let old = try #require(EngineFixtures.installations(network.nodes[0]).first)
        try network.command(0, .rekeyChildSA(localSPI: spi, inboundSPI: old.inboundSPI))
        network.run()
        let left = EngineFixtures.installations(network.nodes[0])
        let right = EngineFixtures.installations(network.nodes[1])
        #expect(left.count == 2 && right.count == 2)
        #expect(left.last?.outboundSPI == right.last?.inboundSPI)
        #expect(left.last?.outboundEncryptionKey == right.last?.inboundEncryptionKey)
        #expect(removals(network.nodes[0]) == [old.inboundSPI])
        #expect(removals(network.nodes[1]) == [old.outboundSPI])
        // The new SA keeps the negotiated selectors.
        #expect(left.last?.localTrafficSelectors == old.localTrafficSelectors)
    }

    @Test("§1.4.1 deleting one Child SA removes the pair on both sides and keeps the IKE SA", arguments: [0, 1])
    func deleteChild(side: Int) throws {
        var network = try established()
        let spi = try #require(network.nodes[side].engine.establishedSPIs.first)
        let child = try #require(EngineFixtures.installations(network.nodes[side]).first)
        try network.command(side, .deleteChildSA(localSPI: spi, inboundSPI: child.inboundSPI))
        network.run()
        #expect(removals(network.nodes[side]) == [child.inboundSPI])
        #expect(removals(network.nodes[1 - side]) == [child.outboundSPI])
        #expect(network.nodes[0].engine.establishedSPIs.count == 1)
        #expect(network.nodes[1].engine.establishedSPIs.count == 1)
    }

    @Test("§2.18 IKE SA rekey from either side: new SPIs and keys, Child SAs moved, the old SA closed as rekeyed", arguments: [0, 1])
    func rekeyIKESA(side: Int) throws {
        var network = try established()
        let oldSPIs = network.nodes.map { $0.engine.establishedSPIs }
        let spi = try #require(oldSPIs[side].first)
        try network.command(side, .rekeyIKESA(localSPI: spi))
        network.run()
        for (index, node) in network.nodes.enumerated() {
            #expect(node.engine.establishedSPIs.count == 1)
            #expect(node.engine.establishedSPIs != oldSPIs[index])
            #expect(EngineFixtures.closeReasons(node).map(\.code) == [.rekeyed])
            // The Child SA was moved, not removed.
            #expect(removals(node).isEmpty)
            #expect(node.events.contains { if case .ikeSARekeyed = $0 { true } else { false } })
        }
        // The new IKE SA works: a liveness check and a Child SA delete go through it.
        let newSPI = try #require(network.nodes[0].engine.establishedSPIs.first)
        try network.command(0, .checkLiveness(localSPI: newSPI))
        network.run()
        let child = try #require(EngineFixtures.installations(network.nodes[0]).first)
        try network.command(0, .deleteChildSA(localSPI: newSPI, inboundSPI: child.inboundSPI))
        network.run()
        #expect(removals(network.nodes[0]) == [child.inboundSPI])
        #expect(removals(network.nodes[1]) == [child.outboundSPI])
    }

    @Test("§1.3 CREATE_CHILD_SA with an ESP proposal the responder does not accept: NO_PROPOSAL_CHOSEN, IKE SA stands")
    func childNoProposal() throws {
        // The initiator has a second child that offers only AES-CBC; the responder's
        // children accept only AES-GCM.
        var network = EngineFixtures.network()
        var cbcChild = EngineFixtures.child(local: "198.51.100.0/24", remote: "203.0.113.0/24", proposals: [
            ProposalTemplate(encryption: [.init(.aesCBC, keyBits: 128)], integrity: [.hmacSHA2_256_128])
        ])
        cbcChild.name = "cbc"
        network.nodes[0].engine.configuration.peers[0].children.append(cbcChild)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        let spi = try #require(network.nodes[0].engine.establishedSPIs.first)
        try network.command(0, .createChildSA(localSPI: spi, child: "cbc"))
        network.run()
        #expect(EngineFixtures.installations(network.nodes[0]).count == 1)
        #expect(EngineFixtures.installations(network.nodes[1]).count == 1)
        #expect(network.nodes[0].engine.establishedSPIs.count == 1)
        #expect(
            EngineOutputs.dropReasons(network.nodes[0].events)
                .contains(IKEDropReason(.peerRefused, "", peerNotify: .noProposalChosen)))
    }
}

@Suite("Collisions (RFC 7296 §2.8.1, §2.25)")
struct CollisionTests {
    func removals(_ node: SimulatedNetwork.Node) -> [UInt32] {
        node.effects.compactMap { if case .removeChildSA(let inbound, _) = $0 { inbound } else { nil } }
    }

    @Test("§2.8.1 simultaneous Child SA rekey: the SA with the lowest nonce is redundant; one new pair survives",
          arguments: UInt64(1)...20)
    func simultaneousChildRekey(seed: UInt64) throws {
        var network = EngineFixtures.network(seed: seed)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        let leftSPI = try #require(network.nodes[0].engine.establishedSPIs.first)
        let rightSPI = try #require(network.nodes[1].engine.establishedSPIs.first)
        let leftOld = try #require(EngineFixtures.installations(network.nodes[0]).first)
        // Both sides start a rekey of the same pair at the same instant.
        try network.command(0, .rekeyChildSA(localSPI: leftSPI, inboundSPI: leftOld.inboundSPI))
        try network.command(1, .rekeyChildSA(localSPI: rightSPI, inboundSPI: leftOld.outboundSPI))
        network.run()
        let leftInstalled = EngineFixtures.installations(network.nodes[0])
        let rightInstalled = EngineFixtures.installations(network.nodes[1])
        #expect(leftInstalled.count == 3 && rightInstalled.count == 3, "seed \(seed)")
        let leftAlive = Set(leftInstalled.map(\.inboundSPI)).subtracting(removals(network.nodes[0]))
        let rightAlive = Set(rightInstalled.map(\.inboundSPI)).subtracting(removals(network.nodes[1]))
        // Exactly one pair is left, the same on both sides, and it is not the old one.
        #expect(leftAlive.count == 1 && rightAlive.count == 1, "seed \(seed): left \(leftAlive), right \(rightAlive)")
        let survivor = try #require(leftInstalled.first { leftAlive.contains($0.inboundSPI) })
        #expect(survivor.inboundSPI != leftOld.inboundSPI, "seed \(seed)")
        #expect(rightAlive == [survivor.outboundSPI], "seed \(seed)")
        let peer = try #require(rightInstalled.first { $0.inboundSPI == survivor.outboundSPI })
        #expect(peer.inboundEncryptionKey == survivor.outboundEncryptionKey, "seed \(seed)")
        #expect(network.nodes[0].engine.establishedSPIs == [leftSPI])
    }

    @Test("§2.25.1 a rekey request for a Child SA being deleted gets TEMPORARY_FAILURE; the delete wins")
    func rekeyCrossingDelete() throws {
        var network = EngineFixtures.network()
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        let leftSPI = try #require(network.nodes[0].engine.establishedSPIs.first)
        let rightSPI = try #require(network.nodes[1].engine.establishedSPIs.first)
        let child = try #require(EngineFixtures.installations(network.nodes[0]).first)
        try network.command(0, .deleteChildSA(localSPI: leftSPI, inboundSPI: child.inboundSPI))
        try network.command(1, .rekeyChildSA(localSPI: rightSPI, inboundSPI: child.outboundSPI))
        network.run()
        #expect(
            EngineOutputs.dropReasons(network.nodes[1].events)
                .contains(IKEDropReason(.peerRefused, "", peerNotify: .temporaryFailure)))
        #expect(removals(network.nodes[0]) == [child.inboundSPI])
        #expect(removals(network.nodes[1]) == [child.outboundSPI])
        #expect(EngineFixtures.installations(network.nodes[0]).count == 1)
        #expect(EngineFixtures.installations(network.nodes[1]).count == 1)
    }
}

@Suite("IKE SA rekey collisions (RFC 7296 §2.8.1, §2.25.2)")
struct IKERekeyCollisionTests {
    @Test("§2.8.1 simultaneous IKE SA rekey: one new IKE SA survives on both sides, with the Child SA", arguments: UInt64(1)...20)
    func simultaneousIKERekey(seed: UInt64) throws {
        var network = EngineFixtures.network(seed: seed)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        let leftOld = try #require(network.nodes[0].engine.establishedSPIs.first)
        let rightOld = try #require(network.nodes[1].engine.establishedSPIs.first)
        try network.command(0, .rekeyIKESA(localSPI: leftOld))
        try network.command(1, .rekeyIKESA(localSPI: rightOld))
        network.run()
        for node in network.nodes {
            #expect(node.engine.establishedSPIs.count == 1, "seed \(seed): \(node.engine.establishedSPIs)")
            #expect(!node.effects.contains { if case .removeChildSA = $0 { true } else { false } }, "seed \(seed)")
        }
        let left = try #require(network.nodes[0].engine.establishedSPIs.first)
        #expect(left != leftOld)
        // The survivor carries the Child SA: deleting it through the new IKE SA works.
        let child = try #require(EngineFixtures.installations(network.nodes[0]).first)
        try network.command(0, .deleteChildSA(localSPI: left, inboundSPI: child.inboundSPI))
        network.run()
        #expect(network.nodes[1].effects.contains { if case .removeChildSA(let inbound, _) = $0 { inbound == child.outboundSPI } else { false } }, "seed \(seed)")
        #expect(network.nodes[0].engine.establishedSPIs == [left], "seed \(seed)")
    }

    @Test("§2.25.2 a rekey of an IKE SA that is being deleted gets TEMPORARY_FAILURE; the delete wins")
    func rekeyCrossingIKEDelete() throws {
        var network = EngineFixtures.network()
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        let leftSPI = try #require(network.nodes[0].engine.establishedSPIs.first)
        let rightSPI = try #require(network.nodes[1].engine.establishedSPIs.first)
        try network.command(0, .delete(localSPI: leftSPI))
        try network.command(1, .rekeyIKESA(localSPI: rightSPI))
        network.run()
        #expect(network.nodes[0].engine.ikeSACount == 0)
        #expect(network.nodes[1].engine.ikeSACount == 0)
    }
}
