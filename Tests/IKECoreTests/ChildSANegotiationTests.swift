import IKEConfig
import IKECore
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// The responder's Child SA negotiation, shared by IKE_AUTH and CREATE_CHILD_SA, seen
/// on the wire by a scripted initiator.
@Suite("Responder Child SA negotiation in CREATE_CHILD_SA (RFC 7296 §1.3.1, §2.7, §2.9)")
struct ChildSANegotiationTests {
    typealias Fixtures = ResponderFixtures

    /// A responder whose child `net` is in `mode`, with an IKE SA established by `peer`.
    func established(mode: ChildSAConfiguration.Mode, seed: UInt64) throws -> (ScriptedInitiator, IKEEngine<SeededRandomSource>) {
        var engine = Fixtures.engine { $0.peers[0].children[0].mode = mode }
        var peer = Fixtures.initiator(seed: seed)
        let (_, outputs) = try Fixtures.establish(&peer, &engine)
        try #require(Fixtures.installations(outputs).count == 1)
        return (peer, engine)
    }

    /// `HDR, SK {[N(USE_TRANSPORT_MODE),] SA, Ni, TSi, TSr}` for a new Child SA.
    func createChildSARequest(
        _ peer: inout ScriptedInitiator, transport: Bool, proposals: [ProposalTemplate] = Fixtures.initiatorChild.proposals,
        child: ChildSAConfiguration = Fixtures.initiatorChild
    ) throws -> ByteBuffer {
        var payloads: [IKEPayload] = transport ? [.notify(NotifyPayload(type: .useTransportMode))] : []
        payloads += [
            .securityAssociation(SecurityAssociationPayload(proposals: proposals.enumerated().map {
                $1.proposal(number: UInt8($0 + 1), protocolID: .esp, spi: [0x0a, 0x0b, 0x0c, 0x0d])
            })),
            .nonce(NoncePayload(data: [UInt8](repeating: 9, count: 32))),
            .trafficSelectorInitiator(TrafficSelectorPayload(selectors: child.localTrafficSelectors.map(\.selector))),
            .trafficSelectorResponder(TrafficSelectorPayload(selectors: child.remoteTrafficSelectors.map(\.selector))),
        ]
        return try peer.request(.createChildSA, payloads: payloads)
    }

    @Test("§1.3.1: a CREATE_CHILD_SA asking for transport mode gets USE_TRANSPORT_MODE echoed for a transport child")
    func transportModeEchoed() throws {
        var (peer, engine) = try established(mode: .transport, seed: 31)
        let outputs = Fixtures.send(try createChildSARequest(&peer, transport: true), from: peer, to: &engine)
        let reply = try peer.open(try #require(outputs.transmits.first).datagram)
        #expect(reply.header.exchangeType == .createChildSA)
        #expect(reply.payloads.hasNotification(.useTransportMode))
        #expect(reply.payloads.securityAssociation != nil)
        #expect(reply.payloads.nonce != nil)
        #expect(reply.payloads.errorNotification == nil)
        #expect(Fixtures.installations(outputs).map(\.mode) == [.transport])
    }

    @Test("§1.3.1: a tunnel-mode child declines transport mode: no USE_TRANSPORT_MODE, a tunnel-mode Child SA")
    func transportModeDeclined() throws {
        var (peer, engine) = try established(mode: .tunnel, seed: 32)
        let outputs = Fixtures.send(try createChildSARequest(&peer, transport: true), from: peer, to: &engine)
        let reply = try peer.open(try #require(outputs.transmits.first).datagram)
        #expect(!reply.payloads.hasNotification(.useTransportMode))
        #expect(reply.payloads.securityAssociation != nil)
        #expect(Fixtures.installations(outputs).map(\.mode) == [.tunnel])
    }

    @Test("§1.3.1: without USE_TRANSPORT_MODE in the request, none in the answer")
    func transportModeNotAsked() throws {
        var (peer, engine) = try established(mode: .transport, seed: 33)
        let outputs = Fixtures.send(try createChildSARequest(&peer, transport: false), from: peer, to: &engine)
        let reply = try peer.open(try #require(outputs.transmits.first).datagram)
        #expect(!reply.payloads.hasNotification(.useTransportMode))
        #expect(reply.payloads.securityAssociation != nil)
    }

    @Test("§2.7: no acceptable ESP proposal → NO_PROPOSAL_CHOSEN, and .negotiationRefused names both offers")
    func noProposalChosen() throws {
        var (peer, engine) = try established(mode: .tunnel, seed: 34)
        let cbc = ProposalTemplate(encryption: [.init(.aesCBC, keyBits: 128)], integrity: [.hmacSHA2_256_128])
        let outputs = Fixtures.send(try createChildSARequest(&peer, transport: false, proposals: [cbc]), from: peer, to: &engine)
        let reply = try peer.open(try #require(outputs.transmits.first).datagram)
        #expect(reply.payloads == [.notify(NotifyPayload(type: .noProposalChosen))])
        #expect(Fixtures.installations(outputs).isEmpty)
        let refusals = outputs.events.compactMap { if case .negotiationRefused(_, let reason) = $0 { reason } else { nil } }
        #expect(refusals.map(\.code) == [.noProposalChosen])
        #expect(refusals.first?.text.contains("ENCR_AES_CBC") == true, "the peer's offer")
        #expect(refusals.first?.text.contains("ENCR_AES_GCM_16") == true, "ours")
        #expect(engine.establishedSPIs.count == 1)
    }

    @Test("§2.9: selectors no child allows → TS_UNACCEPTABLE, and .negotiationRefused")
    func trafficSelectorsUnacceptable() throws {
        var (peer, engine) = try established(mode: .tunnel, seed: 35)
        let elsewhere = EngineFixtures.child(local: "192.168.77.0/24", remote: "192.168.78.0/24")
        let outputs = Fixtures.send(try createChildSARequest(&peer, transport: false, child: elsewhere), from: peer, to: &engine)
        let reply = try peer.open(try #require(outputs.transmits.first).datagram)
        #expect(reply.payloads == [.notify(NotifyPayload(type: .tsUnacceptable))])
        let refusals = outputs.events.compactMap { if case .negotiationRefused(_, let reason) = $0 { reason } else { nil } }
        #expect(refusals.map(\.code) == [.trafficSelectorsUnacceptable])
        #expect(engine.establishedSPIs.count == 1)
    }
}
