import Foundation
import Testing

@testable import CygnetTools

@Suite("cygnet bench esp: a tiny run gives sane fields; the text and JSON report shapes")
struct ESPBenchmarkTests {
    /// One packet per round, two rounds: well under a second even in a debug build.
    static let report: ESPBenchmarkReport? = try? ESPBenchmark(rounds: 2, secondsPerRound: 0)
        .run(environment: .current(command: "cygnet bench esp --test"))

    static let environment = BenchEnvironment(
        cpuModel: "Test CPU @ 1.00GHz", cores: 2, system: "Linux 6.1.0 x86_64", buildConfiguration: "release",
        command: "cygnet bench esp")

    static func figure(_ packetsPerSecond: Double, payload: Int, allocations: Double?) -> ESPBenchmarkReport.Figure {
        ESPBenchmarkReport.Figure(
            packetsPerSecond: packetsPerSecond, gigabitsPerSecond: packetsPerSecond * Double(payload) * 8 / 1e9,
            roundPacketsPerSecond: [packetsPerSecond], allocationsPerPacket: allocations)
    }

    /// A report with fixed figures: ESP 10% slower at 1400 bytes, 50% at 64.
    static func fixed(allocations: Double?) -> ESPBenchmarkReport {
        ESPBenchmarkReport(
            environment: environment, rounds: 1, secondsPerRound: 0.1,
            allocationCountingUnavailable: allocations == nil ? "not preloaded" : nil,
            rows: [
                ESPBenchmarkReport.Row(
                    suite: "aes256gcm16", algorithm: "AES-GCM-256 (16-byte ICV)", payloadBytes: 1400, packetBytes: 1436,
                    encryptedBytes: 1404, iterationsPerRound: 1000,
                    esp: figure(200_000, payload: 1400, allocations: allocations),
                    bare: figure(220_000, payload: 1400, allocations: allocations)),
                ESPBenchmarkReport.Row(
                    suite: "aes256gcm16", algorithm: "AES-GCM-256 (16-byte ICV)", payloadBytes: 64, packetBytes: 100,
                    encryptedBytes: 68, iterationsPerRound: 1000,
                    esp: figure(2_000_000, payload: 64, allocations: allocations),
                    bare: figure(3_000_000, payload: 64, allocations: allocations)),
            ])
    }

    @Test("Every suite at 1400 and 64 bytes, positive rates, ESP and bare both measured")
    func tinyRun() throws {
        let report = try #require(Self.report)
        #expect(report.benchmark == "esp")
        #expect(report.rows.count == ESPBenchmark.Suite.allCases.count * 2)
        #expect(Set(report.rows.map(\.suite)) == ["aes256gcm16", "aes128gcm16", "chacha20poly1305", "aes128-sha256"])
        for row in report.rows {
            let name = "\(row.suite) \(row.payloadBytes)"
            #expect([1400, 64].contains(row.payloadBytes), "\(name)")
            #expect(row.esp.packetsPerSecond > 0 && row.bare.packetsPerSecond > 0, "\(name)")
            #expect(row.esp.gigabitsPerSecond > 0 && row.bare.gigabitsPerSecond > 0, "\(name)")
            #expect(row.esp.roundPacketsPerSecond.count == 2 && row.bare.roundPacketsPerSecond.count == 2, "\(name)")
            #expect(row.overheadPercent.isFinite, "\(name)")
            #expect(row.iterationsPerRound >= 1, "\(name)")
            #expect(row.packetBytes > row.payloadBytes && row.encryptedBytes >= row.payloadBytes + 2, "\(name)")
            // RFC 4303 §2.4: the encrypted part ends on a 4-byte (16 for CBC) boundary.
            #expect(row.encryptedBytes % (row.suite == "aes128-sha256" ? 16 : 4) == 0, "\(name)")
        }
        // Tests do not preload the counter: the report says so instead of showing zeros.
        if report.allocationCountingUnavailable != nil {
            #expect(report.rows.allSatisfy { $0.esp.allocationsPerPacket == nil })
            #expect(report.target.allocationFree == nil)
        }
        #expect(report.target.targetPercent == 25)
        #expect(report.target.worstOverheadPercent != nil)
    }

    @Test("Overhead is (esp_time - bare_time) / bare_time; the target looks at 1400-byte rows only")
    func overheadAndTarget() {
        let report = Self.fixed(allocations: 0)
        #expect(abs(report.rows[0].overheadPercent - 10) < 1e-9)
        #expect(abs(report.rows[1].overheadPercent - 50) < 1e-9)
        #expect(report.target.worstOverheadPercent.map { abs($0 - 10) < 1e-9 } == true)
        #expect(report.target.allocationFree == true)
        #expect(report.target.passed == true)
        #expect(report.target.description.hasSuffix(": PASS"))
        let allocating = Self.fixed(allocations: 1)
        #expect(allocating.target.passed == false)
        #expect(allocating.target.description.contains("ALLOCATES"))
        let uncounted = Self.fixed(allocations: nil)
        #expect(uncounted.target.allocationFree == nil)
        #expect(uncounted.target.passed == true)
    }

    @Test("The overhead pairs each ESP round with the bare round before it, so a slow round counts on both sides")
    func pairedOverhead() {
        let esp = ESPBenchmarkReport.Figure(
            packetsPerSecond: 100, gigabitsPerSecond: 0, roundPacketsPerSecond: [100, 200, 100], allocationsPerPacket: nil)
        let bare = ESPBenchmarkReport.Figure(
            packetsPerSecond: 200, gigabitsPerSecond: 0, roundPacketsPerSecond: [120, 220, 200], allocationsPerPacket: nil)
        let row = ESPBenchmarkReport.Row(
            suite: "s", algorithm: "a", payloadBytes: 1400, packetBytes: 1436, encryptedBytes: 1404, iterationsPerRound: 1,
            esp: esp, bare: bare)
        // Round ratios +20 %, +10 %, +100 %: the median is +20 % (the medians alone would say +100 %).
        #expect(abs(row.overheadPercent - 20) < 1e-9)
    }

    @Test("Text: command, machine, one row per suite and size with both figures, the target")
    func text() {
        let text = Self.fixed(allocations: nil).text
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "cygnet bench esp")
        #expect(lines.contains("  command:     cygnet bench esp"))
        #expect(lines.contains("  machine:     Test CPU @ 1.00GHz, 2 cores, Linux 6.1.0 x86_64"))
        #expect(lines.contains("  allocations: not counted: not preloaded"))
        #expect(!text.contains("WARNING"))
        let rows = lines.filter { $0.hasPrefix("  aes256gcm16") }
        #expect(rows.count == 2)
        // 200 k packets/s of 1400 bytes = 2.24 Gbit/s; bare 220 k = 2.46; +10.0 %.
        #expect(rows[0].contains("2.24") && rows[0].contains("200.0 k") && rows[0].contains("2.46"))
        #expect(rows[0].contains("+10.0 %") && rows[0].contains("n/a"))
        #expect(rows[1].contains("2.00 M") && rows[1].contains("+50.0 %"))
        #expect(lines.contains { $0.hasPrefix("  target: ESP overhead on 1400-byte packets < 25%") })
        let counted = Self.fixed(allocations: 0).text
        #expect(counted.contains("heap allocations per packet"))
    }

    @Test("--json: the documented keys, and it decodes back to the same figures")
    func json() throws {
        let report = Self.fixed(allocations: 0)
        let text = try report.json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == [
            "benchmark", "environment", "clock", "rounds", "secondsPerRound", "rows", "target", "notes",
        ])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(Set(rows[0].keys) == [
            "suite", "algorithm", "payloadBytes", "packetBytes", "encryptedBytes", "iterationsPerRound", "esp", "bare",
            "overheadPercent",
        ])
        let esp = try #require(rows[0]["esp"] as? [String: Any])
        #expect(Set(esp.keys) == ["packetsPerSecond", "gigabitsPerSecond", "roundPacketsPerSecond", "allocationsPerPacket"])
        let environment = try #require(object["environment"] as? [String: Any])
        #expect(environment["command"] as? String == "cygnet bench esp")
        let decoded = try JSONDecoder().decode(ESPBenchmarkReport.self, from: Data(text.utf8))
        #expect(decoded == report)
        // Without counting, the reason is present and the per-packet figure absent.
        let uncounted = try #require(
            try JSONSerialization.jsonObject(with: Data(try Self.fixed(allocations: nil).json().utf8)) as? [String: Any])
        #expect(uncounted["allocationCountingUnavailable"] as? String == "not preloaded")
    }
}
