import IKECore
import IKETestSupport
import Testing

@Suite("Driving an engine through IKEEngineHost")
struct EngineHostTests {
    /// Records the order of the host's calls.
    struct RecordingHost: IKEEngineHost {
        var calls: [String] = []
        mutating func send(_ transmit: IKETransmit) { calls.append("send") }
        mutating func scheduleTimeout(at deadline: IKEInstant?) { calls.append("deadline") }
        mutating func carryOut(_ effect: IKEEffect) { calls.append("effect") }
        mutating func observe(_ event: IKEEvent) { calls.append("event") }
    }

    @Test("drain(into:) hands transmits, then the deadline, then effects, then events")
    func pollOrder() throws {
        var engine = ResponderFixtures.engine()
        var peer = ResponderFixtures.initiator(seed: 36)
        try ResponderFixtures.saInit(&peer, &engine)
        let auth = try ResponderFixtures.authRequest(&peer)
        engine.handleDatagram(auth, from: peer.address, to: EngineFixtures.right, now: .zero)
        var host = RecordingHost()
        engine.drain(into: &host)
        // The IKE_AUTH response, the liveness deadline, the Child SA, and the events
        // "established" and "Child SA installed".
        #expect(host.calls == ["send", "deadline", "effect", "event", "event"])
        host.calls = []
        engine.drain(into: &host)
        #expect(host.calls == ["deadline"])
    }
}
