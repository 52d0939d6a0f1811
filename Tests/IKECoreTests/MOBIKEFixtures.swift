import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// A responder engine ("right") and a scripted MOBIKE initiator that moved to the NAT-T
/// port for IKE_AUTH (RFC 4555 §3.3), for the responder's side of address updates.
struct MOBIKEFixtures {
    static let right4500 = IKEEndpointAddress(address: EngineFixtures.rightAddress, port: 4500)
    static let left4500 = IKEEndpointAddress(address: EngineFixtures.leftAddress, port: 4500)
    /// Where the initiator moves to.
    static let moved = IKEEndpointAddress(address: [192, 0, 2, 9], port: 4500)

    var peer: ScriptedInitiator
    var engine: IKEEngine<SeededRandomSource>
    /// What IKE_AUTH produced.
    var auth: EngineOutputs
    var spi: UInt64

    /// IKE_SA_INIT on port 500, IKE_AUTH on 4500 with MOBIKE_SUPPORTED when
    /// `initiatorOffers`; the responder's connection has `mobike = responderEnabled`.
    init(
        seed: UInt64, initiatorOffers: Bool = true, responderEnabled: Bool = true, windowSize: UInt32 = 1,
        authExtras: [IKEPayload] = []
    ) throws {
        engine = ResponderFixtures.engine {
            $0.peers[0].isMOBIKEEnabled = responderEnabled
            $0.windowSize = windowSize
        }
        peer = ResponderFixtures.initiator(seed: seed)
        try ResponderFixtures.saInit(&peer, &engine)
        peer.address = Self.left4500
        peer.responderAddress = Self.right4500
        var payloads = try peer.authPayloads(
            identity: EngineFixtures.leftID, psk: ResponderFixtures.psk, child: ResponderFixtures.initiatorChild)
        if initiatorOffers { payloads.append(.notify(NotifyPayload(type: .mobikeSupported))) }
        auth = engine.deliver(
            try peer.request(.ikeAuth, payloads: payloads + authExtras), from: Self.left4500, to: Self.right4500, now: .zero)
        spi = try #require(engine.establishedSPIs.first)
    }

    var status: IKESAStatus? { engine.statuses.first }

    /// Delivers `datagram` from `source` to the responder's NAT-T port.
    mutating func send(_ datagram: ByteBuffer, from source: IKEEndpointAddress, now: IKEInstant = .zero) -> EngineOutputs {
        engine.deliver(datagram, from: source, to: Self.right4500, now: now)
    }

    /// UPDATE_SA_ADDRESSES from `source`, with NAT detection claiming `claimed` (the
    /// source itself: no NAT).
    mutating func update(
        from source: IKEEndpointAddress, claimed: IKEEndpointAddress? = nil, cookie2: [UInt8]? = nil,
        extraPayloads: [IKEPayload] = [], messageID: UInt32? = nil
    ) throws -> EngineOutputs {
        send(
            try peer.updateSAAddresses(
                from: claimed ?? source, cookie2: cookie2, extraPayloads: extraPayloads, messageID: messageID),
            from: source)
    }

    /// The responder's response in `outputs`, decrypted.
    func response(_ outputs: EngineOutputs) throws -> [IKEPayload] {
        let datagram = try #require(outputs.transmits.first { (try? IKEMessage(decoding: $0.datagram))?.header.isResponse == true })
        return try peer.open(datagram.datagram).payloads
    }

    /// The responder's own request in `outputs` (a return routability check, a Delete…).
    static func request(_ outputs: EngineOutputs) -> IKETransmit? {
        outputs.transmits.first { (try? IKEMessage(decoding: $0.datagram))?.header.isResponse == false }
    }

    static func pathUpdates(_ outputs: EngineOutputs) -> [ChildSAPathUpdate] {
        outputs.effects.compactMap { if case .updateChildSA(let update) = $0 { update } else { nil } }
    }

    static func addressEvents(_ outputs: EngineOutputs) -> [(IKEEndpointAddress, IKEAddressUpdateCause)] {
        outputs.events.compactMap {
            if case .ikeSAAddressesUpdated(_, _, _, _, _, let newRemote, let cause) = $0 { (newRemote, cause) } else { nil }
        }
    }

    /// A Child SA SPI as it goes on the wire.
    static func bytes(_ spi: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: spi >> (24 - 8 * $0)) } }
}
