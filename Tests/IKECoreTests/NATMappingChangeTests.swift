import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// A NAT in front of the peer changed its mapping, without MOBIKE (RFC 7296 §2.23): the
/// next authenticated IKE message with a higher Message ID from the new address moves the
/// IKE SA and its Child SAs; "dynamic address update should only be done in response to a
/// new packet; otherwise, an attacker can revert the addresses with old replayed packets."
@Suite("NAT mapping changes move the IKE and Child SAs on a new message only (RFC 7296 §2.23)")
struct NATMappingChangeTests {
    static let privateAddress = IKEEndpointAddress(address: [10, 0, 0, 1], port: 500)
    static let rebound = IKEEndpointAddress(address: [198, 51, 100, 7], port: 40_002)

    /// A responder with an IKE SA of a peer behind a NAT (its NAT detection claims a
    /// private address), on the window `windowSize`; MOBIKE when `mobike`.
    func established(seed: UInt64, windowSize: UInt32 = 1, mobike: Bool = false) throws
        -> (ScriptedInitiator, IKEEngine<SeededRandomSource>, ChildSAInstallation)
    {
        var engine = ResponderFixtures.engine { $0.windowSize = windowSize }
        var peer = ResponderFixtures.initiator(seed: seed)
        let request = try peer.saInitRequest(
            extraPayloads: PeerAddressUpdateTests().natDetection(peer, source: Self.privateAddress))
        let reply = ResponderFixtures.send(request, from: peer, to: &engine)
        try peer.handleSAInitResponse(try #require(reply.transmits.first).datagram)
        var payloads = try peer.authPayloads(
            identity: EngineFixtures.leftID, psk: ResponderFixtures.psk, child: ResponderFixtures.initiatorChild)
        if mobike { payloads.append(.notify(NotifyPayload(type: .mobikeSupported))) }
        let auth = ResponderFixtures.send(try peer.request(.ikeAuth, payloads: payloads), from: peer, to: &engine)
        let installation = try #require(ResponderFixtures.installations(auth).first)
        return (peer, engine, installation)
    }

    func probe(
        _ peer: inout ScriptedInitiator, _ engine: inout IKEEngine<SeededRandomSource>, from address: IKEEndpointAddress,
        messageID: UInt32? = nil
    ) throws -> EngineOutputs {
        engine.deliver(
            try peer.request(.informational, payloads: [], messageID: messageID), from: address, to: EngineFixtures.right,
            now: .zero)
    }

    @Test("RFC 7296 §2.23: a new request from the new mapping moves the IKE SA and its Child SAs, cause nat_mapping_change")
    func newRequestMoves() throws {
        var (peer, engine, child) = try established(seed: 341)
        let outputs = try probe(&peer, &engine, from: Self.rebound)
        #expect(engine.statuses.first?.remote == Self.rebound)
        #expect(engine.statuses.first?.addressUpdates == 1)
        #expect(MOBIKEFixtures.addressEvents(outputs).map(\.1) == [.natMappingChange])
        let updates = MOBIKEFixtures.pathUpdates(outputs)
        #expect(updates.map(\.inboundSPI) == [child.inboundSPI])
        #expect(updates.first?.remoteAddress == Self.rebound)
        #expect(updates.first?.isUDPEncapsulated == child.isUDPEncapsulated)
    }

    @Test("RFC 7296 §2.23: a retransmission from the new mapping is answered there and moves nothing")
    func retransmissionDoesNotMove() throws {
        var (peer, engine, _) = try established(seed: 342)
        _ = try probe(&peer, &engine, from: peer.address, messageID: 2)
        let again = try probe(&peer, &engine, from: Self.rebound, messageID: 2)
        #expect(again.transmits.map(\.destination) == [Self.rebound])
        #expect(engine.statuses.first?.remote == peer.address)
        #expect(MOBIKEFixtures.pathUpdates(again).isEmpty)
        #expect(engine.statuses.first?.addressUpdates == 0)
    }

    @Test("RFC 7296 §2.23: an older request arriving late (window > 1) from another address moves nothing")
    func olderRequestDoesNotMove() throws {
        var (peer, engine, _) = try established(seed: 343, windowSize: 4)
        _ = try probe(&peer, &engine, from: Self.rebound, messageID: 3)
        #expect(engine.statuses.first?.remote == Self.rebound)
        let late = try probe(&peer, &engine, from: peer.address, messageID: 2)
        #expect(late.transmits.map(\.destination) == [peer.address])
        #expect(engine.statuses.first?.remote == Self.rebound)
        #expect(MOBIKEFixtures.pathUpdates(late).isEmpty)
    }

    @Test("RFC 7296 §2.23: the response to our own request from the new mapping moves the SAs too")
    func responseMoves() throws {
        var (peer, engine, _) = try established(seed: 344)
        let spi = try #require(engine.establishedSPIs.first)
        try engine.handleCommand(.checkLiveness(localSPI: spi), now: .zero)
        let request = try #require(engine.drain().transmits.first)
        let outputs = engine.deliver(try peer.answer(request.datagram), from: Self.rebound, to: EngineFixtures.right, now: .zero)
        #expect(engine.statuses.first?.remote == Self.rebound)
        #expect(MOBIKEFixtures.pathUpdates(outputs).map(\.remoteAddress) == [Self.rebound])
    }

    @Test("RFC 4555 §3.8: with MOBIKE negotiated no message moves the SA implicitly (the peer sends UPDATE_SA_ADDRESSES)")
    func noImplicitUpdateWithMOBIKE() throws {
        var (peer, engine, _) = try established(seed: 345, mobike: true)
        #expect(engine.statuses.first?.isMOBIKENegotiated == true)
        let outputs = try probe(&peer, &engine, from: Self.rebound)
        #expect(outputs.transmits.map(\.destination) == [Self.rebound])
        #expect(engine.statuses.first?.remote != Self.rebound)
        #expect(MOBIKEFixtures.pathUpdates(outputs).isEmpty)
    }

    @Test("ESP for an unknown SPI from another address moves nothing (only the data plane sees ESP)")
    func espDoesNotMove() throws {
        var (peer, engine, _) = try established(seed: 346)
        try engine.handleCommand(.reportInvalidSPI(spi: 0x0bad_0bad, remote: Self.rebound), now: .zero)
        #expect(MOBIKEFixtures.pathUpdates(engine.drain()).isEmpty)
        #expect(engine.statuses.first?.remote == peer.address)
        _ = try probe(&peer, &engine, from: peer.address)
        #expect(engine.statuses.first?.addressUpdates == 0)
    }
}
