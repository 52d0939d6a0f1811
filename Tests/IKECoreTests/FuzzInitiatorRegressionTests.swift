import IKECore
import IKETestSupport
import IKEWire
import Testing

/// Inputs of `Fuzz/Sources/FuzzInitiator` replayed through the same harness
/// (``InitiatorFuzzHarness``). Every crash the fuzzer finds becomes a named test here.
@Suite("FuzzInitiator: the harness's scripted handshake, its seeds, and regressions")
struct FuzzInitiatorRegressionTests {
    static func established(_ events: [IKEEvent]) -> Bool {
        events.contains { if case .ikeSAEstablished = $0 { true } else { false } }
    }

    static func installed(_ events: [IKEEvent]) -> Int {
        events.filter { if case .childSAInstalled = $0 { true } else { false } }.count
    }

    @Test("The scripted handshake reaches the three starting points")
    func scenarios() throws {
        let scenarios = try #require(InitiatorFuzzHarness.scenarios)
        #expect(scenarios.count == 3)
        #expect(scenarios[0].keys == nil && scenarios[1].keys != nil)
        #expect(scenarios[0].initiator.establishedSPIs.isEmpty && scenarios[1].initiator.establishedSPIs.isEmpty)
        #expect(scenarios[2].initiator.establishedSPIs == [scenarios[2].initiatorSPI])
    }

    @Test("Every seed runs without trapping; the valid IKE_AUTH response establishes the SA with its Child SA")
    func seeds() throws {
        let seeds = InitiatorFuzzHarness.seeds()
        let names = Set(seeds.map(\.name))
        for name in ["sainit", "sainit-cookie", "sainit-invalid-ke", "auth", "auth-widened-selectors", "auth-failed"]
            + (0..<6).map({ "command-\($0)" })
        {
            #expect(names.contains(name), "seed \(name) missing")
        }
        var results: [String: [IKEEvent]] = [:]
        for seed in seeds { results[seed.name] = InitiatorFuzzHarness.run(seed.bytes) }
        let auth = try #require(results["auth"])
        #expect(Self.established(auth) && Self.installed(auth) == 1)
        #expect(!Self.established(try #require(results["auth-failed"])))
        // RFC 7296 §2.9: selectors wider than proposed establish the IKE SA, not the Child SA.
        let widened = try #require(results["auth-widened-selectors"])
        #expect(Self.established(widened) && Self.installed(widened) == 0)
        #expect(widened.contains { if case .childSAFailed = $0 { true } else { false } })
        // A rekey of the Child SA, answered, installs the new SA.
        #expect(Self.installed(try #require(results["command-1"])) == 1)
    }

    @Test("Empty, short and truncated inputs do nothing harmful")
    func degenerate() {
        #expect(InitiatorFuzzHarness.run([]).isEmpty)
        InitiatorFuzzHarness.run([0])
        InitiatorFuzzHarness.run([1, 2, 0xFF, 0xFF])
        InitiatorFuzzHarness.run([1, 0x0A, 0, 3, 35, 0x20, 1])
        InitiatorFuzzHarness.run([2, 0xF3, 0, 1, 3] + [0xFA, 0, 4, 36, 0x20, 0, 0])
    }
}
