import IKECore
import IKETestSupport
import IKEWire
import Testing

/// Inputs of `Fuzz/Sources/FuzzResponder` replayed through the same harness
/// (``ResponderFuzzHarness``). Every crash the fuzzer finds becomes a named test here.
@Suite("FuzzResponder: the harness's scripted handshakes, its seeds, and regressions")
struct FuzzResponderRegressionTests {
    @Test("The scripted handshake reaches both starting points")
    func scenarios() throws {
        let scenarios = try #require(ResponderFuzzHarness.scenarios)
        #expect(scenarios.awaitingAuth.responder.halfOpenSACount == 1)
        #expect(scenarios.established.responder.establishedSPIs == [scenarios.established.keys.responderSPI])
        #expect(scenarios.established.childInboundSPI != nil)
    }

    @Test("Every seed runs without trapping, and the sealed IKE_AUTH seed establishes the SA")
    func seeds() throws {
        let seeds = ResponderFuzzHarness.seeds()
        #expect(seeds.count >= 12)
        for seed in seeds { ResponderFuzzHarness.run(seed.bytes) }
        let names = Set(seeds.map(\.name))
        for name in ["auth", "create-child", "rekey-child", "delete-child", "rekey-ike", "delete-ike", "liveness"] {
            #expect(names.contains(name), "seed \(name) missing")
        }
    }

    @Test("RFC 4555 §3.5: the MOBIKE seeds reach UPDATE_SA_ADDRESSES (moved, or refused with UNEXPECTED_NAT_DETECTED)")
    func mobikeSeeds() throws {
        let seeds = Dictionary(uniqueKeysWithValues: ResponderFuzzHarness.seeds().map { ($0.name, $0.bytes) })
        func moves(_ name: String) throws -> [IKEAddressUpdateCause] {
            ResponderFuzzHarness.run(try #require(seeds[name])).compactMap {
                if case .ikeSAAddressesUpdated(_, _, _, _, _, _, let cause) = $0 { cause } else { nil }
            }
        }
        #expect(try moves("mobike-update") == [.mobike])
        #expect(try moves("mobike-update-nat") == [.mobike])
        let refused = ResponderFuzzHarness.run(try #require(seeds["mobike-update-unexpected-nat"])).contains {
            if case .negotiationRefused(_, let reason) = $0 { reason.code == .unexpectedNATDetected } else { false }
        }
        #expect(refused)
    }

    @Test("Empty, short and truncated inputs do nothing harmful")
    func degenerate() {
        ResponderFuzzHarness.run([])
        ResponderFuzzHarness.run([1])
        ResponderFuzzHarness.run([1, 2, 0xFF, 0xFF])
        ResponderFuzzHarness.run([0, 0x02, 0, 3, 35, 8, 1])
        ResponderFuzzHarness.run([1, 0xF3, 0, 1, 5] + [0xF2, 0, 4, 37, 0x28, 0, 0])
    }
}
