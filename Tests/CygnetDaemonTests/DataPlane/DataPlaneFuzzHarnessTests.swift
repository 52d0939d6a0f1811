import Testing

@testable import CygnetDaemon

/// The seeds of `Fuzz/Sources/FuzzDataPlane` reach what they are meant to, and trap nowhere
/// (in a debug build, with every bounds check on).
@Suite("Data plane fuzz harness: its seeds reach delivery and the TCP merge")
struct DataPlaneFuzzHarnessTests {
    @Test("Each seed runs clean; ICMP is delivered in both families, TCP segments merge")
    func seeds() {
        let outcomes = Dictionary(uniqueKeysWithValues: DataPlaneFuzzHarness.seeds().map { ($0.name, DataPlaneFuzzHarness.run($0.bytes)) })
        #expect(outcomes["icmp-v4-gcm"] == DataPlaneFuzzHarness.Outcome(delivered: 2, writes: 2, mergedWrites: 0))
        #expect(outcomes["icmp-v4-null"] == DataPlaneFuzzHarness.Outcome(delivered: 1, writes: 1, mergedWrites: 0))
        #expect(outcomes["icmp-v6-any"] == DataPlaneFuzzHarness.Outcome(delivered: 1, writes: 1, mergedWrites: 0))
        #expect(outcomes["tcp-v4-merge"] == DataPlaneFuzzHarness.Outcome(delivered: 3, writes: 1, mergedWrites: 1))
        #expect(outcomes["tcp-v6-raw-esp"] == DataPlaneFuzzHarness.Outcome(delivered: 3, writes: 1, mergedWrites: 1))
        #expect(outcomes["keepalive-ike"] == DataPlaneFuzzHarness.Outcome())
    }

    @Test("The IPv6 selector that crashed the route prefixes, and the NULL inbound path, run clean")
    func regressions() {
        let top = [UInt8](repeating: 0xFF, count: 16)
        let upper = DataPlaneFuzzHarness.Input.selector(v6: true, start: [0x20, 0x01] + [UInt8](repeating: 0, count: 14), end: top)
        DataPlaneFuzzHarness.run([0, 1] + upper + [1] + upper)
        DataPlaneFuzzHarness.run([1, 0, 0, 0, 40] + [UInt8](repeating: 0x45, count: 40))
    }
}
