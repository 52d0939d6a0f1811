import IKEConfig
@testable import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// The original responder with MOBIKE (RFC 4555): it never moves the IKE SA itself
/// (§3.5: the initiator decides), but tells the initiator which other addresses reach it
/// (§3.4 in IKE_AUTH, §3.6 when they change).
@Suite("MOBIKE, the original responder's addresses (RFC 4555 §3.4–§3.6)")
struct MOBIKEResponderAddressTests {
    typealias Fixtures = ResponderFixtures
    static let otherRight: [UInt8] = [192, 0, 2, 22]

    /// IKE_SA_INIT and IKE_AUTH from a scripted initiator that sends MOBIKE_SUPPORTED when
    /// `mobike`; returns the opened IKE_AUTH answer too.
    func established(mobike: Bool = true, addresses: [[UInt8]] = [])
        throws -> (peer: ScriptedInitiator, engine: IKEEngine<SeededRandomSource>, spi: UInt64, answer: [IKEPayload])
    {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 93)
        try engine.handleCommand(.setLocalAddresses(addresses), now: .zero)
        try Fixtures.saInit(&peer, &engine)
        var payloads = try peer.authPayloads(identity: EngineFixtures.leftID, psk: Fixtures.psk, child: Fixtures.initiatorChild)
        if mobike { payloads.append(.notify(NotifyPayload(type: .mobikeSupported))) }
        let outputs = Fixtures.send(try peer.request(.ikeAuth, payloads: payloads), from: peer, to: &engine)
        let answer = try peer.open(try #require(outputs.transmits.first).datagram).payloads
        let spi = try #require(engine.establishedSPIs.first)
        // Until the negotiation itself is in place: what MOBIKE_SUPPORTED sets.
        if mobike { engine.sas[spi]?.isMOBIKENegotiated = true }
        return (peer, engine, spi, answer)
    }

    @Test("RFC 4555 §3.4: the IKE_AUTH answer to a MOBIKE initiator lists the responder's other addresses")
    func additionalAddressesInAuthAnswer() throws {
        let addresses = [EngineFixtures.rightAddress, Self.otherRight]
        let answer = try established(addresses: addresses).answer
        #expect(answer.notifications.filter { $0.type == .additionalIP4Address }.map(\.data) == [Self.otherRight])
        let plain = try established(mobike: false, addresses: addresses).answer
        #expect(!plain.contains { if case .notify(let n) = $0 { n.type == .additionalIP4Address } else { false } })
    }

    @Test("RFC 4555 §3.5, §3.6: the responder moves nothing on an address change, and announces its changed addresses")
    func responderAnnouncesAndStays() throws {
        var (peer, engine, spi, answer) = try established()
        #expect(answer.hasNotification(.noAdditionalAddresses))
        let before = try #require(engine.statuses.first)
        try engine.handleCommand(.setLocalAddresses([EngineFixtures.rightAddress, Self.otherRight]), now: .zero)
        let announcement = try #require(engine.drain().transmits.first)
        #expect(announcement.source == before.local)
        #expect(announcement.destination == before.remote)
        let opened = try peer.open(announcement.datagram)
        #expect(opened.header.exchangeType == .informational)
        #expect(!opened.header.isResponse)
        #expect(opened.payloads.notifications.filter { $0.type == .additionalIP4Address }.map(\.data) == [Self.otherRight])
        #expect(!opened.payloads.hasNotification(.updateSAAddresses))
        try engine.handleCommand(.updateLocalAddress(localSPI: spi, address: Self.otherRight), now: .zero)
        let outputs = engine.drain()
        #expect(outputs.transmits.isEmpty)
        #expect(outputs.effects.isEmpty)
        #expect(outputs.events.contains { if case .addressUpdateSkipped(_, _, .notOriginalInitiator) = $0 { true } else { false } })
        #expect(engine.statuses.first?.local == before.local)
    }
}
