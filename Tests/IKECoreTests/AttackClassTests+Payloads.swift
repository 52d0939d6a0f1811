import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// Payloads and datagrams the decoder takes apart before the state machine sees them:
/// IKEv1 payload numbers, traffic selectors, fragments, short datagrams (RFC 7296 §2.5,
/// §3.13; RFC 7383).
extension AttackClassTests {
    /// An IKEv1 payload (RFC 2408 §3: types 1–13) as an IKEv2 peer would see it.
    static func ikev1Payload(_ type: UInt8, critical: Bool) -> IKEPayload {
        .unknown(UnknownPayload(type: PayloadType(rawValue: type), isCritical: critical, body: [0, 0, 0, 1, 0, 0, 0, 1]))
    }

    @Test("CVE-2015-3991 class: an IKEv1 payload (types 1–13) without the critical bit is ignored in IKE_SA_INIT and IKE_AUTH",
          arguments: UInt8(1)...13)
    func ikev1PayloadIgnored(type: UInt8) throws {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 151)
        let saInit = Fixtures.send(
            try peer.saInitRequest(extraPayloads: [Self.ikev1Payload(type, critical: false)]), from: peer, to: &engine)
        let reply = try IKEMessage(decoding: try #require(saInit.transmits.first).datagram)
        #expect(reply.payloads.securityAssociation != nil)
        try peer.handleSAInitResponse(try #require(saInit.transmits.first).datagram)
        let payloads = try peer.authPayloads(identity: EngineFixtures.leftID, psk: Fixtures.psk, child: Fixtures.initiatorChild)
        let auth = Fixtures.send(
            try peer.request(.ikeAuth, payloads: [Self.ikev1Payload(type, critical: false)] + payloads), from: peer, to: &engine)
        #expect(Self.isEstablished(auth) && Fixtures.installations(auth).count == 1)
    }

    @Test(
        "CVE-2015-3991 class: an IKEv1 payload (types 1–13) with the critical bit gets UNSUPPORTED_CRITICAL_PAYLOAD naming its type: in IKE_SA_INIT with no state, in IKE_AUTH with the half-open SA unchanged",
        arguments: UInt8(1)...13)
    func ikev1PayloadRefused(type: UInt8) throws {
        let refusal = NotifyPayload(type: .unsupportedCriticalPayload, data: [type])
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 157)
        let saInit = Fixtures.send(
            try peer.saInitRequest(extraPayloads: [Self.ikev1Payload(type, critical: true)]), from: peer, to: &engine)
        #expect(Self.notifies(saInit) == [refusal])
        #expect(Fixtures.refusals(saInit) == [.unsupportedCriticalPayload])
        Self.expectNoState(engine)
        try Fixtures.saInit(&peer, &engine)
        let payloads = try peer.authPayloads(identity: EngineFixtures.leftID, psk: Fixtures.psk, child: Fixtures.initiatorChild)
        let auth = Fixtures.send(
            try peer.request(.ikeAuth, payloads: [Self.ikev1Payload(type, critical: true)] + payloads), from: peer, to: &engine)
        #expect(try Self.answer(auth, peer) == [.notify(refusal)])
        #expect(Fixtures.refusals(auth) == [.unsupportedCriticalPayload])
        #expect(auth.effects.isEmpty && !Self.isEstablished(auth))
        #expect(engine.ikeSACount == 1 && engine.halfOpenSACount == 1)
    }

    @Test("CVE-2015-3991 class: a critical IKEv1 Delete (type 12) beside an IKEv2 Delete gets UNSUPPORTED_CRITICAL_PAYLOAD, nothing deleted, the message ID used")
    func ikev1DeleteRefused() throws {
        var (peer, engine) = try Fixtures.established(seed: 158)
        let delete = IKEPayload.delete(DeletePayload(espSPIs: [0x0102_0304]))
        let refused = Fixtures.send(
            try peer.request(.informational, payloads: [Self.ikev1Payload(12, critical: true), delete]), from: peer, to: &engine)
        #expect(try Self.answer(refused, peer) == [.notify(NotifyPayload(type: .unsupportedCriticalPayload, data: [12]))])
        #expect(refused.effects.isEmpty)
        #expect(engine.statuses.first?.children.count == 1)
        // Without the critical bit it is ignored and the Delete obeyed, under the next message ID.
        let obeyed = Fixtures.send(
            try peer.request(.informational, payloads: [Self.ikev1Payload(12, critical: false), delete]), from: peer, to: &engine)
        #expect(try Self.answer(obeyed, peer).deletes.count == 1)
        #expect(obeyed.effects.count == 1)
        #expect(engine.statuses.first?.children.isEmpty == true)
    }

    @Test("CVE-2015-3991 class, the other way: an IKEv1 (ISAKMP 1.0) Main Mode message is dropped unanswered, no state")
    func ikev1Message() throws {
        var engine = Fixtures.engine()
        let peer = Fixtures.initiator(seed: 152)
        // RFC 2408 §3.1: cookies, Next Payload 1 (SA), version 1.0, exchange 2 (Identity
        // Protection), flags, Message ID 0, Length 40; an SA payload (DOI 1, SIT_IDENTITY_ONLY).
        let isakmp: [UInt8] = [UInt8](repeating: 0x11, count: 8) + [UInt8](repeating: 0, count: 8)
            + [1, 0x10, 2, 0, 0, 0, 0, 0, 0, 0, 0, 40] + [0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 1]
        let outputs = Fixtures.send(ByteBuffer(bytes: isakmp), from: peer, to: &engine)
        #expect(outputs.transmits.isEmpty)
        #expect(outputs.dropCodes == [.malformedMessage])
        Self.expectNoState(engine)
    }

    // MARK: Traffic selectors

    /// Selectors that select nothing a child allows, or nothing at all.
    static let unusableSelectors: [(String, [TrafficSelector])] = [
        ("no selector", []),
        ("start above end", [TrafficSelector(type: .ipv4AddressRange, startAddress: [198, 51, 100, 200], endAddress: [198, 51, 100, 10])]),
        ("ports reversed", [TrafficSelector(
            type: .ipv4AddressRange, startPort: 500, endPort: 100, startAddress: [198, 51, 100, 0], endAddress: [198, 51, 100, 255])]),
        ("TS_FC_ADDR_RANGE (type 9)", [TrafficSelector(type: TrafficSelectorType(rawValue: 9), data: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])]),
        ("an IPv6 range for an IPv4 child", [TrafficSelector(
            type: .ipv6AddressRange, startAddress: [UInt8](repeating: 0, count: 16), endAddress: [UInt8](repeating: 0xFF, count: 16))]),
    ]

    @Test("CVE-2023-23009 class: TSi that selects nothing usable gets TS_UNACCEPTABLE in IKE_AUTH and in CREATE_CHILD_SA, nothing installed",
          arguments: unusableSelectors.indices)
    func unusableTrafficSelectors(index: Int) throws {
        let (name, selectors) = Self.unusableSelectors[index]
        var (peer, engine) = try Self.halfOpen(seed: 153)
        var payloads = try peer.authPayloads(identity: EngineFixtures.leftID, psk: Fixtures.psk, child: Fixtures.initiatorChild)
        payloads = payloads.map { if case .trafficSelectorInitiator = $0 { .trafficSelectorInitiator(TrafficSelectorPayload(selectors: selectors)) } else { $0 } }
        let auth = Fixtures.send(try peer.request(.ikeAuth, payloads: payloads), from: peer, to: &engine)
        #expect(try Self.answer(auth, peer).notifications.map(\.type) == [.tsUnacceptable], "\(name)")
        #expect(Fixtures.refusals(auth) == [.trafficSelectorsUnacceptable])
        #expect(Self.isEstablished(auth) && Fixtures.installations(auth).isEmpty)
        let child = try peer.request(.createChildSA, payloads: [
            .securityAssociation(SecurityAssociationPayload(proposals: [
                EngineFixtures.espGCM.proposal(number: 1, protocolID: .esp, spi: [0, 0, 0x70, 1])
            ])),
            .nonce(NoncePayload(data: peer.random.bytes(32))),
            .trafficSelectorInitiator(TrafficSelectorPayload(selectors: selectors)),
            .trafficSelectorResponder(TrafficSelectorPayload(selectors: Fixtures.initiatorChild.remoteTrafficSelectors.map(\.selector))),
        ])
        let outputs = Fixtures.send(child, from: peer, to: &engine)
        #expect(try Self.answer(outputs, peer) == [.notify(NotifyPayload(type: .tsUnacceptable))], "\(name)")
        #expect(outputs.effects.isEmpty)
        #expect(engine.statuses.first?.children.isEmpty == true)
    }

    // MARK: Fragments

    @Test("CVE-2026-12413 class: an SKF fragment behind unknown outer payloads is dropped (integrity, or malformed when critical), nothing held")
    func fragmentWithUnknownOuterPayloads() throws {
        var (peer, engine) = try FragmentationFixtures.responder(seed: 154)
        let fragments = try FragmentationFixtures.fragments(&peer, try FragmentationFixtures.authPayloads(peer), count: 3)
        let first = try IKEMessage(decoding: fragments[0])
        let outer = (UInt8(1)...13).map { Self.ikev1Payload($0, critical: false) }
            + (0..<200).map { _ in IKEPayload.unknown(UnknownPayload(type: 200, body: [])) }
        for (extra, code) in [(outer, IKEDropReason.Code.integrityCheckFailed), ([Self.ikev1Payload(12, critical: true)], .malformedMessage)] {
            let forged = try IKEMessage(header: first.header, payloads: extra + first.payloads).encoded()
            let outputs = Fixtures.send(forged, from: peer, to: &engine)
            #expect(outputs.transmits.isEmpty && outputs.dropCodes == [code])
            #expect(engine.reassemblyByteCount == 0)
        }
        var established = false
        for fragment in fragments {
            established = Self.isEstablished(Fixtures.send(fragment, from: peer, to: &engine)) || established
        }
        #expect(established)
    }

    // MARK: Short datagrams, retransmissions

    @Test("CVE-2013-4564 class: datagrams shorter than the IKE header, or without its version, are dropped unanswered, no state")
    func shortDatagrams() throws {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 155)
        let request = Array(try peer.saInitRequest().readableBytesView)
        var datagrams = (0..<IKEHeader.length).map { Array(request.prefix($0)) }
        var versionless = request
        versionless[17] = 0
        datagrams.append(versionless)
        for datagram in datagrams {
            let outputs = Fixtures.send(ByteBuffer(bytes: datagram), from: peer, to: &engine)
            #expect(outputs.transmits.isEmpty)
            #expect(outputs.dropCodes == [.malformedMessage], "\(datagram.count) octets")
        }
        Self.expectNoState(engine)
    }

    @Test("CVE-2016-5361 class: the responder answers each copy of a request once and never retransmits on its own")
    func noAmplification() throws {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 156)
        let request = try peer.saInitRequest()
        var answers: [ByteBuffer] = []
        for second in 0..<5 {
            answers += Fixtures.send(request, from: peer, to: &engine, now: .zero + .seconds(second)).transmits.map(\.datagram)
        }
        #expect(answers.count == 5 && Set(answers).count == 1)
        #expect(answers[0].readableBytes < 2 * request.readableBytes)
        #expect(engine.ikeSACount == 1)
        let timeout = engine.configuration.halfOpenTimeout
        let quiet = engine.advance(to: .zero + (timeout - .seconds(1)))
        #expect(quiet.transmits.isEmpty)
        let expired = engine.advance(to: .zero + (timeout + .seconds(1)))
        #expect(expired.transmits.isEmpty)
        #expect(Self.closeReasons(expired).map(\.code) == [.halfOpenTimeout])
        Self.expectNoState(engine)
    }
}
