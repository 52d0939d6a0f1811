import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// The attacks that crashed other IKEv2 daemons or let a peer past authentication,
/// replayed against the engine: one test per class of `Docs/security.md`, named after the
/// CVEs of the class. Each drives a ``ScriptedInitiator`` (or ``ScriptedResponder``) that
/// holds the IKE SA keys, so a crafted message passes the integrity check and reaches the
/// state machine, and asserts the exact answer (or drop) code and that no state was made
/// or changed: no IKE SA left, nothing half-open, no timer, no Child SA.
///
/// The tests are grouped by theme in the extensions of this suite
/// (`AttackClassTests+*.swift`); `HostilePeerTests`, `PeerLimitTests` and
/// `SelectorNarrowingResponseTests` hold the classes tested before this suite existed.
@Suite("CVE classes against the engine: the attack refused with its typed reason, no state left (RFC 7296 §2.21)")
struct AttackClassTests {
    typealias Fixtures = ResponderFixtures

    /// Asserts that `engine` holds nothing: no IKE SA, none half-open, no timer.
    static func expectNoState(_ engine: IKEEngine<SeededRandomSource>, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(engine.ikeSACount == 0, sourceLocation: sourceLocation)
        #expect(engine.halfOpenSACount == 0, sourceLocation: sourceLocation)
        #expect(engine.nextDeadline() == nil, sourceLocation: sourceLocation)
    }

    static func closeReasons(_ outputs: EngineOutputs) -> [IKECloseReason] {
        outputs.events.compactMap { if case .ikeSAClosed(_, _, let reason, _) = $0 { reason } else { nil } }
    }

    static func isEstablished(_ outputs: EngineOutputs) -> Bool {
        outputs.events.contains { if case .ikeSAEstablished = $0 { true } else { false } }
    }

    /// The notify payloads of an unprotected IKE_SA_INIT answer (nothing when none was sent).
    static func notifies(_ outputs: EngineOutputs) -> [NotifyPayload] {
        outputs.transmits.flatMap { (try? IKEMessage(decoding: $0.datagram))?.notifications ?? [] }
    }

    /// The single protected answer of `outputs`, opened by `peer`.
    static func answer(_ outputs: EngineOutputs, _ peer: ScriptedInitiator) throws -> [IKEPayload] {
        #expect(outputs.transmits.count == 1)
        return try peer.open(try #require(outputs.transmits.first).datagram).payloads
    }

    /// A peer past IKE_SA_INIT with a half-open SA on `engine`.
    static func halfOpen(
        seed: UInt64, configure: (inout IKEEngineConfiguration) -> Void = { _ in }
    ) throws -> (ScriptedInitiator, IKEEngine<SeededRandomSource>) {
        var engine = Fixtures.engine(configure: configure)
        var peer = Fixtures.initiator(seed: seed)
        try Fixtures.saInit(&peer, &engine)
        try #require(peer.outbound != nil && engine.halfOpenSACount == 1)
        return (peer, engine)
    }

    /// An IKE_SA_INIT request of `peer` with `payloads` in place of `SA, KE, Ni`.
    static func saInitRequest(_ peer: ScriptedInitiator, payloads: [IKEPayload]) throws -> ByteBuffer {
        let header = IKEHeader(initiatorSPI: peer.spi, responderSPI: 0, exchangeType: .ikeSAInit, flags: .initiator, messageID: 0)
        return try IKEMessage(header: header, payloads: payloads).encoded()
    }
}
