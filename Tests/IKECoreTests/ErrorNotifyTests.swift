import IKEConfig
import IKECore
import IKETestSupport
import IKEWire
import Testing

/// Error notifications in INFORMATIONAL exchanges (RFC 7296 §2.21.2, §2.21.4, §3.10.1).
@Suite("INVALID_SPI and AUTHENTICATION_FAILED in INFORMATIONAL exchanges (RFC 7296 §2.21)")
struct ErrorNotifyTests {
    func established() throws -> SimulatedNetwork {
        var network = EngineFixtures.network()
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        try #require(network.nodes.allSatisfy { $0.engine.establishedSPIs.count == 1 })
        return network
    }

    func reported(_ node: SimulatedNetwork.Node) -> [[UInt8]] {
        node.events.compactMap {
            if case .errorNotifyReceived(_, let type, let data) = $0, type == .invalidSPI { data } else { nil }
        }
    }

    @Test("§2.21.4 ESP for an unknown SPI: INVALID_SPI with the SPI goes to the peer, at most once a second per IKE SA")
    func invalidSPI() throws {
        var network = try established()
        try network.command(0, .reportInvalidSPI(spi: 0xdead_beef, remote: EngineFixtures.right))
        let sent = network.sent
        try network.command(0, .reportInvalidSPI(spi: 0x0bad_cafe, remote: EngineFixtures.right))
        #expect(network.sent == sent, "rate limited")
        network.run()
        #expect(reported(network.nodes[1]) == [[0xde, 0xad, 0xbe, 0xef]])
        network.now = network.now + .seconds(1)
        try network.command(0, .reportInvalidSPI(spi: 0x0bad_cafe, remote: EngineFixtures.right))
        network.run()
        #expect(reported(network.nodes[1]) == [[0xde, 0xad, 0xbe, 0xef], [0x0b, 0xad, 0xca, 0xfe]])
        // The notice changes nothing: both IKE SAs and their Child SAs stand.
        for node in network.nodes {
            #expect(node.engine.establishedSPIs.count == 1)
            #expect(!node.effects.contains { if case .removeChildSA = $0 { true } else { false } })
        }
    }

    @Test("§2.21.4 ESP for an unknown SPI from an address without an IKE SA: nothing sent, counted as a drop")
    func invalidSPIWithoutSA() throws {
        var network = try established()
        let sent = network.sent
        try network.command(0, .reportInvalidSPI(spi: 0x1234_5678, remote: IKEEndpointAddress(address: [192, 0, 2, 99], port: 4500)))
        #expect(network.sent == sent)
        #expect(EngineOutputs.dropReasons(network.nodes[0].events).map(\.code).contains(.noIKESA))
    }

    @Test("§2.21.2 an initiator that refuses the responder's AUTH says so in an INFORMATIONAL; the responder closes too")
    func initiatorRefusesResponder() throws {
        var network = EngineFixtures.network()
        // The initiator expects another identity than the responder proves: a wildcard,
        // which it does not send as IDr (the responder would refuse an IDr not its own).
        let stranger = IKEIdentity("*@elsewhere.test")
        network.nodes[0].engine.configuration.peers[0].remoteIdentity = stranger
        network.nodes[0].engine.configuration.preSharedKeys.append(
            PreSharedKey(identities: [EngineFixtures.leftID, stranger], secret: Array("lab-only-psk-0123456789abcdef".utf8)))
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.authenticationFailed])
        #expect(EngineFixtures.closeReasons(network.nodes[1]).map(\.code) == [.authenticationFailed])
        #expect(network.nodes[1].events.contains {
            if case .errorNotifyReceived(_, let type, _) = $0 { type == .authenticationFailed } else { false }
        })
        for node in network.nodes { #expect(node.engine.ikeSACount == 0) }
        // The responder's Child SA, installed with its response, is gone again.
        #expect(network.nodes[1].effects.contains { if case .removeChildSA = $0 { true } else { false } })
    }
}
