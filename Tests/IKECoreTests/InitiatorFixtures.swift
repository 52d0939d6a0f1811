import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore

/// An initiator engine ("left", 192.0.2.1) answered by a ``ScriptedResponder`` ("right",
/// 192.0.2.2), for tests that craft what the responder answers.
enum InitiatorFixtures {
    static let psk = ResponderFixtures.psk

    /// The initiator's engine: connection `lab` to right, child `net` 198.51.100.0/24 ===
    /// 203.0.113.0/24 with `childProposals`.
    static func engine(
        seed: UInt64 = 1, proposals: [ProposalTemplate] = [EngineFixtures.gcmX25519],
        childProposals: [ProposalTemplate] = [EngineFixtures.espGCM], configure: (inout IKEEngineConfiguration) -> Void = { _ in }
    ) -> IKEEngine<SeededRandomSource> {
        var configuration = IKEEngineConfiguration(
            peers: [EngineFixtures.peer(
                local: EngineFixtures.leftID, remote: EngineFixtures.rightID, proposals: proposals,
                child: EngineFixtures.child(local: "198.51.100.0/24", remote: "203.0.113.0/24", proposals: childProposals))],
            preSharedKeys: [PreSharedKey(identities: [EngineFixtures.leftID, EngineFixtures.rightID], secret: psk)])
        configure(&configuration)
        return IKEEngine(configuration: configuration, random: SeededRandomSource(seed: seed))
    }

    static func responder(seed: UInt64 = 2) -> ScriptedResponder {
        ScriptedResponder(seed: seed, address: EngineFixtures.right)
    }

    /// Hands `datagram` from the scripted responder to the engine.
    static func send(
        _ datagram: ByteBuffer, to engine: inout IKEEngine<SeededRandomSource>, now: IKEInstant = .zero
    ) -> EngineOutputs {
        engine.deliver(datagram, from: EngineFixtures.right, to: EngineFixtures.left, now: now)
    }

    /// The engine initiates and `peer` answers IKE_SA_INIT; returns the engine's IKE_AUTH
    /// request, opened.
    static func startAuth(
        _ engine: inout IKEEngine<SeededRandomSource>, _ peer: inout ScriptedResponder
    ) throws -> (header: IKEHeader, payloads: [IKEPayload]) {
        try engine.handleCommand(.initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right), now: .zero)
        guard let request = engine.drain().transmits.first else { throw ScriptedResponder.Failure.noKeys }
        let outputs = send(try peer.handleSAInitRequest(request.datagram), to: &engine)
        guard let auth = outputs.transmits.first else { throw ScriptedResponder.Failure.noKeys }
        return try peer.open(auth.datagram)
    }

    /// The answer strongSwan gives to a Child SA request: the first proposal with the
    /// first transform of each type (and none of `dropping`), our SPI, and the request's
    /// selectors unless `tsi`/`tsr` replace them.
    static func childAnswer(
        to payloads: [IKEPayload], spi: UInt32 = 0xc0ff_ee01, dropping: TransformType? = nil,
        tsi: [TrafficSelector]? = nil, tsr: [TrafficSelector]? = nil
    ) -> [IKEPayload] {
        guard let offer = payloads.securityAssociation?.proposals.first else { return [] }
        var chosen = ScriptedResponder.firstOfEachType(offer)
        chosen.transforms.removeAll { $0.type == dropping }
        chosen.spi = (0..<4).map { UInt8(truncatingIfNeeded: spi >> (24 - 8 * $0)) }
        return [
            .securityAssociation(SecurityAssociationPayload(proposals: [chosen])),
            .trafficSelectorInitiator(TrafficSelectorPayload(selectors: tsi ?? payloads.trafficSelectorInitiator?.selectors ?? [])),
            .trafficSelectorResponder(TrafficSelectorPayload(selectors: tsr ?? payloads.trafficSelectorResponder?.selectors ?? [])),
        ]
    }

    /// IKE_SA_INIT and IKE_AUTH with `childAnswer`'s standard answer: the engine ends with
    /// an established IKE SA and one Child SA.
    static func establish(
        _ engine: inout IKEEngine<SeededRandomSource>, _ peer: inout ScriptedResponder
    ) throws -> EngineOutputs {
        let auth = try startAuth(&engine, &peer)
        let answer = try peer.authPayloads(identity: EngineFixtures.rightID, psk: psk) + childAnswer(to: auth.payloads)
        return send(try peer.response(to: auth.header, payloads: answer), to: &engine)
    }

    static func installations(_ outputs: EngineOutputs) -> [ChildSAInstallation] {
        ResponderFixtures.installations(outputs)
    }

    /// The key exchange methods named by the transforms of `proposals`.
    static func keyExchangeMethods(_ proposals: [Proposal]) -> [KeyExchangeMethodID] {
        proposals.flatMap { $0.transforms(ofType: .keyExchangeMethod).map { KeyExchangeMethodID(rawValue: $0.id) } }
    }
}
