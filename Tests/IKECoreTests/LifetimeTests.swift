import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import Testing

/// Lifetimes in virtual time (swanctl.conf `rekey_time`, `reauth_time`, `over_time`,
/// `rand_time`, `life_time`, `rekey_bytes`/`life_bytes`, `rekey_packets`/`life_packets`).
/// The handshake completes at 40 ms (four 10 ms hops).
@Suite("Lifetimes: IKE and Child SA rekey, reauthentication and expiry (RFC 7296 §2.8, §2.18)")
struct LifetimeTests {
    static let established = IKEInstant.zero + .milliseconds(40)

    /// Both nodes with the given settings (the fixtures turn lifetimes off).
    func network(
        seed: UInt64 = 1, retransmission: RetransmissionPolicy = RetransmissionPolicy(),
        configure: (Int, inout PeerConfiguration) -> Void
    ) throws -> SimulatedNetwork {
        var network = EngineFixtures.network(seed: seed, retransmission: retransmission)
        for index in network.nodes.indices { configure(index, &network.nodes[index].engine.configuration.peers[0]) }
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        run(&network, until: .milliseconds(500))
        try #require(network.nodes.allSatisfy { EngineFixtures.isEstablished($0) })
        return network
    }

    func run(_ network: inout SimulatedNetwork, until time: Duration) {
        network.run(for: (IKEInstant.zero + time) - network.now)
    }

    func removals(_ node: SimulatedNetwork.Node) -> [UInt32] {
        node.effects.compactMap { if case .removeChildSA(let inbound, _) = $0 { inbound } else { nil } }
    }

    func expiries(_ node: SimulatedNetwork.Node) -> [String] {
        node.events.compactMap { if case .childSAExpired(_, _, _, let reason) = $0 { reason } else { nil } }
    }

    @Test("Defaults are strongSwan's (swanctl.conf)")
    func defaults() {
        let ike = IKELifetime()
        #expect(ike.rekeyTime == .seconds(4 * 3600))
        #expect(ike.reauthTime == .zero)
        #expect(ike.overTime == .seconds(1440))  // 10 % of rekey_time
        #expect(ike.randTime == .seconds(1440))  // over_time
        let both = IKELifetime(rekeyTime: .seconds(3600), reauthTime: .seconds(600))
        #expect(both.overTime == .seconds(360))  // 10 % of the longer
        #expect(both.randTime == .seconds(300))  // capped at half the shorter
        #expect(IKELifetime(rekeyTime: .zero).hardExpiry(rekeyAfter: nil, reauthAfter: nil) == nil)
        #expect(IKELifetime().hardExpiry(rekeyAfter: .seconds(100), reauthAfter: nil) == .seconds(1540))

        let child = ChildLifetime()
        #expect(child.rekeyTime == .seconds(3600))
        #expect(child.lifeTime == .seconds(3960))  // rekey_time + 10 %
        #expect(child.randTime == .seconds(360))  // life_time - rekey_time
        #expect(child.rekeyBytes == 0 && child.lifeBytes == 0 && child.randBytes == 0)
        #expect(child.rekeyPackets == 0 && child.lifePackets == 0 && child.randPackets == 0)
        let volume = ChildLifetime(rekeyBytes: 1000, rekeyPackets: 15)
        #expect(volume.lifeBytes == 1100 && volume.randBytes == 100)
        #expect(volume.lifePackets == 16 && volume.randPackets == 1)  // 15 * 110 / 100
        #expect(ChildLifetime(rekeyTime: .zero).hardExpiry == nil)
        #expect(ChildLifetime(rekeyTime: .zero, lifeTime: .seconds(60)).hardExpiry == .seconds(60))

        // The configuration types resolve through the same values.
        let peer = EngineFixtures.peer(
            local: EngineFixtures.leftID, remote: nil, proposals: [EngineFixtures.gcmX25519],
            child: EngineFixtures.child(local: "10.0.0.0/8", remote: "10.0.0.0/8"))
        var unset = peer
        unset.rekeyTime = nil
        #expect(unset.lifetime == IKELifetime())
        var unsetChild = peer.children[0]
        unsetChild.rekeyTime = nil
        #expect(unsetChild.lifetime == ChildLifetime())
    }

    @Test("Jitter stays within rekey_time - rand_time ... rekey_time", arguments: UInt64(1)...50)
    func jitterBounds(seed: UInt64) {
        var random = SeededRandomSource(seed: seed)
        let ike = IKELifetime(rekeyTime: .seconds(1000), overTime: .seconds(100))
        let rekey = ike.rekeyAfter(random: &random)
        #expect(rekey.map { $0 >= .seconds(900) && $0 <= .seconds(1000) } == true)
        let child = ChildLifetime(rekeyTime: .seconds(1000), rekeyBytes: 1000)
        #expect(child.rekeyAfter(random: &random).map { $0 >= .seconds(900) && $0 <= .seconds(1000) } == true)
        #expect(child.rekeyBytesThreshold(random: &random).map { $0 >= 900 && $0 <= 1000 } == true)
    }

    @Test("A Child SA rekeys at rekey_time minus jitter, keeps its selectors, then rekeys again with fresh timers",
          arguments: UInt64(1)...6)
    func childRekeysOnTime(seed: UInt64) throws {
        var network = try network(seed: seed) { _, peer in
            peer.children[0].rekeyTime = .seconds(100)  // life 110 s, rand 10 s
        }
        let first = try #require(EngineFixtures.installations(network.nodes[0]).first)
        // Not before rekey_time - rand_time (90 s after establishment) ...
        run(&network, until: .seconds(90))
        #expect(EngineFixtures.installations(network.nodes[0]).count == 1, "seed \(seed)")
        // ... and by rekey_time (plus the round trips of the rekey and the delete).
        run(&network, until: .milliseconds(100_100))
        let left = EngineFixtures.installations(network.nodes[0])
        let right = EngineFixtures.installations(network.nodes[1])
        #expect(left.count == 2 && right.count == 2, "seed \(seed)")
        let second = try #require(left.last)
        #expect(second.inboundSPI != first.inboundSPI)
        #expect(second.outboundEncryptionKey != first.outboundEncryptionKey)
        #expect(second.localTrafficSelectors == first.localTrafficSelectors)
        #expect(second.remoteTrafficSelectors == first.remoteTrafficSelectors)
        #expect(right.last?.inboundEncryptionKey == second.outboundEncryptionKey)
        #expect(removals(network.nodes[0]) == [first.inboundSPI], "seed \(seed)")
        #expect(removals(network.nodes[1]) == [first.outboundSPI], "seed \(seed)")
        // The new pair has fresh timers: the next rekey is another 90-100 s later.
        run(&network, until: .seconds(180))
        #expect(EngineFixtures.installations(network.nodes[0]).count == 2, "seed \(seed)")
        run(&network, until: .seconds(205))
        #expect(EngineFixtures.installations(network.nodes[0]).count == 3, "seed \(seed)")
        #expect(removals(network.nodes[0]).count == 2, "seed \(seed)")
        #expect(network.nodes.allSatisfy { $0.engine.establishedSPIs.count == 1 && expiries($0).isEmpty })
    }

    @Test("§2.18 the IKE SA rekeys at rekey_time: new SPIs, Child SA moved, fresh timers for the new SA")
    func ikeRekeysOnTime() throws {
        var network = try network { index, peer in
            peer.rekeyTime = index == 0 ? .seconds(100) : .zero
            peer.randTime = .zero
        }
        let before = network.nodes.map(\.engine.establishedSPIs)
        run(&network, until: .seconds(100))
        #expect(network.nodes.map(\.engine.establishedSPIs) == before)
        run(&network, until: .seconds(101))
        for (index, node) in network.nodes.enumerated() {
            #expect(node.engine.establishedSPIs.count == 1)
            #expect(node.engine.establishedSPIs != before[index])
            #expect(EngineFixtures.closeReasons(node).map(\.code) == [.rekeyed])
            #expect(removals(node).isEmpty)
            #expect(EngineFixtures.installations(node).count == 1)
        }
        let second = network.nodes[0].engine.establishedSPIs
        run(&network, until: .seconds(201))
        #expect(network.nodes[0].engine.establishedSPIs != second)
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.rekeyed, .rekeyed])
        // The Child SA moved twice and still works: a delete goes through the newest SA.
        let spi = try #require(network.nodes[0].engine.establishedSPIs.first)
        let child = try #require(EngineFixtures.installations(network.nodes[0]).first)
        try network.command(0, .deleteChildSA(localSPI: spi, inboundSPI: child.inboundSPI))
        run(&network, until: .seconds(202))
        #expect(removals(network.nodes[1]) == [child.outboundSPI])
    }

    @Test("A Child SA whose rekey never gets an answer is deleted at life_time; the IKE SA stays")
    func childExpiresWhenRekeyFails() throws {
        let patient = RetransmissionPolicy(timeout: .seconds(4), base: 1.0, tries: 200)
        var network = try network(retransmission: patient) { _, peer in
            peer.children[0].rekeyTime = .seconds(60)
            peer.children[0].lifeTime = .seconds(90)
            peer.children[0].randTime = .zero
        }
        network.conditions.lossPercent = 100
        run(&network, until: .seconds(89))
        #expect(network.nodes.allSatisfy { removals($0).isEmpty })
        #expect(network.nodes[0].events.contains { if case .retransmitted = $0 { true } else { false } })
        run(&network, until: .seconds(91))
        for node in network.nodes {
            #expect(removals(node).count == 1)
            #expect(expiries(node).count == 1)
            #expect(node.engine.establishedSPIs.count == 1)
        }
    }

    @Test("An IKE SA whose rekey never completes closes as expired over_time after the rekey point")
    func ikeSAExpires() throws {
        let patient = RetransmissionPolicy(timeout: .seconds(4), base: 1.0, tries: 200)
        var network = try network(retransmission: patient) { index, peer in
            peer.rekeyTime = index == 0 ? .seconds(100) : .zero
            peer.overTime = .seconds(20)
            peer.randTime = .zero
        }
        network.conditions.lossPercent = 100
        run(&network, until: .seconds(120))
        #expect(network.nodes[0].engine.establishedSPIs.count == 1)
        run(&network, until: .seconds(121))
        #expect(network.nodes[0].engine.ikeSACount == 0)
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.expired])
        #expect(removals(network.nodes[0]).count == 1)
    }

    @Test("rekey_bytes and rekey_packets rekey; life_bytes and life_packets delete", arguments: [false, true])
    func volumeLimits(packets: Bool) throws {
        var network = try network { _, peer in
            peer.children[0].rekeyTime = .zero
            if packets { peer.children[0].rekeyPackets = 100 } else { peer.children[0].rekeyBytes = 1_000_000 }
        }
        let spi = try #require(network.nodes[0].engine.establishedSPIs.first)
        let first = try #require(EngineFixtures.installations(network.nodes[0]).first)
        func usage(_ inbound: UInt32, _ amount: UInt64) throws {
            try network.command(
                0, .childSAUsage(localSPI: spi, inboundSPI: inbound, bytes: packets ? 0 : amount, packets: packets ? amount : 0))
            run(&network, until: network.now - .zero + .seconds(1))
        }
        // Below rekey - rand (900 kB / 90 packets): nothing.
        try usage(first.inboundSPI, packets ? 89 : 899_999)
        #expect(EngineFixtures.installations(network.nodes[0]).count == 1)
        // At the rekey limit: rekeyed, the old pair deleted.
        try usage(first.inboundSPI, packets ? 100 : 1_000_000)
        let left = EngineFixtures.installations(network.nodes[0])
        #expect(left.count == 2)
        #expect(removals(network.nodes[0]) == [first.inboundSPI])
        let second = try #require(left.last)
        // The new pair counts from zero; at its life limit (rekey + 10 %) it is deleted on both sides.
        try usage(second.inboundSPI, packets ? 110 : 1_100_000)
        #expect(removals(network.nodes[0]) == [first.inboundSPI, second.inboundSPI])
        #expect(removals(network.nodes[1]) == [first.outboundSPI, second.outboundSPI])
        #expect(expiries(network.nodes[0]).count == 1)
        #expect(network.nodes[0].engine.establishedSPIs == [spi])
    }

    @Test("reauth_time: the original initiator deletes the IKE SA and establishes a fresh one")
    func reauthentication() throws {
        var network = try network { index, peer in
            peer.rekeyTime = .zero
            peer.reauthTime = index == 0 ? .seconds(100) : .zero  // over 10 s, rand 10 s
        }
        let before = network.nodes.map(\.engine.establishedSPIs)
        run(&network, until: .seconds(90))
        #expect(network.nodes.map(\.engine.establishedSPIs) == before)
        run(&network, until: .seconds(101))
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.reauthenticated])
        #expect(EngineFixtures.closeReasons(network.nodes[1]).map(\.code) == [.deletedByPeer])
        for (index, node) in network.nodes.enumerated() {
            #expect(node.engine.establishedSPIs.count == 1)
            #expect(node.engine.establishedSPIs != before[index])
            #expect(EngineFixtures.installations(node).count == 2)
        }
    }

    @Test("reauth_time: every Child SA of the old IKE SA is made again on the new one")
    func reauthenticationRecreatesEveryChild() throws {
        var network = try network { index, peer in
            peer.rekeyTime = .zero
            peer.reauthTime = index == 0 ? .seconds(100) : .zero
        }
        let spi = try #require(network.nodes[0].engine.establishedSPIs.first)
        try network.command(0, .createChildSA(localSPI: spi, child: "net"))
        run(&network, until: .seconds(90))
        #expect(EngineFixtures.installations(network.nodes[0]).count == 2)
        run(&network, until: .seconds(101))
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.reauthenticated])
        for node in network.nodes {
            // Two before, two again after: IKE_AUTH's child and one CREATE_CHILD_SA.
            #expect(EngineFixtures.installations(node).count == 4)
            #expect(node.effects.filter { if case .removeChildSA = $0 { true } else { false } }.count == 2)
        }
        // The new pairs match across the two sides.
        let left = EngineFixtures.installations(network.nodes[0]).suffix(2).map(\.outboundSPI)
        let right = EngineFixtures.installations(network.nodes[1]).suffix(2).map(\.inboundSPI)
        #expect(Set(left) == Set(right))
    }
}
