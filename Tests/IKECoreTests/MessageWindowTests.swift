import IKEConfig
import IKECore
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// Message-ID windows (RFC 7296 §2.3): SET_WINDOW_SIZE, requests accepted out of order
/// inside the window, cached responses, and our own requests queued behind the one
/// outstanding.
@Suite("Message windows, SET_WINDOW_SIZE and queued requests (RFC 7296 §2.3)")
struct MessageWindowTests {
    typealias Fixtures = ResponderFixtures

    /// An empty INFORMATIONAL request (a liveness check) with `messageID`.
    func probe(_ peer: inout ScriptedInitiator, _ messageID: UInt32) throws -> ByteBuffer {
        try peer.request(.informational, payloads: [], messageID: messageID)
    }

    @Test("Window 4: SET_WINDOW_SIZE in IKE_AUTH, requests answered out of order inside the window, the rest dropped")
    func windowOfFour() throws {
        var engine = Fixtures.engine { $0.windowSize = 4 }
        var peer = Fixtures.initiator(seed: 41)
        let (_, established) = try Fixtures.establish(&peer, &engine)
        let authReply = try peer.open(try #require(established.transmits.first).datagram)
        #expect(authReply.payloads.contains(.notify(NotifyPayload(type: .setWindowSize, data: [0, 0, 0, 4]))))
        // IKE_AUTH was 1; the window is now 2...5. 3 before 2, then 5.
        for id: UInt32 in [3, 2, 5] {
            let outputs = Fixtures.send(try probe(&peer, id), from: peer, to: &engine)
            let reply = try #require(outputs.transmits.first, "request \(id) unanswered")
            #expect(try peer.open(reply.datagram).header.messageID == id)
        }
        // 2 and 3 are done, so the window is 4...7: 8 is outside and dropped.
        let outside = Fixtures.send(try probe(&peer, 8), from: peer, to: &engine)
        #expect(outside.transmits.isEmpty)
        #expect(EngineOutputs.dropReasons(outside.events).map(\.code).contains(.outsideWindow))
        let seven = Fixtures.send(try probe(&peer, 7), from: peer, to: &engine)
        #expect(seven.transmits.count == 1)
        // A retransmitted request inside the cache gets the very same response.
        let first = Fixtures.send(try probe(&peer, 5), from: peer, to: &engine)
        let again = Fixtures.send(try probe(&peer, 5), from: peer, to: &engine)
        #expect(first.transmits.first?.datagram == again.transmits.first?.datagram)
        #expect(first.transmits.count == 1)
        // Two more responses push the response to 2 out of the cache of four; request 2
        // is below the window by then, so it is dropped, never processed twice.
        for id: UInt32 in [4, 6] { #expect(Fixtures.send(try probe(&peer, id), from: peer, to: &engine).transmits.count == 1) }
        #expect(Fixtures.send(try probe(&peer, 2), from: peer, to: &engine).transmits.isEmpty)
    }

    @Test("Window 1 (the default): no SET_WINDOW_SIZE, a request ahead of the next one is dropped")
    func windowOfOne() throws {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 42)
        let (_, established) = try Fixtures.establish(&peer, &engine)
        let authReply = try peer.open(try #require(established.transmits.first).datagram)
        #expect(!authReply.payloads.contains { if case .notify(let n) = $0 { n.type == .setWindowSize } else { false } })
        #expect(Fixtures.send(try probe(&peer, 3), from: peer, to: &engine).transmits.isEmpty)
        #expect(Fixtures.send(try probe(&peer, 2), from: peer, to: &engine).transmits.count == 1)
        #expect(Fixtures.send(try probe(&peer, 3), from: peer, to: &engine).transmits.count == 1)
    }

    @Test("The window is one until IKE_AUTH completes, whatever the configured size")
    func windowOneBeforeAuth() throws {
        var engine = Fixtures.engine { $0.windowSize = 8 }
        var peer = Fixtures.initiator(seed: 43)
        try Fixtures.saInit(&peer, &engine)
        // Message 2 before IKE_AUTH (1): outside the window of an SA not yet established.
        let early = Fixtures.send(try probe(&peer, 2), from: peer, to: &engine)
        #expect(early.transmits.isEmpty)
        #expect(engine.halfOpenSACount == 1)
    }

    @Test("Commands made while a request is outstanding are queued and sent one at a time, in order")
    func queuedCommands() throws {
        var network = EngineFixtures.network()
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        let spi = try #require(network.nodes[0].engine.establishedSPIs.first)
        let first = try #require(EngineFixtures.installations(network.nodes[0]).first)
        let before = network.sent
        try network.command(0, .createChildSA(localSPI: spi, child: "net"))
        try network.command(0, .deleteChildSA(localSPI: spi, inboundSPI: first.inboundSPI))
        try network.command(0, .createChildSA(localSPI: spi, child: "net"))
        // Only the first request went out; the others wait for its response.
        #expect(network.sent == before + 1)
        network.run()
        let left = EngineFixtures.installations(network.nodes[0])
        let right = EngineFixtures.installations(network.nodes[1])
        #expect(left.count == 3 && right.count == 3)
        #expect(network.nodes[0].effects.contains { if case .removeChildSA(let inbound, _) = $0 { inbound == first.inboundSPI } else { false } })
        #expect(network.nodes[1].effects.contains { if case .removeChildSA(let inbound, _) = $0 { inbound == first.outboundSPI } else { false } })
        #expect(!network.nodes[0].events.contains { if case .retransmitted = $0 { true } else { false } })
        // Three requests and three responses, nothing else.
        #expect(network.sent == before + 6)
    }

    @Test("A Delete of the IKE SA queued behind other requests goes first and drops them")
    func queuedDeleteWins() throws {
        var network = EngineFixtures.network()
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        let spi = try #require(network.nodes[0].engine.establishedSPIs.first)
        try network.command(0, .createChildSA(localSPI: spi, child: "net"))
        try network.command(0, .rekeyIKESA(localSPI: spi))
        try network.command(0, .delete(localSPI: spi))
        network.run()
        #expect(network.nodes[0].engine.ikeSACount == 0)
        #expect(network.nodes[1].engine.ikeSACount == 0)
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.deletedLocally])
        #expect(!network.nodes[0].events.contains { if case .ikeSARekeyed = $0 { true } else { false } })
    }
}

@Suite("The host's answers to sign and validate effects")
struct CompletionTimeoutTests {
    @Test("A host that never answers the signing request: the IKE SA closes after completionTimeout")
    func signingNeverAnswered() async throws {
        var network = try CertificateFixtures.network(
            left: CertificateFixtures.Kind.ecdsaP256.left, right: CertificateFixtures.Kind.ecdsaP256.right)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        // `run` never answers effects: the initiator waits for its signature.
        network.run(for: .seconds(29))
        #expect(CertificateFixtures.signingRequests(network.nodes[0]).count == 1)
        #expect(network.nodes[0].engine.ikeSACount == 1)
        network.run(for: .seconds(2))
        #expect(EngineFixtures.closeReasons(network.nodes[0]).map(\.code) == [.completionTimeout])
        #expect(network.nodes[0].engine.ikeSACount == 0)
        // A late answer finds nothing to finish.
        let request = try #require(CertificateFixtures.signingRequests(network.nodes[0]).first)
        network.complete(0, .signed(request.id, .failure(IKECompletionFailure("too late"))))
        #expect(EngineOutputs.dropReasons(network.nodes[0].events).map(\.code).contains(.completionForUnknownSA))
    }
}
