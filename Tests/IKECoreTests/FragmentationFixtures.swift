import Foundation
import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// Setups for the RFC 7383 tests: certificate handshakes whose IKE_AUTH messages exceed
/// the fragment size (RSA-2048 chains of `Tests/Fixtures/pki`), two engines driven by
/// hand, and SKF fragments crafted by a ``ScriptedInitiator``.
enum FragmentationFixtures {
    /// Left and right with RSA-2048 chains (end entity and intermediate, about 2.5 KB of
    /// IKE_AUTH), each side's fragmentation setting and the engines' fragment size.
    static func network(
        fragmentSize: Int = 1280, left: Fragmentation = .yes, right: Fragmentation = .yes
    ) throws -> SimulatedNetwork {
        let kind = CertificateFixtures.Kind.rsa2048
        var network = try CertificateFixtures.network(left: kind.left, right: kind.right)
        for (index, setting) in [left, right].enumerated() {
            network.nodes[index].engine.configuration.fragmentation.fragmentSize = fragmentSize
            network.nodes[index].engine.configuration.peers[0].fragmentation = setting
        }
        return network
    }

    /// One datagram of a transcript, decoded (the simulation runs on port 500: no
    /// non-ESP marker).
    struct Sent {
        var transmit: IKETransmit
        var message: IKEMessage
        var header: IKEHeader { message.header }
        var fragment: EncryptedFragmentPayload? {
            if case .encryptedFragment(let fragment)? = message.payloads.last { fragment } else { nil }
        }
        var isEncrypted: Bool {
            if case .encrypted? = message.payloads.last { true } else { false }
        }
    }

    static func decoded(_ transmits: [IKETransmit]) throws -> [Sent] {
        try transmits.map { Sent(transmit: $0, message: try IKEMessage(decoding: $0.datagram)) }
    }

    static func notifyTypes(_ sent: Sent) -> [NotifyMessageType] { sent.message.notifications.map(\.type) }

    static func isRetransmission(_ event: IKEEvent) -> Bool {
        if case .retransmitted = event { true } else { false }
    }

    static func dropReasons(_ events: [IKEEvent]) -> [IKEDropReason] { EngineOutputs.dropReasons(events) }

    // MARK: Crafted fragments

    /// `payloads` as an IKE_AUTH request of `peer`, cut into `count` SKF fragments that
    /// each announce `count` in Total Fragments (RFC 7383 §2.5), every one sealed with the
    /// peer's SK_ei.
    static func fragments(
        _ peer: inout ScriptedInitiator, _ payloads: [IKEPayload], count: Int, messageID: UInt32 = 1
    ) throws -> [ByteBuffer] {
        let outbound = try #require(peer.outbound)
        var inner = ByteBuffer()
        let first = try IKEPayload.encodeChain(payloads, to: &inner)
        let size = (inner.readableBytes + count - 1) / count
        try #require(size * (count - 1) < inner.readableBytes, "\(inner.readableBytes) bytes cannot make \(count) fragments")
        let header = IKEHeader(
            initiatorSPI: peer.spi, responderSPI: peer.responderSPI, exchangeType: .ikeAuth, flags: .initiator,
            messageID: messageID)
        return try (0..<count).map { index in
            let slice = try #require(
                inner.getSlice(at: index * size, length: min(size, inner.readableBytes - index * size)))
            return try outbound.seal(
                header: header, innerFirstPayload: first, inner: slice,
                fragment: (UInt16(index + 1), UInt16(count)), random: &peer.random)
        }
    }

    /// The payloads of a well-formed PSK IKE_AUTH request of `peer`.
    static func authPayloads(_ peer: ScriptedInitiator) throws -> [IKEPayload] {
        try peer.authPayloads(
            identity: EngineFixtures.leftID, psk: ResponderFixtures.psk, child: ResponderFixtures.initiatorChild)
    }

    /// A responder engine and a scripted initiator past IKE_SA_INIT.
    static func responder(
        seed: UInt64, configure: (inout IKEEngineConfiguration) -> Void = { _ in }
    ) throws -> (peer: ScriptedInitiator, engine: IKEEngine<SeededRandomSource>) {
        var engine = ResponderFixtures.engine(configure: configure)
        var peer = ResponderFixtures.initiator(seed: seed)
        try ResponderFixtures.saInit(&peer, &engine)
        try #require(peer.outbound != nil)
        return (peer, engine)
    }

    static func isEstablished(_ outputs: EngineOutputs) -> Bool {
        outputs.events.contains { if case .ikeSAEstablished = $0 { true } else { false } }
    }

    /// `datagram` with one byte flipped.
    static func flipping(_ datagram: ByteBuffer, at offset: Int) -> ByteBuffer {
        var bytes = Array(datagram.readableBytesView)
        bytes[offset] ^= 0x01
        return ByteBuffer(bytes: bytes)
    }
}

/// Two engines driven by hand: the test chooses which datagrams arrive, in which order
/// and how often. Each node's signing and validation requests are answered at once by its
/// completer.
struct ManualPair {
    var nodes: [SimulatedNetwork.Node]
    var now: IKEInstant = .zero

    init(_ network: SimulatedNetwork) { nodes = network.nodes }

    /// The datagrams node `index` sent since last asked, after running its effects.
    mutating func outputs(_ index: Int) async -> [IKETransmit] {
        var sent: [IKETransmit] = []
        while true {
            let outputs = nodes[index].engine.drain()
            sent += outputs.transmits
            var completions: [IKECompletion] = []
            for effect in outputs.effects {
                nodes[index].effects.append(effect)
                if let completer = nodes[index].completer, let completion = await completer.complete(effect, now: now) {
                    completions.append(completion)
                }
            }
            nodes[index].events += outputs.events
            guard !completions.isEmpty else { return sent }
            for completion in completions { nodes[index].engine.handleCompletion(completion, now: now) }
        }
    }

    /// Hands `transmits` to node `index`, in order, and returns what it sent.
    mutating func deliver(_ transmits: [IKETransmit], to index: Int) async -> [IKETransmit] {
        for transmit in transmits {
            nodes[index].engine.handleDatagram(transmit.datagram, from: transmit.source, to: transmit.destination, now: now)
        }
        return await outputs(index)
    }

    /// Moves time to `instant` and fires node `index`'s timers.
    mutating func advance(_ index: Int, to instant: IKEInstant) async -> [IKETransmit] {
        now = instant
        nodes[index].engine.handleTimeout(now: now)
        return await outputs(index)
    }

    /// Left initiates; IKE_SA_INIT goes both ways. Returns left's IKE_AUTH request
    /// datagrams, signed and ready.
    mutating func authRequest() async throws -> [IKETransmit] {
        try nodes[0].engine.handleCommand(
            .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right), now: now)
        let initRequest = await outputs(0)
        let initResponse = await deliver(initRequest, to: 1)
        return await deliver(initResponse, to: 0)
    }
}
