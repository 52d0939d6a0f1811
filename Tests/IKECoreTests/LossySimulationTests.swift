import IKEConfig
import IKECore
import IKETestSupport
import Testing

@Suite("Seeded simulation under loss, duplication and reordering (RFC 7296 §2.1)")
struct LossySimulationTests {
    /// 1,000 seeded runs with 10% loss, 10% duplication and up to 30 ms of reordering
    /// jitter: each pair ends established with matching Child SA keys, or closed with a
    /// reason the seed explains (every retransmission of one message lost).
    @Test("1,000 seeded runs: established with matching keys, or closed with a reason")
    func thousandRuns() throws {
        var established = 0
        for seed in UInt64(1)...1000 {
            var network = EngineFixtures.network(
                conditions: .init(lossPercent: 10, duplicationPercent: 10, jitterMilliseconds: 30), seed: seed)
            try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
            let quiet = network.run(for: .seconds(400))
            #expect(quiet, "seed \(seed): the network never went quiet")
            let left = network.nodes[0]
            let right = network.nodes[1]
            if EngineFixtures.isEstablished(left), EngineFixtures.isEstablished(right) {
                established += 1
                let leftChild = EngineFixtures.installations(left)
                let rightChild = EngineFixtures.installations(right)
                #expect(leftChild.count == 1 && rightChild.count == 1, "seed \(seed)")
                #expect(leftChild.first?.outboundEncryptionKey == rightChild.first?.inboundEncryptionKey, "seed \(seed)")
                #expect(leftChild.first?.outboundSPI == rightChild.first?.inboundSPI, "seed \(seed)")
                #expect(left.engine.establishedSPIs.count == 1, "seed \(seed)")
                #expect(right.engine.establishedSPIs.count == 1, "seed \(seed)")
            } else {
                // Only an exhausted retransmission budget may stop a handshake here.
                let reasons = EngineFixtures.closeReasons(left) + EngineFixtures.closeReasons(right)
                #expect(!reasons.isEmpty, "seed \(seed): neither established nor closed")
                #expect(reasons.allSatisfy { $0.code == .peerUnreachable || $0.code == .halfOpenTimeout }, "seed \(seed): \(reasons)")
            }
        }
        #expect(established >= 990, "only \(established) of 1000 established")
    }
}
