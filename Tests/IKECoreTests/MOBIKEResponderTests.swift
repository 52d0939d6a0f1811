import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// The responder's side of MOBIKE (RFC 4555): MOBIKE_SUPPORTED in IKE_AUTH, then
/// UPDATE_SA_ADDRESSES from the initiator in INFORMATIONAL requests (§3.5), with NAT
/// detection, NO_NATS_ALLOWED (§3.9), COOKIE2 (§3.7) and the return routability check
/// before the Child SAs move.
@Suite("MOBIKE responder (RFC 4555 §3.2–§3.9)")
struct MOBIKEResponderTests {
    typealias Fixtures = MOBIKEFixtures

    @Test("RFC 4555 §3.2: MOBIKE_SUPPORTED answered with ours; the SA on port 4500 keeps raw ESP without a NAT")
    func negotiated() throws {
        let mobike = try Fixtures(seed: 301)
        let response = try mobike.response(mobike.auth)
        #expect(response.hasNotification(.mobikeSupported))
        #expect(mobike.status?.isMOBIKENegotiated == true)
        #expect(mobike.status?.isOnNATTraversalPort == true)
        #expect(mobike.status?.isUDPEncapsulated == false)
        let installation = try #require(ResponderFixtures.installations(mobike.auth).first)
        #expect(!installation.isUDPEncapsulated)
        #expect(installation.remoteAddress == Fixtures.left4500)
    }

    @Test("RFC 4555 §3.2: off when the initiator does not offer it, or with mobike = no; UPDATE_SA_ADDRESSES is then ignored",
          arguments: [(false, true), (true, false)])
    func notNegotiated(initiatorOffers: Bool, responderEnabled: Bool) throws {
        var mobike = try Fixtures(seed: 302, initiatorOffers: initiatorOffers, responderEnabled: responderEnabled)
        #expect(try !mobike.response(mobike.auth).hasNotification(.mobikeSupported))
        #expect(mobike.status?.isMOBIKENegotiated == false)
        let outputs = try mobike.update(from: Fixtures.moved, cookie2: Array(repeating: 7, count: 8))
        // Answered (where it came from, RFC 7296 §2.11) and nothing else.
        #expect(outputs.transmits.map(\.destination) == [Fixtures.moved])
        #expect(try mobike.response(outputs).isEmpty)
        #expect(mobike.status?.remote == Fixtures.left4500)
        #expect(Fixtures.pathUpdates(outputs).isEmpty)
        #expect(mobike.status?.addressUpdates == 0)
    }

    @Test("RFC 4555 §3.5, §3.7: the IKE SA moves at once; the Child SAs only once the COOKIE2 check of the new address is answered")
    func updateWithReturnRoutability() throws {
        var mobike = try Fixtures(seed: 303)
        let outputs = try mobike.update(from: Fixtures.moved)
        #expect(mobike.status?.remote == Fixtures.moved)
        #expect(mobike.status?.addressUpdates == 1)
        #expect(Fixtures.addressEvents(outputs).map(\.1) == [.mobike])
        #expect(Fixtures.pathUpdates(outputs).isEmpty)
        // The response carries our NAT detection over the new addresses (§3.5).
        let response = try mobike.response(outputs)
        #expect(response.hasNotification(.natDetectionSourceIP) && response.hasNotification(.natDetectionDestinationIP))
        #expect(!response.hasNotification(.cookie2))
        // The check: an INFORMATIONAL request with COOKIE2 to the new address.
        let check = try #require(Fixtures.request(outputs))
        #expect(check.destination == Fixtures.moved)
        let (header, payloads) = try mobike.peer.open(check.datagram)
        #expect(header.exchangeType == .informational)
        let cookie = try #require(payloads.notification(.cookie2)).data
        #expect((8...64).contains(cookie.count))
        let answered = mobike.send(try mobike.peer.answer(check.datagram), from: Fixtures.moved)
        let updates = Fixtures.pathUpdates(answered)
        #expect(updates.count == 1)
        #expect(updates.first?.remoteAddress == Fixtures.moved)
        #expect(updates.first?.localAddress == Fixtures.right4500)
        #expect(updates.first?.isUDPEncapsulated == false)
        #expect(updates.first?.inboundSPI == ResponderFixtures.installations(mobike.auth).first?.inboundSPI)
    }

    @Test("RFC 4555 §3.7: back to a verified address pair the Child SAs move with no new check")
    func verifiedPathNeedsNoCheck() throws {
        var mobike = try Fixtures(seed: 304)
        let away = try mobike.update(from: Fixtures.moved)
        _ = mobike.send(try mobike.peer.answer(try #require(Fixtures.request(away)).datagram), from: Fixtures.moved)
        let back = try mobike.update(from: Fixtures.left4500)
        #expect(Fixtures.request(back) == nil)
        #expect(Fixtures.pathUpdates(back).map(\.remoteAddress) == [Fixtures.left4500])
        #expect(mobike.status?.addressUpdates == 2)
    }

    @Test("RFC 4555 §3.5: behind a NAT (NAT detection over another address) the Child SAs move encapsulated")
    func updateBehindNAT() throws {
        var mobike = try Fixtures(seed: 305)
        let translated = IKEEndpointAddress(address: [198, 51, 100, 7], port: 40_001)
        let outputs = try mobike.update(from: translated, claimed: IKEEndpointAddress(address: [10, 0, 0, 5], port: 4500))
        #expect(mobike.status?.remote == translated)
        #expect(mobike.status?.isUDPEncapsulated == true)
        let check = try #require(Fixtures.request(outputs))
        let answered = mobike.send(try mobike.peer.answer(check.datagram), from: translated)
        #expect(Fixtures.pathUpdates(answered).map(\.isUDPEncapsulated) == [true])
        #expect(Fixtures.pathUpdates(answered).map(\.remoteAddress) == [translated])
    }

    @Test("RFC 4555 §3.9: NO_NATS_ALLOWED that does not match the IP header gets UNEXPECTED_NAT_DETECTED and moves nothing")
    func noNATsAllowedMismatch() throws {
        var mobike = try Fixtures(seed: 306)
        let claimed = NoNATsAllowedData(
            sourceAddress: [192, 0, 2, 77], destinationAddress: EngineFixtures.rightAddress, sourcePort: 4500,
            destinationPort: 4500)
        let outputs = try mobike.update(
            from: Fixtures.moved, extraPayloads: [.notify(NotifyPayload(type: .noNATsAllowed, data: claimed.encoded))])
        #expect(try mobike.response(outputs).hasNotification(.unexpectedNATDetected))
        #expect(outputs.transmits.map(\.destination) == [Fixtures.moved])
        #expect(ResponderFixtures.refusals(outputs) == [.unexpectedNATDetected])
        #expect(mobike.status?.remote == Fixtures.left4500)
        #expect(mobike.status?.addressUpdates == 0)
    }

    @Test("RFC 4555 §3.9: NO_NATS_ALLOWED that matches the IP header lets the update through")
    func noNATsAllowedMatch() throws {
        var mobike = try Fixtures(seed: 307)
        let sent = NoNATsAllowedData(
            sourceAddress: Fixtures.moved.address, destinationAddress: EngineFixtures.rightAddress,
            sourcePort: Fixtures.moved.port, destinationPort: 4500)
        let outputs = try mobike.update(
            from: Fixtures.moved, extraPayloads: [.notify(NotifyPayload(type: .noNATsAllowed, data: sent.encoded))])
        #expect(try !mobike.response(outputs).hasNotification(.unexpectedNATDetected))
        #expect(mobike.status?.remote == Fixtures.moved)
    }

    @Test("RFC 4555 §3.7: the recipient of an INFORMATIONAL request MUST copy COOKIE2 to the response")
    func cookie2Echoed() throws {
        var mobike = try Fixtures(seed: 308)
        let cookie: [UInt8] = Array(1...20)
        let outputs = try mobike.update(from: Fixtures.moved, cookie2: cookie)
        #expect(try mobike.response(outputs).notification(.cookie2)?.data == cookie)
        // A COOKIE2 of the wrong length (§4.2.5: 8 to 64 octets) is refused.
        let short = mobike.send(
            try mobike.peer.request(.informational, payloads: [.notify(NotifyPayload(type: .cookie2, data: [1, 2]))]),
            from: Fixtures.moved)
        #expect(try mobike.response(short).hasNotification(.invalidSyntax))
    }

    @Test("RFC 4555 §3.5: an older UPDATE_SA_ADDRESSES arriving after a newer one is answered and moves nothing")
    func olderUpdateIgnored() throws {
        var mobike = try Fixtures(seed: 309, windowSize: 4)
        let newer = IKEEndpointAddress(address: [192, 0, 2, 10], port: 4500)
        _ = try mobike.update(from: newer, messageID: 3)
        #expect(mobike.status?.remote == newer)
        let late = try mobike.update(from: Fixtures.moved, messageID: 2)
        #expect(late.transmits.map(\.destination).contains(Fixtures.moved))
        #expect(try mobike.response(late).hasNotification(.natDetectionSourceIP))
        #expect(mobike.status?.remote == newer)
        #expect(mobike.status?.addressUpdates == 1)
    }

    @Test("RFC 4555 §3.7, §3.11: an unanswered check gives up the check, not the IKE SA; the Child SAs stay put")
    func unansweredCheck() throws {
        var mobike = try Fixtures(seed: 310)
        _ = try mobike.update(from: Fixtures.moved)
        var now = IKEInstant.zero
        var updates: [ChildSAPathUpdate] = []
        var closed = false
        for _ in 0..<40 {
            guard let deadline = mobike.engine.nextDeadline() else { break }
            now = deadline
            let outputs = mobike.engine.advance(to: now)
            updates += Fixtures.pathUpdates(outputs)
            closed = closed || outputs.events.contains { if case .ikeSAClosed = $0 { true } else { false } }
            if mobike.engine.nextDeadline() == nil { break }
        }
        #expect(!closed)
        #expect(updates.isEmpty)
        #expect(mobike.status?.phase == .established)
        #expect(mobike.status?.remote == Fixtures.moved)
    }

    @Test("RFC 4555 §3.7: an answer with another COOKIE2 closes the IKE SA")
    func cookie2Mismatch() throws {
        var mobike = try Fixtures(seed: 311)
        let outputs = try mobike.update(from: Fixtures.moved)
        let check = try #require(Fixtures.request(outputs))
        let answered = mobike.send(
            try mobike.peer.answer(
                check.datagram, payloads: [.notify(NotifyPayload(type: .cookie2, data: Array(repeating: 9, count: 16)))]),
            from: Fixtures.moved)
        #expect(answered.events.contains { if case .ikeSAClosed = $0 { true } else { false } })
        #expect(Fixtures.pathUpdates(answered).isEmpty)
    }

    @Test("RFC 4555 §3.2: MOBIKE stays on across an IKE SA rekey")
    func rekeyInherits() throws {
        var mobike = try Fixtures(seed: 312)
        let rekey = mobike.send(try ResponderFixtures.ikeRekeyRequest(&mobike.peer), from: Fixtures.left4500)
        let newSPI = try #require(rekey.events.compactMap { if case .ikeSARekeyed(_, _, let new, _) = $0 { new } else { nil } }.first)
        #expect(mobike.engine.statuses.first { $0.localSPI == newSPI }?.isMOBIKENegotiated == true)
    }
}
