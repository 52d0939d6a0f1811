import IKEConfig
@testable import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// MOBIKE as the original initiator (RFC 4555): the engine ("left", 192.0.2.1) moves its
/// IKE SA and Child SAs when the host says its address changed, announces its other
/// addresses, and finds another path when the current one is dead; a
/// ``ScriptedResponder`` ("right", 192.0.2.2) answers as a MOBIKE responder would.
@Suite("MOBIKE, the original initiator's side (RFC 4555)")
struct MOBIKEInitiatorTests {
    static let newLeft: [UInt8] = [192, 0, 2, 11]
    static let otherLeft: [UInt8] = [192, 0, 2, 12]
    static let otherRight: [UInt8] = [192, 0, 2, 22]
    /// The public side of a NAT in front of the initiator.
    static let natPublic = IKEEndpointAddress(address: [198, 18, 0, 1], port: 61_000)

    struct Setup {
        var engine: IKEEngine<SeededRandomSource>
        var peer: ScriptedResponder
        var spi: UInt64
    }

    /// IKE_SA_INIT and IKE_AUTH with a responder that supports MOBIKE and announces
    /// `peerAddresses` (RFC 4555 §3.2, §3.4); each answer goes back the way its request came.
    func established(
        mobike: Bool = true, peerAddresses: [[UInt8]] = [], configure: (inout IKEEngineConfiguration) -> Void = { _ in }
    ) throws -> Setup {
        var engine = InitiatorFixtures.engine(configure: configure)
        var peer = InitiatorFixtures.responder()
        try engine.handleCommand(.initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right), now: .zero)
        let saInit = try #require(engine.drain().transmits.first)
        let auth = try #require(
            engine.deliver(try peer.handleSAInitRequest(saInit.datagram), from: saInit.destination, to: saInit.source, now: .zero)
                .transmits.first)
        let opened = try peer.open(auth.datagram)
        var answer = try peer.authPayloads(identity: EngineFixtures.rightID, psk: InitiatorFixtures.psk)
            + InitiatorFixtures.childAnswer(to: opened.payloads)
        if mobike {
            answer.append(.notify(NotifyPayload(type: .mobikeSupported)))
            answer += peerAddresses.map {
                .notify(NotifyPayload(type: $0.count == 4 ? .additionalIP4Address : .additionalIP6Address, data: $0))
            }
        }
        let done = engine.deliver(
            try peer.response(to: opened.header, payloads: answer), from: auth.destination, to: auth.source, now: .zero)
        try #require(InitiatorFixtures.installations(done).count == 1)
        let spi = try #require(engine.establishedSPIs.first)
        if mobike {
            // Until the negotiation itself is in place: what MOBIKE_SUPPORTED and the
            // ADDITIONAL_*_ADDRESS of the answer set.
            engine.sas[spi]?.isMOBIKENegotiated = true
            engine.sas[spi]?.peerAdditionalAddresses = peerAddresses
        }
        return Setup(engine: engine, peer: peer, spi: spi)
    }

    /// Answers the engine's request `request` with `payloads` (built from the opened
    /// request), from where it went to where it came from, at `now`.
    func answer(
        _ setup: inout Setup, _ request: IKETransmit, now: IKEInstant = .zero,
        from source: IKEEndpointAddress? = nil, _ payloads: ([IKEPayload]) -> [IKEPayload] = { _ in [] }
    ) throws -> EngineOutputs {
        let opened = try setup.peer.open(request.datagram)
        let response = try setup.peer.response(to: opened.header, payloads: payloads(opened.payloads))
        return setup.engine.deliver(response, from: source ?? request.destination, to: request.source, now: now)
    }

    /// Answers an UPDATE_SA_ADDRESSES as a MOBIKE responder, which sees the request come
    /// from `seenAt` (a NAT's address, or by default where it was sent from).
    func answerUpdate(
        _ setup: inout Setup, _ request: IKETransmit, seenAt: IKEEndpointAddress? = nil, cookie2: [UInt8]? = nil
    ) throws -> EngineOutputs {
        let peer = setup.peer
        return try answer(&setup, request) {
            peer.updateAnswer(to: $0, source: request.destination, initiatorSeenAt: seenAt ?? request.source, cookie2: cookie2)
        }
    }

    func status(_ setup: Setup) throws -> IKESAStatus {
        try #require(setup.engine.statuses.first { $0.localSPI == setup.spi })
    }

    func pathUpdates(_ outputs: EngineOutputs) -> [ChildSAPathUpdate] {
        outputs.effects.compactMap { if case .updateChildSA(let update) = $0 { update } else { nil } }
    }

    /// The moves reported: old local, old remote, new local, new remote.
    func moves(_ outputs: EngineOutputs) -> [[IKEEndpointAddress]] {
        outputs.events.compactMap {
            if case .ikeSAAddressesUpdated(_, _, let oldLocal, let oldRemote, let newLocal, let newRemote, let cause) = $0,
                cause == .mobike
            {
                [oldLocal, oldRemote, newLocal, newRemote]
            } else {
                nil
            }
        }
    }

    func skips(_ outputs: EngineOutputs) -> [IKEAddressUpdateSkip] {
        outputs.events.compactMap { if case .addressUpdateSkipped(_, _, let reason) = $0 { reason } else { nil } }
    }

    func closeReasons(_ outputs: EngineOutputs) -> [IKECloseReason.Code] {
        outputs.events.compactMap { if case .ikeSAClosed(_, _, let reason, _) = $0 { reason.code } else { nil } }
    }

    func notify(_ type: NotifyMessageType, in payloads: [IKEPayload]) -> [[UInt8]] {
        payloads.notifications.filter { $0.type == type }.map(\.data)
    }

    /// Moves the engine to `address` and returns its UPDATE_SA_ADDRESSES.
    func move(_ setup: inout Setup, to address: [UInt8]) throws -> IKETransmit {
        try setup.engine.handleCommand(.updateLocalAddress(localSPI: setup.spi, address: address), now: .zero)
        let outputs = setup.engine.drain()
        #expect(pathUpdates(outputs).isEmpty)
        return try #require(outputs.transmits.first)
    }

    // MARK: The move

    @Test("RFC 4555 §3.5: a move sends UPDATE_SA_ADDRESSES from the new address, with NAT detection for the new pair and a COOKIE2 (§3.7)")
    func updateRequest() throws {
        var setup = try established()
        let before = try status(setup)
        let request = try move(&setup, to: Self.newLeft)
        #expect(request.source == IKEEndpointAddress(address: Self.newLeft, port: 4500))
        #expect(request.destination.address == EngineFixtures.rightAddress)
        // §3.5: the IKE SA takes the new address at once.
        #expect(try status(setup).local == request.source)
        let opened = try setup.peer.open(request.datagram)
        #expect(opened.header.exchangeType == .informational)
        #expect(!opened.header.isResponse)
        #expect(opened.payloads.hasNotification(.updateSAAddresses))
        #expect(notify(.cookie2, in: opened.payloads).map(\.count) == [16])
        let (spiI, spiR) = (setup.peer.initiatorSPI, setup.peer.spi)
        #expect(notify(.natDetectionSourceIP, in: opened.payloads) == [
            NATDetection.hash(initiatorSPI: spiI, responderSPI: spiR, address: Self.newLeft, port: 4500)
        ])
        #expect(notify(.natDetectionDestinationIP, in: opened.payloads) == [
            NATDetection.hash(
                initiatorSPI: spiI, responderSPI: spiR, address: request.destination.address, port: request.destination.port)
        ])
        // Not a liveness check: the Child SAs stay until the answer.
        #expect(before.children.count == 1)
        #expect(try status(setup).addressUpdates == 0)
    }

    @Test("RFC 4555 §3.5: the answer without a NAT moves every Child SA to the new pair, ESP not encapsulated")
    func moveWithoutNAT() throws {
        var setup = try established()
        let before = try status(setup)
        let request = try move(&setup, to: Self.newLeft)
        let outputs = try answerUpdate(&setup, request)
        let child = try #require(before.children.first)
        #expect(pathUpdates(outputs) == [
            ChildSAPathUpdate(
                inboundSPI: child.inboundSPI, outboundSPI: child.outboundSPI, localAddress: request.source,
                remoteAddress: request.destination, isUDPEncapsulated: false)
        ])
        #expect(moves(outputs) == [[before.local, before.remote, request.source, request.destination]])
        let after = try status(setup)
        #expect(after.addressUpdates == 1)
        #expect(after.local == request.source)
        #expect(!after.isLocalBehindNAT)
        #expect(closeReasons(outputs).isEmpty)
    }

    @Test("RFC 4555 §3.5, RFC 7296 §2.23: behind a new NAT the Child SAs switch to UDP encapsulation")
    func moveBehindNAT() throws {
        var setup = try established()
        let request = try move(&setup, to: Self.newLeft)
        let outputs = try answerUpdate(&setup, request, seenAt: Self.natPublic)
        #expect(pathUpdates(outputs).map(\.isUDPEncapsulated) == [true])
        #expect(pathUpdates(outputs).map(\.localAddress) == [request.source])
        #expect(try status(setup).isLocalBehindNAT)
        #expect(try status(setup).addressUpdates == 1)
    }

    @Test("RFC 4555 §3.5: an initiator that leaves a NAT stays UDP-encapsulated (as strongSwan)")
    func leavingNATStaysEncapsulated() throws {
        var setup = try established()
        _ = try answerUpdate(&setup, try move(&setup, to: Self.newLeft), seenAt: Self.natPublic)
        let request = try move(&setup, to: Self.otherLeft)
        let outputs = try answerUpdate(&setup, request)
        #expect(pathUpdates(outputs).map(\.isUDPEncapsulated) == [true])
        #expect(pathUpdates(outputs).map(\.localAddress) == [request.source])
        #expect(try !status(setup).isLocalBehindNAT)
        #expect(try status(setup).addressUpdates == 2)
    }

    @Test("RFC 4555 §3.7: an answer that does not echo our COOKIE2 is a typed drop; nothing moves and the IKE SA closes")
    func cookie2Mismatch() throws {
        var setup = try established()
        let request = try move(&setup, to: Self.newLeft)
        let outputs = try answerUpdate(&setup, request, cookie2: Array(repeating: 0x5a, count: 16))
        #expect(outputs.events.contains(.datagramDropped(IKEDropReason(.cookie2Mismatch, ""))))
        #expect(pathUpdates(outputs).isEmpty)
        #expect(moves(outputs).isEmpty)
        #expect(closeReasons(outputs) == [.protocolError])
    }

    @Test("RFC 4555 §3.9: UNEXPECTED_NAT_DETECTED in the answer: the Child SAs stay, the IKE SA closes (peerError)")
    func unexpectedNATDetected() throws {
        var setup = try established()
        let request = try move(&setup, to: Self.newLeft)
        let outputs = try answer(&setup, request) { _ in [.notify(NotifyPayload(type: .unexpectedNATDetected))] }
        #expect(pathUpdates(outputs).isEmpty)
        #expect(outputs.events.contains { if case .errorNotifyReceived(_, .unexpectedNATDetected, _) = $0 { true } else { false } })
        #expect(closeReasons(outputs) == [.peerError])
    }

    // MARK: Nothing to move

    @Test("RFC 4555 §3.2: without MOBIKE nothing is sent and nothing moves; the command says why")
    func withoutMOBIKE() throws {
        var setup = try established(mobike: false)
        let before = try status(setup)
        try setup.engine.handleCommand(.updateLocalAddress(localSPI: setup.spi, address: Self.newLeft), now: .zero)
        let outputs = setup.engine.drain()
        #expect(outputs.transmits.isEmpty)
        #expect(pathUpdates(outputs).isEmpty)
        #expect(skips(outputs) == [.mobikeNotNegotiated])
        #expect(try status(setup).local == before.local)
        #expect(throws: IKECoreError(.unknownName, "")) {
            try setup.engine.handleCommand(.updateLocalAddress(localSPI: setup.spi &+ 1, address: Self.newLeft), now: .zero)
        }
    }

    @Test("RFC 4555 §3.5: the SA's own address again is no move")
    func sameAddress() throws {
        var setup = try established()
        try setup.engine.handleCommand(.updateLocalAddress(localSPI: setup.spi, address: EngineFixtures.leftAddress), now: .zero)
        let outputs = setup.engine.drain()
        #expect(outputs.transmits.isEmpty)
        #expect(skips(outputs) == [.unchanged])
    }

    // MARK: Races

    /// Starts the request of `command`, moves the engine to ``newLeft`` while it is
    /// outstanding, and returns its retransmission, which §3.5 sends from the new address.
    func moveWhileOutstanding(_ setup: inout Setup, _ command: IKECommand) throws -> (IKETransmit, IKEInstant) {
        try setup.engine.handleCommand(command, now: .zero)
        let first = try #require(setup.engine.drain().transmits.first)
        try setup.engine.handleCommand(.updateLocalAddress(localSPI: setup.spi, address: Self.newLeft), now: .zero)
        // Window 1 (RFC 7296 §2.3): the update waits for the answer.
        #expect(setup.engine.drain().transmits.isEmpty)
        let deadline = try #require(setup.engine.nextDeadline())
        let retry = try #require(setup.engine.advance(to: deadline).transmits.first)
        #expect(retry.source == IKEEndpointAddress(address: Self.newLeft, port: 4500))
        #expect(retry.datagram == first.datagram)
        return (retry, deadline)
    }

    @Test("RFC 4555 §3.5: a move during a Child SA rekey: the rekey is retransmitted from the new address, the update follows it")
    func moveDuringRekey() throws {
        var setup = try established()
        let old = try #require(try status(setup).children.first)
        let (retry, deadline) = try moveWhileOutstanding(
            &setup, .rekeyChildSA(localSPI: setup.spi, inboundSPI: old.inboundSPI))
        var outputs = try answer(&setup, retry, now: deadline) { request in
            var answer = InitiatorFixtures.childAnswer(to: request, spi: 0xc0ff_ee02)
            answer.insert(.nonce(NoncePayload(data: Array(repeating: 7, count: 32))), at: 1)
            return answer
        }
        #expect(InitiatorFixtures.installations(outputs).map(\.localAddress) == [retry.source])
        // The old Child SA's Delete and the update follow, one at a time.
        var update: IKETransmit?
        for _ in 0..<3 {
            let next = try #require(outputs.transmits.first)
            if try setup.peer.open(next.datagram).payloads.hasNotification(.updateSAAddresses) {
                update = next
                break
            }
            outputs = try answer(&setup, next, now: deadline)
        }
        let request = try #require(update)
        #expect(request.source == retry.source)
        let moved = try answerUpdate(&setup, request)
        let children = try status(setup).children
        #expect(children.map(\.inboundSPI) != [old.inboundSPI])
        #expect(pathUpdates(moved).map(\.inboundSPI) == children.map(\.inboundSPI))
        #expect(moves(moved).count == 1)
    }

    @Test("RFC 4555 §3.5: a move while our Delete is outstanding: the Delete leaves from the new address, the SA closes, no update")
    func moveDuringOurDelete() throws {
        var setup = try established()
        let (retry, deadline) = try moveWhileOutstanding(&setup, .delete(localSPI: setup.spi))
        let outputs = try answer(&setup, retry, now: deadline)
        #expect(closeReasons(outputs) == [.deletedLocally])
        #expect(outputs.transmits.isEmpty)
        #expect(pathUpdates(outputs).isEmpty)
        #expect(setup.engine.ikeSACount == 0)
    }

    @Test("RFC 4555 §3.5, RFC 7296 §1.4.1: the peer's Delete arriving while our update is outstanding closes the SA; nothing moves")
    func peerDeleteDuringUpdate() throws {
        var setup = try established()
        let request = try move(&setup, to: Self.newLeft)
        let delete = try setup.peer.request(
            .informational, payloads: [.delete(DeletePayload(protocolID: .ike))], messageID: 0)
        let outputs = setup.engine.deliver(delete, from: request.destination, to: request.source, now: .zero)
        #expect(outputs.transmits.map(\.destination) == [request.destination])
        #expect(closeReasons(outputs) == [.deletedByPeer])
        #expect(pathUpdates(outputs).isEmpty)
        // The update's answer comes too late.
        let late = try answerUpdate(&setup, request)
        #expect(pathUpdates(late).isEmpty)
        #expect(moves(late).isEmpty)
    }

    // MARK: Additional addresses

    @Test("RFC 4555 §3.4: IKE_AUTH lists our other addresses as ADDITIONAL_IP4/IP6_ADDRESS, or NO_ADDITIONAL_ADDRESSES")
    func additionalAddressesInAuth() throws {
        let v6: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1]
        for (addresses, mobike) in [([EngineFixtures.leftAddress, Self.otherLeft, v6], true), ([EngineFixtures.leftAddress], true), ([EngineFixtures.leftAddress, Self.otherLeft], false)] {
            var engine = InitiatorFixtures.engine { $0.peers[0].isMOBIKEEnabled = mobike }
            var peer = InitiatorFixtures.responder()
            try engine.handleCommand(.setLocalAddresses(addresses), now: .zero)
            let auth = try InitiatorFixtures.startAuth(&engine, &peer)
            let others = mobike ? addresses.filter { $0 != EngineFixtures.leftAddress } : []
            #expect(notify(.additionalIP4Address, in: auth.payloads) == others.filter { $0.count == 4 })
            #expect(notify(.additionalIP6Address, in: auth.payloads) == others.filter { $0.count == 16 })
            #expect(auth.payloads.hasNotification(.noAdditionalAddresses) == (mobike && others.isEmpty))
        }
    }

    @Test("RFC 4555 §3.6: a changed address set is announced in an INFORMATIONAL, once")
    func additionalAddressesOnChange() throws {
        var setup = try established()
        try setup.engine.handleCommand(.setLocalAddresses([EngineFixtures.leftAddress, Self.otherLeft]), now: .zero)
        let request = try #require(setup.engine.drain().transmits.first)
        let opened = try setup.peer.open(request.datagram)
        #expect(opened.header.exchangeType == .informational)
        #expect(notify(.additionalIP4Address, in: opened.payloads) == [Self.otherLeft])
        #expect(!opened.payloads.hasNotification(.updateSAAddresses))
        let outputs = try answer(&setup, request)
        #expect(pathUpdates(outputs).isEmpty)
        try setup.engine.handleCommand(.setLocalAddresses([Self.otherLeft, EngineFixtures.leftAddress]), now: .zero)
        #expect(setup.engine.drain().transmits.isEmpty)
        try setup.engine.handleCommand(.setLocalAddresses([EngineFixtures.leftAddress]), now: .zero)
        let removal = try #require(setup.engine.drain().transmits.first)
        #expect(try setup.peer.open(removal.datagram).payloads.hasNotification(.noAdditionalAddresses))
    }

    // MARK: A dead path

    /// The engine with a second address of its own and of the peer; its announcement of
    /// the second address goes unanswered until it is sent on every pair.
    func deadPath() throws -> (Setup, first: IKETransmit, outputs: EngineOutputs, at: IKEInstant) {
        var setup = try established(peerAddresses: [Self.otherRight])
        try setup.engine.handleCommand(.setLocalAddresses([EngineFixtures.leftAddress, Self.otherLeft]), now: .zero)
        let first = try #require(setup.engine.drain().transmits.first)
        var now = IKEInstant.zero
        var outputs = EngineOutputs()
        for _ in 0..<IKEEngine<SeededRandomSource>.pathProbingAttempt {
            now = try #require(setup.engine.nextDeadline())
            outputs = setup.engine.advance(to: now)
        }
        return (setup, first, outputs, now)
    }

    @Test("RFC 4555 §3.10: after two unanswered tries the request goes out on every pair of our and the peer's addresses")
    func probesEveryPath() throws {
        let (setup, first, outputs, _) = try deadPath()
        let current = (first.source, first.destination)
        let pairs = outputs.transmits.map { "\($0.source) → \($0.destination)" }
        let right = IKEEndpointAddress(address: Self.otherRight, port: 4500)
        let other = IKEEndpointAddress(address: Self.otherLeft, port: 4500)
        #expect(pairs == [
            "\(current.0) → \(current.1)", "\(other) → \(current.1)", "\(current.0) → \(right)", "\(other) → \(right)",
        ])
        #expect(Set(outputs.transmits.map(\.datagram)) == [first.datagram])
        #expect(try status(setup).addressUpdates == 0)
    }

    @Test("RFC 4555 §3.10: the pair whose answer comes back wins: the IKE SA moves there and UPDATE_SA_ADDRESSES moves the Child SAs")
    func failoverToAnsweringPath() throws {
        var (setup, _, outputs, now) = try deadPath()
        let winner = try #require(outputs.transmits.last)
        let answered = try answer(&setup, winner, now: now)
        let update = try #require(answered.transmits.first)
        #expect(update.source == winner.source)
        #expect(update.destination == winner.destination)
        #expect(try setup.peer.open(update.datagram).payloads.hasNotification(.updateSAAddresses))
        let moved = try answerUpdate(&setup, update)
        #expect(pathUpdates(moved).map { [$0.localAddress, $0.remoteAddress] } == [[winner.source, winner.destination]])
        #expect(moves(moved).count == 1)
        #expect(try status(setup).remote == winner.destination)
    }

    @Test("RFC 4555 §3.10, RFC 7296 §2.1: trying other paths keeps the number of retransmissions and the close when none answers")
    func failoverIsBounded() throws {
        var (setup, _, _, _) = try deadPath()
        var retransmits = IKEEngine<SeededRandomSource>.pathProbingAttempt
        var closes: [IKECloseReason.Code] = []
        for _ in 0..<20 where closes.isEmpty {
            guard let deadline = setup.engine.nextDeadline() else { break }
            let outputs = setup.engine.advance(to: deadline)
            retransmits += outputs.events.filter { if case .retransmitted = $0 { true } else { false } }.count
            closes += closeReasons(outputs)
        }
        #expect(retransmits == setup.engine.configuration.retransmission.tries)
        #expect(closes == [.peerUnreachable])
    }

    // MARK: NAT mappings

    @Test("RFC 4555 §3.8: behind a NAT the liveness check carries UPDATE_SA_ADDRESSES with NAT detection; an unchanged path moves nothing")
    func livenessBehindNAT() throws {
        var setup = try established()
        _ = try answerUpdate(&setup, try move(&setup, to: Self.newLeft), seenAt: Self.natPublic)
        try setup.engine.handleCommand(.checkLiveness(localSPI: setup.spi), now: .zero)
        let check = try #require(setup.engine.drain().transmits.first)
        let opened = try setup.peer.open(check.datagram)
        #expect(opened.payloads.hasNotification(.updateSAAddresses))
        #expect(opened.payloads.hasNotification(.natDetectionSourceIP))
        #expect(opened.payloads.hasNotification(.cookie2))
        let outputs = try answerUpdate(&setup, check, seenAt: Self.natPublic)
        #expect(pathUpdates(outputs).isEmpty)
        #expect(moves(outputs).isEmpty)
        #expect(try status(setup).addressUpdates == 1)
    }

    @Test("RFC 7296 §2.4: without a NAT the liveness check stays an empty INFORMATIONAL")
    func livenessWithoutNAT() throws {
        var setup = try established()
        try setup.engine.handleCommand(.checkLiveness(localSPI: setup.spi), now: .zero)
        let check = try #require(setup.engine.drain().transmits.first)
        #expect(try setup.peer.open(check.datagram).payloads.isEmpty)
    }
}

extension MOBIKEInitiatorTests {
    static let leftV6: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1]
    static let rightV6: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [2]

    @Test("RFC 4555 §3.4, §3.5: a move to another address family goes to the peer's additional address of that family")
    func moveToOtherFamily() throws {
        var setup = try established(peerAddresses: [Self.rightV6])
        let request = try move(&setup, to: Self.leftV6)
        #expect(request.source == IKEEndpointAddress(address: Self.leftV6, port: 4500))
        #expect(request.destination == IKEEndpointAddress(address: Self.rightV6, port: 4500))
        let outputs = try answerUpdate(&setup, request)
        #expect(pathUpdates(outputs).map(\.remoteAddress) == [request.destination])
    }

    @Test("RFC 4555 §3.4: without a peer address of the new family nothing moves")
    func noAddressOfFamily() throws {
        var setup = try established()
        try setup.engine.handleCommand(.updateLocalAddress(localSPI: setup.spi, address: Self.leftV6), now: .zero)
        let outputs = setup.engine.drain()
        #expect(outputs.transmits.isEmpty)
        #expect(skips(outputs) == [.noPeerAddress])
    }
}
