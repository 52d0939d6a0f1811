import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import Testing

/// The built-in Windows client rekeys its Child SAs with a KE of the 1024-bit MODP group
/// whatever `esp_proposals` say; a responder accepts that only on a connection with
/// `cygnet { ms_dh_downgrade = yes }` (libreswan's `ms-dh-downgrade`).
@Suite("Child SA rekeys downgraded to MODP 1024 (ms_dh_downgrade)")
struct KeyExchangeDowngradeTests {
    static let cbc = ProposalTemplate.EncryptionChoice(.aesCBC, keyBits: 256)
    static func esp(_ methods: [KeyExchangeMethodID]) -> ProposalTemplate {
        ProposalTemplate(encryption: [cbc], integrity: [.hmacSHA1_96], keyExchangeMethods: methods)
    }

    /// A Windows-like initiator (left, its Child SAs keyed with modp1024 in
    /// CREATE_CHILD_SA) and the gateway (right) with `gateway` as its esp_proposals, both
    /// with the legacy transforms, established.
    func established(gateway: [ProposalTemplate], tolerates: Bool) throws -> SimulatedNetwork {
        var network = EngineFixtures.network()
        for index in network.nodes.indices {
            network.nodes[index].engine.configuration.provider = CryptoProvider.default.addingLegacyTransforms()
        }
        network.nodes[0].engine.configuration.peers[0].children[0].proposals = [Self.esp([.modp1024])]
        network.nodes[1].engine.configuration.peers[0].children[0].proposals = gateway
        network.nodes[1].engine.configuration.peers[0].toleratesKeyExchangeDowngradeOnRekey = tolerates
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        try #require(EngineFixtures.isEstablished(network.nodes[0]) && EngineFixtures.isEstablished(network.nodes[1]))
        return network
    }

    /// ``established(gateway:tolerates:)``, then the left side rekeys its IKE_AUTH Child SA
    /// (whose inbound SPI is returned).
    func rekeyed(gateway: [ProposalTemplate], tolerates: Bool) throws -> (network: SimulatedNetwork, old: UInt32) {
        var network = try established(gateway: gateway, tolerates: tolerates)
        let spi = try #require(network.nodes[0].engine.establishedSPIs.first)
        let old = try #require(network.nodes[0].engine.statuses.first?.children.first).inboundSPI
        try network.command(0, .rekeyChildSA(localSPI: spi, inboundSPI: old))
        network.run()
        return (network, old)
    }

    func children(_ node: SimulatedNetwork.Node) -> [ChildSAStatus] { node.engine.statuses.flatMap(\.children) }

    func keyExchange(_ child: ChildSAStatus) -> [KeyExchangeMethodID] {
        child.transforms.filter { $0.type == .keyExchangeMethod }.map { KeyExchangeMethodID(rawValue: $0.id) }
    }

    func refusals(_ node: SimulatedNetwork.Node) -> [IKERefusal.Code] {
        node.events.compactMap { if case .negotiationRefused(_, let reason) = $0 { reason.code } else { nil } }
    }

    @Test("configured: a rekey with modp1024 is accepted and keyed with it, whether esp_proposals have another group or none",
          arguments: [[esp([.modp2048])], [esp([])]])
    func acceptedWhenConfigured(gateway: [ProposalTemplate]) throws {
        let (network, old) = try rekeyed(gateway: gateway, tolerates: true)
        for node in network.nodes {
            let now = children(node)
            #expect(now.count == 1)
            #expect(now.first?.inboundSPI != old && now.first?.outboundSPI != old)
            #expect(now.first.map(keyExchange) == [.modp1024])
        }
        #expect(refusals(network.nodes[1]).isEmpty)
    }

    /// Without a group (no PFS) the KE is not dropped from the answer either: RFC 7296
    /// §2.7, the accepted suite has "exactly one transform of each type included in the
    /// proposal", and the offer has only modp1024 for it.
    @Test("not configured: a rekey with modp1024 against esp_proposals with another group or none gets NO_PROPOSAL_CHOSEN; the old Child SA stays",
          arguments: [[esp([.modp2048])], [esp([])]])
    func refusedOtherwise(gateway: [ProposalTemplate]) throws {
        let (network, old) = try rekeyed(gateway: gateway, tolerates: false)
        #expect(refusals(network.nodes[1]) == [.noProposalChosen])
        #expect(children(network.nodes[0]).map(\.inboundSPI) == [old])
        #expect(children(network.nodes[1]).count == 1)
    }

    @Test("configured, but not a rekey: a new Child SA with modp1024 against esp_proposals with another group gets NO_PROPOSAL_CHOSEN")
    func newChildSANotDowngraded() throws {
        var network = try established(gateway: [Self.esp([.modp2048])], tolerates: true)
        let spi = try #require(network.nodes[0].engine.establishedSPIs.first)
        try network.command(0, .createChildSA(localSPI: spi, child: "net"))
        network.run()
        #expect(refusals(network.nodes[1]) == [.noProposalChosen])
        #expect(children(network.nodes[1]).count == 1)
    }
}
