import CygnetDaemon
import Testing

/// The seeds of `Fuzz/Sources/FuzzRADIUS` reach what they are meant to, and trap nowhere.
@Suite("RADIUS fuzz harness: its seeds reach every kind of answer")
struct RADIUSFuzzHarnessTests {
    @Test("Each seed runs clean and reaches its answer; unsigned, it is not authentic")
    func seeds() {
        let outcomes = Dictionary(uniqueKeysWithValues: RADIUSFuzzHarness.seeds().map { ($0.name, RADIUSFuzzHarness.run($0.bytes)) })
        #expect(outcomes == [
            "challenge": .challenge, "challenge-split": .challenge, "accept": .accept(hasMSK: false), "reject": .reject,
        ])
        for seed in RADIUSFuzzHarness.seeds() {
            var tampered = seed.bytes
            tampered[tampered.count - 1] ^= 1
            #expect(RADIUSFuzzHarness.run(tampered) == .notAuthentic, "\(seed.name)")
            #expect(RADIUSFuzzHarness.run([2] + tampered.dropFirst()) != .notAuthentic, "\(seed.name)")
        }
        #expect(RADIUSFuzzHarness.run([]) == .malformed)
        #expect(RADIUSFuzzHarness.run([0, 1, 2]) == .malformed)
    }
}
