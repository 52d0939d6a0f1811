import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

@Suite("IKE_SA_INIT and IKE_AUTH with PSK (RFC 7296 §1.2)")
struct HandshakeTests {
    func establish(_ network: inout SimulatedNetwork) throws {
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
    }

    @Test("PSK, X25519, AES-GCM: both sides establish and install a Child SA with matching keys and SPIs",
          arguments: [[EngineFixtures.gcmX25519], [EngineFixtures.cbcModp]])
    func establishes(proposals: [ProposalTemplate]) throws {
        var network = EngineFixtures.network(leftProposals: proposals, rightProposals: proposals)
        try establish(&network)
        let left = network.nodes[0]
        let right = network.nodes[1]
        #expect(EngineFixtures.isEstablished(left))
        #expect(EngineFixtures.isEstablished(right))
        #expect(left.engine.establishedSPIs.count == 1)
        #expect(right.engine.establishedSPIs.count == 1)
        let leftChild = try #require(EngineFixtures.installations(left).first)
        let rightChild = try #require(EngineFixtures.installations(right).first)
        #expect(leftChild.outboundSPI == rightChild.inboundSPI)
        #expect(leftChild.inboundSPI == rightChild.outboundSPI)
        #expect(leftChild.outboundEncryptionKey == rightChild.inboundEncryptionKey)
        #expect(leftChild.inboundEncryptionKey == rightChild.outboundEncryptionKey)
        #expect(leftChild.outboundEncryptionKey != leftChild.inboundEncryptionKey)
        #expect(leftChild.encryption == .aesGCM16)
        // §2.9: the responder narrowed 198.51.100.0/24 <-> 203.0.113.0/24 to itself.
        #expect(leftChild.localTrafficSelectors == rightChild.remoteTrafficSelectors)
        #expect(leftChild.localTrafficSelectors.first?.startAddress == [198, 51, 100, 0])
        #expect(network.sent == 4)
    }

    @Test("The same seeds give the same transcript, byte for byte")
    func deterministic() throws {
        func transcript(seed: UInt64) throws -> [UInt8] {
            var network = EngineFixtures.network(seed: seed)
            try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
            network.run()
            let keys = EngineFixtures.installations(network.nodes[0]).first?.outboundEncryptionKey.unprotectedBytes ?? []
            return keys + network.nodes[0].engine.establishedSPIs.flatMap { spi in (0..<8).map { UInt8(truncatingIfNeeded: spi >> (8 * $0)) } }
        }
        #expect(try transcript(seed: 7) == transcript(seed: 7))
        #expect(try transcript(seed: 7) != transcript(seed: 8))
    }

    @Test("§2.15 a wrong PSK: the responder answers AUTHENTICATION_FAILED, both sides close with a reason")
    func wrongPSK() throws {
        var network = EngineFixtures.network(rightSecret: "another-secret-entirely")
        try establish(&network)
        #expect(!EngineFixtures.isEstablished(network.nodes[0]))
        #expect(EngineFixtures.closeReasons(network.nodes[1]).map(\.code) == [.authenticationFailed])
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.authenticationFailed])
        #expect(network.nodes[0].engine.ikeSACount == 0)
        #expect(network.nodes[1].engine.ikeSACount == 0)
        #expect(EngineFixtures.installations(network.nodes[1]).isEmpty)
    }

    @Test("§2.15 an identity the responder does not expect is refused")
    func wrongIdentity() throws {
        var network = EngineFixtures.network(rightExpects: IKEIdentity("mallory@lab.test"))
        try establish(&network)
        let reasons = EngineFixtures.closeReasons(network.nodes[1])
        #expect(reasons.map(\.code) == [.authenticationFailed])
        #expect(reasons.first?.cause == .unexpectedIdentity)
        #expect(!EngineFixtures.isEstablished(network.nodes[0]))
    }

    @Test("§2.7 no common proposal: NO_PROPOSAL_CHOSEN, the initiator closes naming what it offered")
    func noProposalChosen() throws {
        var network = EngineFixtures.network(rightProposals: [EngineFixtures.cbcModp])
        try establish(&network)
        let reasons = EngineFixtures.closeReasons(network.nodes[0])
        #expect(reasons.map(\.code) == [.noProposalChosen])
        #expect(reasons.first?.text.contains("ENCR_AES_GCM_16") == true)
        #expect(network.nodes[1].engine.ikeSACount == 0)
        // The responder names both sides' offers for its operator.
        let refusal = network.nodes[1].events.compactMap { if case .negotiationRefused(_, let why) = $0 { why } else { nil } }
        #expect(refusal.map(\.code) == [.noProposalChosen])
        #expect(refusal.first?.text.contains("NO_PROPOSAL_CHOSEN") == true)
        #expect(refusal.first?.text.contains("ENCR_AES_GCM_16") == true, "the peer's offer")
        #expect(refusal.first?.text.contains("ENCR_AES_CBC") == true, "ours")
    }

    @Test("§1.3 INVALID_KE_PAYLOAD: the initiator retries with the group the responder asks for")
    func invalidKE() throws {
        let initiatorOffer = ProposalTemplate(
            encryption: [.init(.aesGCM16, keyBits: 256)], pseudorandomFunctions: [.hmacSHA2_256],
            keyExchangeMethods: [.curve25519, .ecp256])
        let responderOnly = ProposalTemplate(
            encryption: [.init(.aesGCM16, keyBits: 256)], pseudorandomFunctions: [.hmacSHA2_256],
            keyExchangeMethods: [.ecp256])
        var network = EngineFixtures.network(leftProposals: [initiatorOffer], rightProposals: [responderOnly])
        try establish(&network)
        #expect(EngineFixtures.isEstablished(network.nodes[0]))
        #expect(EngineFixtures.isEstablished(network.nodes[1]))
        #expect(network.sent == 6)
    }

    @Test("§2.4 an unreachable peer: retransmissions at 4, 11.2, 24.2, 47.5, 89.5 s, give-up at 165 s")
    func retransmissionGiveUp() throws {
        var network = EngineFixtures.network(conditions: .init(lossPercent: 100))
        try establish(&network)
        let retransmits = network.nodes[0].events.filter { if case .retransmitted = $0 { true } else { false } }
        #expect(retransmits.count == 5)
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.peerUnreachable])
        #expect(network.now >= IKEInstant.zero + .seconds(165))
        #expect(network.now < IKEInstant.zero + .seconds(166))
    }

    @Test("§1.4.1 delete from either side removes the IKE SA and its Child SAs on both", arguments: [0, 1])
    func delete(from side: Int) throws {
        var network = EngineFixtures.network()
        try establish(&network)
        let spi = try #require(network.nodes[side].engine.establishedSPIs.first)
        try network.command(side, .delete(localSPI: spi))
        network.run()
        for node in network.nodes {
            #expect(node.engine.ikeSACount == 0)
            #expect(node.effects.contains { if case .removeChildSA = $0 { true } else { false } })
        }
        #expect(EngineFixtures.closeReasons(network.nodes[side]).map(\.code) == [.deletedLocally])
        #expect(EngineFixtures.closeReasons(network.nodes[1 - side]).map(\.code) == [.deletedByPeer])
    }

    @Test("§2.4 a liveness check is answered; against a dead peer it gives up and closes")
    func liveness() throws {
        var network = EngineFixtures.network()
        try establish(&network)
        let spi = try #require(network.nodes[0].engine.establishedSPIs.first)
        try network.command(0, .checkLiveness(localSPI: spi))
        network.run()
        #expect(network.nodes[0].engine.establishedSPIs == [spi])
        network.conditions.lossPercent = 100
        try network.command(0, .checkLiveness(localSPI: spi))
        network.run()
        #expect(network.nodes[0].engine.ikeSACount == 0)
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.peerUnreachable])
    }
}

@Suite("INITIAL_CONTACT (RFC 7296 §2.4)")
struct InitialContactTests {
    @Test("§2.4 a restarted initiator's INITIAL_CONTACT makes the responder drop the stale IKE SA and its Child SA")
    func restartedPeer() throws {
        var network = EngineFixtures.network()
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        let stale = try #require(network.nodes[1].engine.establishedSPIs.first)
        // The initiator restarts: a fresh engine with the same configuration.
        network.nodes[0].engine = IKEEngine(configuration: network.nodes[0].engine.configuration, random: SeededRandomSource(seed: 99))
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        let right = network.nodes[1]
        #expect(right.engine.establishedSPIs.count == 1)
        #expect(right.engine.establishedSPIs != [stale])
        #expect(right.effects.contains { if case .removeChildSA = $0 { true } else { false } })
        #expect(EngineFixtures.closeReasons(right).map(\.code) == [.deletedByPeer])
    }
}

@Suite("Uniqueness policy (swanctl unique)")
struct UniquenessTests {
    func twoHandshakes(_ policy: UniquenessPolicy, restart: Bool) throws -> SimulatedNetwork {
        var network = EngineFixtures.network()
        network.nodes[1].engine.configuration.peers[0].uniqueness = policy
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        if restart {
            network.nodes[0].engine = IKEEngine(configuration: network.nodes[0].engine.configuration, random: SeededRandomSource(seed: 77))
        }
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        return network
    }

    @Test("unique = never: INITIAL_CONTACT is ignored and both IKE SAs stay")
    func never() throws {
        let network = try twoHandshakes(.never, restart: true)
        #expect(network.nodes[1].engine.establishedSPIs.count == 2)
    }

    @Test("unique = no: a second IKE SA from a peer that did not restart (no INITIAL_CONTACT) coexists")
    func no() throws {
        let network = try twoHandshakes(.no, restart: false)
        #expect(network.nodes[1].engine.establishedSPIs.count == 2)
        #expect(network.nodes[0].engine.establishedSPIs.count == 2)
    }

    @Test("unique = replace: a second IKE SA replaces the first even without INITIAL_CONTACT, with a Delete to the peer")
    func replace() throws {
        let network = try twoHandshakes(.replace, restart: false)
        #expect(network.nodes[1].engine.establishedSPIs.count == 1)
        #expect(EngineFixtures.closeReasons(network.nodes[1]).map(\.code) == [.deletedLocally])
        // The peer was told: its older IKE SA and Child SA are gone too.
        #expect(network.nodes[0].engine.establishedSPIs.count == 1)
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.deletedByPeer])
        #expect(network.nodes[0].effects.contains { if case .removeChildSA = $0 { true } else { false } })
    }

    @Test("unique = keep: a second IKE SA of the same identity is refused, the first kept")
    func keep() throws {
        let network = try twoHandshakes(.keep, restart: false)
        #expect(network.nodes[1].engine.establishedSPIs.count == 1)
        #expect(network.nodes[0].engine.establishedSPIs.count == 1)
        #expect(EngineFixtures.closeReasons(network.nodes[1]).map(\.code) == [.authenticationFailed])
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.authenticationFailed])
        #expect(EngineFixtures.installations(network.nodes[1]).count == 1)
    }

    @Test("unique = keep with INITIAL_CONTACT: the restarted peer's new IKE SA replaces the stale one")
    func keepAfterRestart() throws {
        let network = try twoHandshakes(.keep, restart: true)
        #expect(network.nodes[1].engine.establishedSPIs.count == 1)
        #expect(EngineFixtures.closeReasons(network.nodes[1]).map(\.code) == [.deletedByPeer])
    }

    @Test("unique = replace with INITIAL_CONTACT: the stale SA goes silently (the peer has no state for it)")
    func replaceAfterRestart() throws {
        let network = try twoHandshakes(.replace, restart: true)
        #expect(network.nodes[1].engine.establishedSPIs.count == 1)
        #expect(EngineFixtures.closeReasons(network.nodes[1]).map(\.code) == [.deletedByPeer])
        // No Delete went to the restarted peer (it would be unanswered and retransmitted).
        #expect(!network.nodes[1].events.contains { if case .retransmitted = $0 { true } else { false } })
    }
}

@Suite("The first Child SA fails while the IKE SA stands (RFC 7296 §1.2)")
struct FirstChildFailureTests {
    func run(_ network: inout SimulatedNetwork) throws {
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
    }

    @Test("No common ESP proposal: NO_PROPOSAL_CHOSEN in the IKE_AUTH response, both IKE SAs established, no Child SA")
    func espProposalMismatch() throws {
        var network = EngineFixtures.network()
        network.nodes[1].engine.configuration.peers[0].children[0].proposals = [
            ProposalTemplate(encryption: [.init(.aesCBC, keyBits: 128)], integrity: [.hmacSHA2_256_128])
        ]
        try run(&network)
        for node in network.nodes {
            #expect(node.engine.establishedSPIs.count == 1)
            #expect(EngineFixtures.installations(node).isEmpty)
        }
        #expect(network.nodes[0].events.contains {
            if case .errorNotifyReceived(_, let type, _) = $0 { type == .noProposalChosen } else { false }
        })
        #expect(network.nodes[1].events.contains {
            if case .negotiationRefused(_, let why) = $0 {
                why.code == .noProposalChosen && why.text.contains("NO_PROPOSAL_CHOSEN") && why.text.contains("ENCR_AES_GCM_16")
            } else {
                false
            }
        })
    }

    @Test("Traffic selectors no child allows: TS_UNACCEPTABLE, both IKE SAs established, no Child SA")
    func trafficSelectorMismatch() throws {
        var network = EngineFixtures.network()
        network.nodes[1].engine.configuration.peers[0].children[0] = EngineFixtures.child(
            local: "192.168.77.0/24", remote: "192.168.78.0/24")
        try run(&network)
        for node in network.nodes {
            #expect(node.engine.establishedSPIs.count == 1)
            #expect(EngineFixtures.installations(node).isEmpty)
        }
        #expect(network.nodes[0].events.contains {
            if case .errorNotifyReceived(_, let type, _) = $0 { type == .tsUnacceptable } else { false }
        })
        #expect(network.nodes[1].events.contains {
            if case .negotiationRefused(_, let why) = $0 { why.code == .trafficSelectorsUnacceptable } else { false }
        })
    }
}
