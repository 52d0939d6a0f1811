import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore

/// A responder engine ("right", 192.0.2.2) driven directly by a ``ScriptedInitiator``
/// ("left" and other addresses), for tests that craft what the initiator sends.
enum ResponderFixtures {
    static let psk = Array("lab-only-psk-0123456789abcdef".utf8)
    static let initiatorChild = EngineFixtures.child(local: "198.51.100.0/24", remote: "203.0.113.0/24")

    static func configuration(proposals: [ProposalTemplate] = [EngineFixtures.gcmX25519]) -> IKEEngineConfiguration {
        IKEEngineConfiguration(
            peers: [EngineFixtures.peer(
                local: EngineFixtures.rightID, remote: EngineFixtures.leftID, proposals: proposals,
                child: EngineFixtures.child(local: "203.0.113.0/24", remote: "198.51.100.0/24"))],
            preSharedKeys: [PreSharedKey(identities: [EngineFixtures.leftID, EngineFixtures.rightID], secret: psk)])
    }

    static func engine(
        seed: UInt64 = 2, proposals: [ProposalTemplate] = [EngineFixtures.gcmX25519],
        configure: (inout IKEEngineConfiguration) -> Void = { _ in }
    ) -> IKEEngine<SeededRandomSource> {
        var configuration = configuration(proposals: proposals)
        configure(&configuration)
        return IKEEngine(configuration: configuration, random: SeededRandomSource(seed: seed))
    }

    /// An initiator at `192.0.2.<host>:port`.
    static func initiator(seed: UInt64, host: UInt8 = 1, port: UInt16 = 500) -> ScriptedInitiator {
        ScriptedInitiator(
            seed: seed, address: IKEEndpointAddress(address: [192, 0, 2, host], port: port), responder: EngineFixtures.right)
    }

    /// Sends `datagram` from `peer` to the engine.
    static func send(
        _ datagram: ByteBuffer, from peer: ScriptedInitiator, to engine: inout IKEEngine<SeededRandomSource>,
        now: IKEInstant = .zero
    ) -> EngineOutputs {
        engine.deliver(datagram, from: peer.address, to: EngineFixtures.right, now: now)
    }

    /// IKE_SA_INIT from `peer`; on a full answer the peer holds the keys afterwards.
    @discardableResult
    static func saInit(
        _ peer: inout ScriptedInitiator, _ engine: inout IKEEngine<SeededRandomSource>, cookie: [UInt8]? = nil,
        now: IKEInstant = .zero
    ) throws -> EngineOutputs {
        let outputs = send(try peer.saInitRequest(cookie: cookie), from: peer, to: &engine, now: now)
        if let reply = outputs.transmits.first { try peer.handleSAInitResponse(reply.datagram) }
        return outputs
    }

    /// A well-formed PSK IKE_AUTH request of `peer` with its Child SA.
    static func authRequest(_ peer: inout ScriptedInitiator, authenticationData: [UInt8]? = nil) throws -> ByteBuffer {
        try peer.request(
            .ikeAuth,
            payloads: peer.authPayloads(
                identity: EngineFixtures.leftID, psk: psk, child: initiatorChild, authenticationData: authenticationData))
    }

    /// IKE_SA_INIT and IKE_AUTH: the engine ends with an established SA.
    static func establish(
        _ peer: inout ScriptedInitiator, _ engine: inout IKEEngine<SeededRandomSource>, now: IKEInstant = .zero
    ) throws -> (auth: ByteBuffer, outputs: EngineOutputs) {
        try saInit(&peer, &engine, now: now)
        let auth = try authRequest(&peer)
        return (auth, send(auth, from: peer, to: &engine, now: now))
    }

    /// A peer and an engine with an established IKE SA and its Child SA.
    static func established(
        seed: UInt64, configure: (inout IKEEngineConfiguration) -> Void = { _ in }
    ) throws -> (ScriptedInitiator, IKEEngine<SeededRandomSource>) {
        var engine = engine(configure: configure)
        var peer = initiator(seed: seed)
        let (_, outputs) = try establish(&peer, &engine)
        guard installations(outputs).count == 1 else { throw ScriptedInitiator.Failure.unexpectedResponse("no Child SA") }
        return (peer, engine)
    }

    static func installations(_ outputs: EngineOutputs) -> [ChildSAInstallation] {
        outputs.effects.compactMap { if case .installChildSA(let installation) = $0 { installation } else { nil } }
    }

    /// The codes of the `.negotiationRefused` events.
    static func refusals(_ outputs: EngineOutputs) -> [IKERefusal.Code] {
        outputs.events.compactMap { if case .negotiationRefused(_, let reason) = $0 { reason.code } else { nil } }
    }

    /// `HDR, SK {[N(REKEY_SA),] SA, Ni, [KEi,] TSi, TSr}` for a Child SA of
    /// ``initiatorChild`` with `spi` (RFC 7296 §1.3.1, §1.3.3).
    static func childRequest(
        _ peer: inout ScriptedInitiator, spi: UInt32, rekey: NotifyPayload? = nil, proposal: ProposalTemplate? = nil,
        keyExchange: KeyExchangePayload? = nil
    ) throws -> ByteBuffer {
        let child = initiatorChild
        let spiBytes = (0..<4).map { UInt8(truncatingIfNeeded: spi >> (24 - 8 * $0)) }
        return try peer.request(.createChildSA, payloads: (rekey.map { [.notify($0)] } ?? []) + [
            .securityAssociation(SecurityAssociationPayload(proposals: [
                (proposal ?? child.proposals[0]).proposal(number: 1, protocolID: .esp, spi: spiBytes)
            ])),
            .nonce(NoncePayload(data: peer.random.bytes(32))),
        ] + (keyExchange.map { [.keyExchange($0)] } ?? []) + [
            .trafficSelectorInitiator(TrafficSelectorPayload(selectors: child.localTrafficSelectors.map(\.selector))),
            .trafficSelectorResponder(TrafficSelectorPayload(selectors: child.remoteTrafficSelectors.map(\.selector))),
        ])
    }

    /// `HDR, SK {SA, Ni, KEi}` rekeying the IKE SA (RFC 7296 §1.3.2), with `keyExchangeData`
    /// in place of a fresh X25519 public value when given.
    static func ikeRekeyRequest(_ peer: inout ScriptedInitiator, keyExchangeData: [UInt8]? = nil) throws -> ByteBuffer {
        let share = try peer.provider.keyExchangeMethod(.curve25519).generate(using: &peer.random)
        return try peer.request(.createChildSA, payloads: [
            .securityAssociation(SecurityAssociationPayload(proposals: [
                EngineFixtures.gcmX25519.proposal(number: 1, protocolID: .ike, spi: peer.random.bytes(8))
            ])),
            .nonce(NoncePayload(data: peer.random.bytes(32))),
            .keyExchange(KeyExchangePayload(method: .curve25519, data: keyExchangeData ?? share.publicValue)),
        ])
    }
}
