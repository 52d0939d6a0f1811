import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// The initiator installs only what it proposed: the responder may narrow the traffic
/// selectors, never widen them (RFC 7296 §2.9), in IKE_AUTH and in CREATE_CHILD_SA.
@Suite("The initiator refuses traffic selectors wider than it proposed (RFC 7296 §2.9)")
struct SelectorNarrowingResponseTests {
    typealias Fixtures = InitiatorFixtures

    static func v4(_ prefix: String) -> TrafficSelector {
        TrafficSelectorTemplate(ipv4Prefix: prefix)?.selector
            ?? TrafficSelector(type: .ipv4AddressRange, startAddress: [], endAddress: [])
    }

    static func v6(_ start: [UInt8], _ end: [UInt8]) -> TrafficSelector {
        TrafficSelector(type: .ipv6AddressRange, startAddress: start, endAddress: end)
    }

    static let v6Zero = [UInt8](repeating: 0, count: 16)
    static let v6Ones = [UInt8](repeating: 0xff, count: 16)
    /// ::/0
    static let v6All = v6(v6Zero, v6Ones)
    /// 8000:: to ffff:…:ffff, a range that ends at the top and does not start at ::.
    static let v6UpperHalf = v6([0x80] + [UInt8](repeating: 0, count: 15), v6Ones)
    /// 8000::1 to ffff:…:ffff.
    static let v6UpperHalfButOne = v6([0x80] + [UInt8](repeating: 0, count: 14) + [1], v6Ones)

    func failures(_ outputs: EngineOutputs) -> [IKEChildSAFailure] {
        outputs.events.compactMap { if case .childSAFailed(_, _, let reason) = $0 { reason } else { nil } }
    }

    /// The Delete payloads of the engine's next INFORMATIONAL request, opened by `peer`.
    func deletes(_ outputs: EngineOutputs, _ peer: ScriptedResponder) throws -> [DeletePayload] {
        try outputs.transmits.flatMap { try peer.open($0.datagram).payloads.deletes }
    }

    /// IKE_AUTH answered with `tsi`/`tsr` instead of what was proposed.
    func authAnswered(
        tsi: [TrafficSelector]? = nil, tsr: [TrafficSelector]? = nil,
        configure: (inout IKEEngineConfiguration) -> Void = { _ in }
    ) throws -> (IKEEngine<SeededRandomSource>, ScriptedResponder, EngineOutputs) {
        var engine = Fixtures.engine(configure: configure)
        var peer = Fixtures.responder()
        let auth = try Fixtures.startAuth(&engine, &peer)
        let answer = try peer.authPayloads(identity: EngineFixtures.rightID, psk: Fixtures.psk)
            + Fixtures.childAnswer(to: auth.payloads, tsi: tsi, tsr: tsr)
        let outputs = Fixtures.send(try peer.response(to: auth.header, payloads: answer), to: &engine)
        return (engine, peer, outputs)
    }

    @Test("IKE_AUTH answered with TSr 0.0.0.0/0 for a proposed 203.0.113.0/24: no Child SA, the IKE SA stands, a Delete for it")
    func authWidened() throws {
        let (engine, peer, outputs) = try authAnswered(tsr: [Self.v4("0.0.0.0/0")])
        #expect(Fixtures.installations(outputs).isEmpty)
        #expect(engine.establishedSPIs.count == 1)
        #expect(failures(outputs).map(\.code) == [.trafficSelectorsWidened])
        let delete = try #require(try deletes(outputs, peer).first)
        #expect(delete.protocolID == .esp && delete.spis.count == 1)
    }

    @Test("IKE_AUTH answered with a narrower TSi and the proposed TSr: installed with the narrowed selectors")
    func authNarrowed() throws {
        let (_, _, outputs) = try authAnswered(tsi: [Self.v4("198.51.100.128/25")])
        let installed = try #require(Fixtures.installations(outputs).first)
        #expect(installed.localTrafficSelectors == [Self.v4("198.51.100.128/25")])
        #expect(installed.remoteTrafficSelectors == [Self.v4("203.0.113.0/24")])
        #expect(failures(outputs).isEmpty)
    }

    @Test("IKE_AUTH answered with one selector inside and one outside what was proposed: refused")
    func authPartlyWidened() throws {
        let (_, _, outputs) = try authAnswered(tsi: [Self.v4("198.51.100.0/25"), Self.v4("10.0.0.0/8")])
        #expect(Fixtures.installations(outputs).isEmpty)
        #expect(failures(outputs).map(\.code) == [.trafficSelectorsWidened])
    }

    /// IPv6 edges: ::/0, and a range that ends at ffff:…:ffff without starting at ::.
    @Test("IPv6 prefix edges in IKE_AUTH", arguments: [
        (proposed: v6All, answered: v6All, installs: true),
        (proposed: v6All, answered: v6UpperHalf, installs: true),
        (proposed: v6UpperHalf, answered: v6UpperHalf, installs: true),
        (proposed: v6UpperHalf, answered: v6UpperHalfButOne, installs: true),
        (proposed: v6UpperHalfButOne, answered: v6UpperHalf, installs: false),
        (proposed: v6UpperHalf, answered: v6All, installs: false),
    ])
    func ipv6Edges(proposed: TrafficSelector, answered: TrafficSelector, installs: Bool) throws {
        let (_, _, outputs) = try authAnswered(tsr: [answered]) {
            $0.peers[0].children[0].remoteTrafficSelectors = [TrafficSelectorTemplate(proposed)]
        }
        #expect(Fixtures.installations(outputs).count == (installs ? 1 : 0))
        #expect(failures(outputs).map(\.code) == (installs ? [] : [.trafficSelectorsWidened]))
    }

    /// An established SA, then a CREATE_CHILD_SA request of the engine (new or rekey).
    func createChildSA(rekey: Bool) throws -> (
        IKEEngine<SeededRandomSource>, ScriptedResponder, (header: IKEHeader, payloads: [IKEPayload]), ChildSAInstallation
    ) {
        var engine = Fixtures.engine()
        var peer = Fixtures.responder()
        // The IKE_AUTH Child SA is narrowed on our side to 198.51.100.0/25.
        let auth = try Fixtures.startAuth(&engine, &peer)
        let answer = try peer.authPayloads(identity: EngineFixtures.rightID, psk: Fixtures.psk)
            + Fixtures.childAnswer(to: auth.payloads, tsi: [Self.v4("198.51.100.0/25")])
        let first = try #require(Fixtures.installations(
            Fixtures.send(try peer.response(to: auth.header, payloads: answer), to: &engine)).first)
        let spi = try #require(engine.establishedSPIs.first)
        try engine.handleCommand(
            rekey ? .rekeyChildSA(localSPI: spi, inboundSPI: first.inboundSPI) : .createChildSA(localSPI: spi, child: "net"),
            now: .zero)
        let request = try peer.open(try #require(engine.drain().transmits.first).datagram)
        return (engine, peer, request, first)
    }

    func answer(
        _ request: (header: IKEHeader, payloads: [IKEPayload]), peer: inout ScriptedResponder, tsi: [TrafficSelector]
    ) throws -> ByteBuffer {
        try peer.response(
            to: request.header,
            payloads: [.nonce(NoncePayload(data: [UInt8](repeating: 5, count: 32)))]
                + Fixtures.childAnswer(to: request.payloads, spi: 0xc0ff_ee02, tsi: tsi))
    }

    @Test("CREATE_CHILD_SA answered with a wider TSi: nothing installed, a Delete for the SPI, the IKE SA stands")
    func createChildWidened() throws {
        var (engine, peer, request, _) = try createChildSA(rekey: false)
        let outputs = Fixtures.send(try answer(request, peer: &peer, tsi: [Self.v4("0.0.0.0/0")]), to: &engine)
        #expect(Fixtures.installations(outputs).isEmpty)
        #expect(failures(outputs).map(\.code) == [.trafficSelectorsWidened])
        let offered = try #require(request.payloads.securityAssociation?.proposals.first?.spi)
        #expect(try deletes(outputs, peer) == [DeletePayload(protocolID: .esp, spis: [offered])])
        #expect(engine.establishedSPIs.count == 1)
        #expect(engine.statuses.first?.children.count == 1)
    }

    @Test("A Child SA rekey answered with the configured selectors, wider than the old SA's: refused, the old SA kept")
    func rekeyWidenedToConfiguration() throws {
        var (engine, peer, request, first) = try createChildSA(rekey: true)
        #expect(request.payloads.trafficSelectorInitiator?.selectors == [Self.v4("198.51.100.0/25")])
        let outputs = Fixtures.send(try answer(request, peer: &peer, tsi: [Self.v4("198.51.100.0/24")]), to: &engine)
        #expect(Fixtures.installations(outputs).isEmpty)
        #expect(failures(outputs).map(\.code) == [.trafficSelectorsWidened])
        #expect(!outputs.effects.contains { if case .removeChildSA = $0 { true } else { false } })
        #expect(engine.statuses.first?.children.map(\.inboundSPI) == [first.inboundSPI])
    }

    @Test("A Child SA rekey answered with the old SA's selectors is installed and replaces it")
    func rekeyKeepsSelectors() throws {
        var (engine, peer, request, first) = try createChildSA(rekey: true)
        let outputs = Fixtures.send(try answer(request, peer: &peer, tsi: [Self.v4("198.51.100.0/25")]), to: &engine)
        #expect(Fixtures.installations(outputs).map(\.localTrafficSelectors) == [[Self.v4("198.51.100.0/25")]])
        #expect(failures(outputs).isEmpty)
        #expect(try deletes(outputs, peer) == [DeletePayload(protocolID: .esp, spis: [first.inboundSPI.bytes])])
    }
}

extension UInt32 {
    /// The four bytes, network order.
    var bytes: [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: self >> (24 - 8 * $0)) } }
}
