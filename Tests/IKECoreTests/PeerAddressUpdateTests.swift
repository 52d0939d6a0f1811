import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// Where an authenticated request from a new address leaves the IKE SA. RFC 7296 §2.11:
/// an implementation "MUST respond to the address and port from which the request was
/// received". §2.23: a host "that is not behind a NAT, SHOULD send all packets ... to the
/// IP address and port in the validated packet ... (that is, they SHOULD dynamically
/// update the address). A host behind a NAT SHOULD NOT do this type of dynamic address
/// update": in practice the address follows only a peer that NAT detection found behind
/// a NAT (strongSwan's rule, too).
@Suite("The peer's address follows an authenticated request only behind a NAT (RFC 7296 §2.11, §2.23)")
struct PeerAddressUpdateTests {
    typealias Fixtures = ResponderFixtures

    static let moved = IKEEndpointAddress(address: [192, 0, 2, 9], port: 6000)

    /// NAT_DETECTION_*_IP of an IKE_SA_INIT request from `peer`: its source hash over
    /// `source`, the destination hash over the responder's real address.
    func natDetection(_ peer: ScriptedInitiator, source: IKEEndpointAddress) -> [IKEPayload] {
        [
            .notify(NotifyPayload(
                type: .natDetectionSourceIP,
                data: NATDetection.hash(initiatorSPI: peer.spi, responderSPI: 0, address: source.address, port: source.port))),
            .notify(NotifyPayload(
                type: .natDetectionDestinationIP,
                data: NATDetection.hash(
                    initiatorSPI: peer.spi, responderSPI: 0, address: EngineFixtures.right.address,
                    port: EngineFixtures.right.port))),
        ]
    }

    /// A responder with an IKE SA established by `peer`, which claims `source` in its
    /// NAT detection (its own address: no NAT).
    func established(seed: UInt64, source: IKEEndpointAddress?) throws -> (ScriptedInitiator, IKEEngine<SeededRandomSource>) {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: seed)
        let request = try peer.saInitRequest(extraPayloads: natDetection(peer, source: source ?? peer.address))
        let reply = Fixtures.send(request, from: peer, to: &engine)
        try peer.handleSAInitResponse(try #require(reply.transmits.first).datagram)
        let auth = Fixtures.send(try Fixtures.authRequest(&peer), from: peer, to: &engine)
        try #require(Fixtures.installations(auth).count == 1)
        return (peer, engine)
    }

    /// An empty INFORMATIONAL request from `address`, and the engine's answer.
    func probe(_ peer: inout ScriptedInitiator, _ engine: inout IKEEngine<SeededRandomSource>, from address: IKEEndpointAddress)
        throws -> EngineOutputs
    {
        engine.deliver(try peer.request(.informational, payloads: []), from: address, to: EngineFixtures.right, now: .zero)
    }

    /// Where the engine's own next request (a liveness check) goes.
    func nextRequestDestination(_ engine: inout IKEEngine<SeededRandomSource>) throws -> IKEEndpointAddress? {
        let spi = try #require(engine.establishedSPIs.first)
        try engine.handleCommand(.checkLiveness(localSPI: spi), now: .zero)
        return engine.drain().transmits.first?.destination
    }

    @Test("No NAT: a request from a new address is answered there, and the IKE SA stays with the old address")
    func noNATDoesNotFollow() throws {
        var (peer, engine) = try established(seed: 81, source: nil)
        let outputs = try probe(&peer, &engine, from: Self.moved)
        #expect(outputs.transmits.map(\.destination) == [Self.moved])
        #expect(engine.statuses.first?.remote == peer.address)
        // A retransmission from there too gets the cached answer where it came from.
        let again = engine.deliver(
            try peer.request(.informational, payloads: [], messageID: 2), from: Self.moved, to: EngineFixtures.right,
            now: .zero)
        #expect(again.transmits.map(\.destination) == [Self.moved])
        #expect(try nextRequestDestination(&engine) == peer.address)
    }

    @Test("The peer behind a NAT: a request from a new address moves the IKE SA there")
    func behindNATFollows() throws {
        let privateAddress = IKEEndpointAddress(address: [10, 0, 0, 1], port: 500)
        var (peer, engine) = try established(seed: 82, source: privateAddress)
        #expect(engine.statuses.first?.isOnNATTraversalPort == false)
        let outputs = try probe(&peer, &engine, from: Self.moved)
        #expect(outputs.transmits.map(\.destination) == [Self.moved])
        #expect(engine.statuses.first?.remote == Self.moved)
        #expect(try nextRequestDestination(&engine) == Self.moved)
    }

    @Test("A request that fails the integrity check moves nothing and is not answered")
    func forgedRequestDoesNotMove() throws {
        let privateAddress = IKEEndpointAddress(address: [10, 0, 0, 1], port: 500)
        var (peer, engine) = try established(seed: 83, source: privateAddress)
        var forged = Array(try peer.request(.informational, payloads: []).readableBytesView)
        forged[forged.count - 1] ^= 0x01
        let outputs = engine.deliver(ByteBuffer(bytes: forged), from: Self.moved, to: EngineFixtures.right, now: .zero)
        #expect(outputs.transmits.isEmpty)
        #expect(engine.statuses.first?.remote == peer.address)
    }
}
