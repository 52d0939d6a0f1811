import IKECore
import IKETestSupport
import Testing

@Suite("Scale: thousands of initiators against one responder in virtual time")
struct ScaleSimulationTests {
    @Test("10,000 initiators with distinct addresses and identities all establish, Child SA SPIs matching")
    func tenThousand() async throws {
        let count = 10_000
        var simulation = ResponderLoadSimulation.insecurePSK(count: count, seed: 4)
        let finished = await simulation.run()
        #expect(finished, "still running at \(simulation.now)")
        let failed = simulation.records.enumerated().filter { !$0.element.isEstablished }
        #expect(failed.isEmpty, "\(failed.count) not established; first: \(failed.first.map { "\($0.offset): \(String(describing: $0.element.closeReason))" } ?? "")")
        #expect(simulation.responderEstablished == count)
        #expect(simulation.responder.establishedSPIs.count == count)
        #expect(simulation.responderClosed.isEmpty, "\(simulation.responderClosed.prefix(3))")
        var responderPairs: [UInt64: Int] = [:]
        for pair in simulation.responderChildSPIs {
            responderPairs[UInt64(pair.inbound) << 32 | UInt64(pair.outbound), default: 0] += 1
        }
        #expect(simulation.responderChildSPIs.count == count)
        var unmatched = 0
        for record in simulation.records {
            guard let child = record.childSPIs else {
                unmatched += 1
                continue
            }
            // The initiator's outbound SPI is the responder's inbound and vice versa.
            let key = UInt64(child.outbound) << 32 | UInt64(child.inbound)
            if let left = responderPairs[key], left > 0 { responderPairs[key] = left - 1 } else { unmatched += 1 }
        }
        #expect(unmatched == 0)
        print("scale: \(count) initiators, virtual time \(simulation.now), datagrams \(simulation.delivered), "
            + "cookies requested \(simulation.cookiesRequested), half-open limit hits \(simulation.halfOpenLimitHits)")
    }
}
