import IKECore
import IKECrypto
import IKETestSupport
import Testing

/// A random source that answers the first `repeats` four-byte draws (Child SA SPIs) with
/// the same value, to force a collision, and is seeded otherwise.
struct RepeatingSPISource: RandomSource, Sendable {
    var seeded: SeededRandomSource
    var repeats: Int

    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard buffer.count == 4, repeats > 0 else { return seeded.fill(buffer) }
        repeats -= 1
        buffer.copyBytes(from: [0x00, 0x00, 0x12, 0x34])
    }
}

@Suite("Inbound Child SA SPIs are unique across the engine (RFC 4303 §2.1)")
struct ChildSPIUniquenessTests {
    @Test("A drawn SPI that another IKE SA's Child SA holds is drawn again")
    func duplicateDrawIsRejected() throws {
        var engine = IKEEngine(
            configuration: ResponderFixtures.configuration(), random: RepeatingSPISource(seeded: SeededRandomSource(seed: 5), repeats: 2))
        var spis: [UInt32] = []
        for host: UInt8 in [1, 3] {
            var peer = ResponderFixtures.initiator(seed: UInt64(host), host: host)
            let initReply = engine.deliver(try peer.saInitRequest(cookie: nil), from: peer.address, to: EngineFixtures.right, now: .zero)
            try peer.handleSAInitResponse(try #require(initReply.transmits.first).datagram)
            let auth = engine.deliver(try ResponderFixtures.authRequest(&peer), from: peer.address, to: EngineFixtures.right, now: .zero)
            spis += ResponderFixtures.installations(auth).map(\.inboundSPI)
        }
        #expect(spis.count == 2)
        #expect(spis.first == 0x1234, "the first draw is used as drawn")
        #expect(Set(spis).count == 2, "\(spis)")
    }
}
