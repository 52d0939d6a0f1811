import Foundation
import IKECore
import IKETestSupport
import NIOCore
import Testing

/// Whole exchanges under a fixed seed, compared byte for byte with a committed golden
/// transcript, so any change on the wire is a deliberate one. To accept a deliberate
/// change, run with CYGNET_RECORD_TRANSCRIPTS=1 once (the test then fails, saying it
/// recorded), review the diff of Tests/Fixtures/transcripts, and commit it.
@Suite("Transcripts under a fixed seed")
struct TranscriptTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/transcripts")

    func check(_ name: String, _ network: SimulatedNetwork) throws {
        let lines = network.transcript.map { transmit in
            "\(transmit.source) -> \(transmit.destination) "
                + transmit.datagram.readableBytesView.map { String(format: "%02x", $0) }.joined()
        }
        let text = lines.joined(separator: "\n") + "\n"
        let url = Self.directory.appendingPathComponent("\(name).txt")
        if ProcessInfo.processInfo.environment["CYGNET_RECORD_TRANSCRIPTS"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded \(url.path); run again without CYGNET_RECORD_TRANSCRIPTS")
            return
        }
        let golden = try #require(
            try? String(contentsOf: url, encoding: .utf8),
            "no golden transcript at \(url.path): run once with CYGNET_RECORD_TRANSCRIPTS=1")
        let goldenLines = golden.split(separator: "\n").map(String.init)
        #expect(goldenLines.count == lines.count, "\(name): \(lines.count) datagrams, golden has \(goldenLines.count)")
        for (index, (line, expected)) in zip(lines, goldenLines).enumerated() {
            #expect(line == expected, "\(name): datagram \(index + 1) differs")
        }
    }

    @Test("PSK, X25519, AES-GCM: IKE_SA_INIT, IKE_AUTH, a Child SA rekey, an IKE SA rekey and a delete, seed 42")
    func pskLifecycle() throws {
        var network = EngineFixtures.network(seed: 42)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        let spi = try #require(network.nodes[0].engine.establishedSPIs.first)
        let child = try #require(EngineFixtures.installations(network.nodes[0]).first)
        try network.command(0, .rekeyChildSA(localSPI: spi, inboundSPI: child.inboundSPI))
        network.run()
        try network.command(0, .rekeyIKESA(localSPI: spi))
        network.run()
        let newSPI = try #require(network.nodes[0].engine.establishedSPIs.first)
        try network.command(0, .delete(localSPI: newSPI))
        network.run()
        #expect(network.nodes.allSatisfy { $0.engine.ikeSACount == 0 })
        try check("psk-x25519-gcm-seed42", network)
    }
}
