import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

@Suite("Stateless COOKIE, responder side (RFC 7296 §2.6)")
struct CookieTests {
    typealias Fixtures = ResponderFixtures

    /// The COOKIE data of an IKE_SA_INIT response that carries only that notify.
    func cookie(in outputs: EngineOutputs) throws -> [UInt8] {
        let reply = try #require(outputs.transmits.first)
        let message = try IKEMessage(decoding: reply.datagram)
        #expect(message.payloads.count == 1)
        #expect(message.header.responderSPI == 0)
        let notify = try #require(message.notifications.first)
        #expect(notify.type == .cookie)
        return notify.data
    }

    func isFullResponse(_ outputs: EngineOutputs) -> Bool {
        guard let reply = outputs.transmits.first, let message = try? IKEMessage(decoding: reply.datagram) else {
            return false
        }
        return message.payloads.contains { $0.type == .securityAssociation }
    }

    @Test("Below the threshold no cookie is asked for")
    func notRequiredBelowThreshold() throws {
        var engine = Fixtures.engine { $0.cookieThreshold = 2 }
        for seed in UInt64(1)...2 {
            var peer = Fixtures.initiator(seed: seed)
            let outputs = try Fixtures.saInit(&peer, &engine)
            #expect(isFullResponse(outputs))
            #expect(!outputs.events.contains { if case .cookieRequested = $0 { true } else { false } })
        }
        #expect(engine.halfOpenSACount == 2)
    }

    @Test("At the threshold: only N(COOKIE), no state; the retry with COOKIE first is accepted")
    func requiredAtThreshold() throws {
        var engine = Fixtures.engine { $0.cookieThreshold = 1 }
        var first = Fixtures.initiator(seed: 1)
        #expect(isFullResponse(try Fixtures.saInit(&first, &engine)))

        var second = Fixtures.initiator(seed: 2)
        let challenge = try Fixtures.saInit(&second, &engine)
        let cookie = try cookie(in: challenge)
        #expect(cookie.count == 33)
        #expect(challenge.events.contains(.cookieRequested(remote: second.address)))
        #expect(engine.ikeSACount == 1)
        #expect(engine.halfOpenSACount == 1)

        let retry = try Fixtures.saInit(&second, &engine, cookie: cookie)
        #expect(isFullResponse(retry))
        #expect(engine.ikeSACount == 2)
        // The keys are those of the retried exchange: IKE_AUTH completes.
        let auth = Fixtures.send(try Fixtures.authRequest(&second), from: second, to: &engine)
        #expect(Fixtures.installations(auth).count == 1)
    }

    @Test("§2.6 the COOKIE must be the first payload; anywhere else it does not count")
    func cookieMustComeFirst() throws {
        var engine = Fixtures.engine { $0.cookieThreshold = 0 }
        var peer = Fixtures.initiator(seed: 3)
        let cookie = try cookie(in: try Fixtures.saInit(&peer, &engine))
        let misplaced = try peer.saInitRequest(extraPayloads: [.notify(NotifyPayload(type: .cookie, data: cookie))])
        let outputs = Fixtures.send(misplaced, from: peer, to: &engine)
        #expect(try self.cookie(in: outputs) == cookie)
        #expect(engine.ikeSACount == 0)
    }

    @Test("A cookie is bound to Ni, IPi and SPIi")
    func cookieIsBoundToTheInitiator() throws {
        var engine = Fixtures.engine { $0.cookieThreshold = 0 }
        var peer = Fixtures.initiator(seed: 4)
        let cookie = try cookie(in: try Fixtures.saInit(&peer, &engine))

        var otherSPI = peer
        otherSPI.spi &+= 1
        #expect(!isFullResponse(try Fixtures.saInit(&otherSPI, &engine, cookie: cookie)))

        var otherAddress = peer
        otherAddress.address = IKEEndpointAddress(address: [198, 51, 100, 9], port: 500)
        #expect(!isFullResponse(try Fixtures.saInit(&otherAddress, &engine, cookie: cookie)))

        var otherNonce = Fixtures.initiator(seed: 99)
        otherNonce.spi = peer.spi
        #expect(!isFullResponse(try Fixtures.saInit(&otherNonce, &engine, cookie: cookie)))

        var forged = cookie
        forged[forged.count - 1] ^= 1
        #expect(!isFullResponse(try Fixtures.saInit(&peer, &engine, cookie: forged)))
        #expect(!isFullResponse(try Fixtures.saInit(&peer, &engine, cookie: Array(cookie.prefix(5)))))
        #expect(engine.ikeSACount == 0)

        #expect(isFullResponse(try Fixtures.saInit(&peer, &engine, cookie: cookie)))
        #expect(engine.ikeSACount == 1)
    }

    @Test("The secret rotates: a cookie of the previous secret is accepted, one two secrets old is not")
    func secretRotation() throws {
        let lifetime = Duration.seconds(60)
        var engine = Fixtures.engine { $0.cookieThreshold = 0; $0.cookieSecretLifetime = lifetime }
        var early = Fixtures.initiator(seed: 5)
        let earlyCookie = try cookie(in: try Fixtures.saInit(&early, &engine, now: .zero))
        var late = Fixtures.initiator(seed: 6)
        let lateCookie = try cookie(in: try Fixtures.saInit(&late, &engine, now: .zero + .seconds(10)))
        #expect(earlyCookie.first == lateCookie.first)

        // After one rotation (t = 70 s) new cookies carry the next version; old ones pass.
        var probe = Fixtures.initiator(seed: 7)
        let rotated = try cookie(in: try Fixtures.saInit(&probe, &engine, now: .zero + .seconds(70)))
        #expect(rotated.first == earlyCookie.first.map { $0 &+ 1 })
        #expect(isFullResponse(try Fixtures.saInit(&early, &engine, cookie: earlyCookie, now: .zero + .seconds(71))))

        // After the next rotation (t = 140 s) the first secret is gone.
        let refused = try Fixtures.saInit(&late, &engine, cookie: lateCookie, now: .zero + .seconds(140))
        #expect(!isFullResponse(refused))
        #expect(try cookie(in: refused).first == earlyCookie.first.map { $0 &+ 2 })
    }

    @Test("The secret comes from the injected random source: the same seed gives the same cookie")
    func deterministic() throws {
        func cookieFor(engineSeed: UInt64) throws -> [UInt8] {
            var engine = Fixtures.engine(seed: engineSeed) { $0.cookieThreshold = 0 }
            var peer = Fixtures.initiator(seed: 8)
            return try cookie(in: try Fixtures.saInit(&peer, &engine))
        }
        #expect(try cookieFor(engineSeed: 1) == cookieFor(engineSeed: 1))
        #expect(try cookieFor(engineSeed: 1) != cookieFor(engineSeed: 2))
    }

    @Test("Cygnet's initiator retries with the COOKIE and establishes against a responder that always asks")
    func initiatorRetriesWithCookie() throws {
        var network = EngineFixtures.network()
        network.nodes[1].engine.configuration.cookieThreshold = 0
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        #expect(EngineFixtures.isEstablished(network.nodes[0]))
        #expect(EngineFixtures.isEstablished(network.nodes[1]))
        #expect(network.sent == 6)
        #expect(network.nodes[1].events.filter { if case .cookieRequested = $0 { true } else { false } }.count == 1)
        let leftChild = try #require(EngineFixtures.installations(network.nodes[0]).first)
        let rightChild = try #require(EngineFixtures.installations(network.nodes[1]).first)
        #expect(leftChild.outboundEncryptionKey == rightChild.inboundEncryptionKey)
    }

    @Test("Cookies off (threshold nil): never asked for, however many SAs are half-open")
    func disabled() throws {
        var engine = Fixtures.engine {
            $0.cookieThreshold = nil
            $0.maximumHalfOpenSAsPerAddress = nil
        }
        for seed in UInt64(1)...40 {
            var peer = Fixtures.initiator(seed: seed)
            #expect(isFullResponse(try Fixtures.saInit(&peer, &engine)))
        }
        #expect(engine.halfOpenSACount == 40)
    }
}
