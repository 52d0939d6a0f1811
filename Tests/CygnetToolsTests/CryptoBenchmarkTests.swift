import Foundation
import IKEWire
import Testing

@testable import CygnetTools

@Suite("cygnet bench crypto: report structure and the openssl speed parser")
struct CryptoBenchmarkTests {
    /// One operation per round, two rounds, no openssl: seconds even in a debug build.
    static let report: CryptoBenchmarkReport? = try? CryptoBenchmark(
        rounds: 2, secondsPerRound: 0, comparison: .none
    ).run(environment: .current(command: "cygnet bench crypto --test"))

    @Test("Every section is present, every rate is positive")
    func sectionsAndRates() throws {
        let report = try #require(Self.report)
        for section in CryptoBenchmarkReport.Section.allCases {
            #expect(!report.measurements(in: section).isEmpty, "\(section.rawValue) is missing")
        }
        for measurement in report.measurements {
            let name = "\(measurement.algorithm) \(measurement.operation)"
            #expect(measurement.operationsPerSecond > 0, "\(name)")
            #expect(measurement.roundOperationsPerSecond.count == 2, "\(name)")
            #expect(measurement.roundOperationsPerSecond.allSatisfy { $0 > 0 }, "\(name)")
            #expect(measurement.iterationsPerRound >= 1, "\(name)")
            #expect(measurement.openssl == nil, "\(name)")
            switch measurement.section {
            case .aead, .cipher, .integrity:
                #expect((measurement.bytes ?? 0) > 0, "\(name)")
                #expect((measurement.bytesPerSecond ?? 0) > 0, "\(name)")
            case .keyExchange, .signature:
                #expect(measurement.bytes == nil, "\(name)")
            }
        }
        #expect(report.benchmark == "crypto")
        #expect(report.openssl.unavailable == "comparison turned off")
        #expect(report.gate.passed == nil)
        #expect(report.gate.ratio == nil)
        #expect(report.gate.description.hasPrefix("AES-256-GCM 1400 B in-place seal"))
    }

    @Test("Every key exchange method of the provider, legacy ones included, has all four operations")
    func keyExchangeCoverage() throws {
        let report = try #require(Self.report)
        let rows = report.measurements(in: .keyExchange)
        let ids: [UInt16] = [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 31, 36, 37]
        for id in ids {
            let operations = Set(rows.filter { $0.algorithm.hasSuffix("[\(id)]") }.map(\.operation))
            #expect(operations == ["generate", "respond", "complete", "exchange"], "method \(id)")
        }
    }

    @Test("AEADs and ciphers are measured both ways on 1400 and 64-byte payloads")
    func symmetricCoverage() throws {
        let report = try #require(Self.report)
        for algorithm in ["AES-128-GCM-16", "AES-256-GCM-16", "AES-256-GCM-12", "AES-256-GCM-8", "ChaCha20-Poly1305"] {
            let rows = report.measurements(in: .aead).filter { $0.algorithm == algorithm }
            #expect(Set(rows.map { "\($0.operation) \($0.bytes ?? 0)" }) == ["seal 1400", "open 1400", "seal 64", "open 64"])
        }
        let cbc = report.measurements(in: .cipher).filter { $0.algorithm == "AES-256-CBC" }
        // ESP pads to the 16-byte block: 1400 becomes 1408.
        #expect(Set(cbc.map { "\($0.operation) \($0.bytes ?? 0)" }) == ["encrypt 1408", "decrypt 1408", "encrypt 64", "decrypt 64"])
        #expect(report.measurements(in: .cipher).contains { $0.algorithm == "3DES-CBC" })
        #expect(Set(report.measurements(in: .integrity).map(\.algorithm)) == ["HMAC-SHA2-256-128", "HMAC-SHA1-96", "AES-XCBC-96"])
        #expect(report.measurements(in: .signature).count == 14)
    }

    @Test("--json output parses and decodes back to the same figures")
    func json() throws {
        let report = try #require(Self.report)
        let text = try report.json()
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let measurements = try #require(object?["measurements"] as? [[String: Any]])
        #expect(measurements.count == report.measurements.count)
        #expect(object?["gate"] is [String: Any])
        #expect(object?["environment"] is [String: Any])
        let decoded = try JSONDecoder().decode(CryptoBenchmarkReport.self, from: Data(text.utf8))
        #expect(decoded.measurements.map(\.algorithm) == report.measurements.map(\.algorithm))
        #expect(decoded.measurements.map(\.operationsPerSecond) == report.measurements.map(\.operationsPerSecond))
    }

    @Test("The text table shows every section and the gate line")
    func text() throws {
        let report = try #require(Self.report)
        let text = report.text
        #expect(text.hasPrefix("cygnet bench crypto"))
        for heading in ["Key exchange", "AEAD, in place", "Ciphers, in place", "Integrity", "AUTH signatures"] {
            #expect(text.contains("\n  \(heading)"), "\(heading)")
        }
        #expect(text.contains("gate: AES-256-GCM 1400 B in-place seal"))
        #expect(text.contains("openssl:     comparison turned off"))
    }

    @Test("openssl is looked up on PATH; a PATH without it finds none")
    func missingOpenSSL() throws {
        #expect(OpenSSLSpeed.locate(seconds: 1, path: "/nonexistent-cygnet-test") == nil)
    }

    /// Captured from `openssl speed -mr -seconds 1 …` (OpenSSL 3.0.19, 27 Jan 2026) on the
    /// development machine: an `-aead` AES-256-GCM run at 1400 bytes, an HMAC run at 64
    /// bytes, and the public-key run, with the progress lines openssl writes to stderr.
    static let sample = """
        Doing AES-256-GCM for 1s on 1400 size blocks: 823511 AES-256-GCM's in 0.92s
        +DT:AES-256-GCM:1:1400
        +R:823511:AES-256-GCM:0.920000
        +H:1400
        +F:25:AES-256-GCM:1253168913.04
        +DT:hmac(sha256):1:64
        +R:2982834:hmac(sha256):0.960000
        +H:64
        +F:9:hmac(sha256):198855600.00
        +DTP:2048:private:rsa:1
        +R1:2666:2048:0.84
        +DTP:2048:public:rsa:1
        +R2:51211:2048:0.95
        +DTP:256:sign:ecdsa:1
        +R5:45559:256:0.96
        +R6:12846:256:0.97
        +R7:17370:256:0.96
        +F2:2:2048:3173.809524:53906.315789
        +F4:3:256:47457.291667:13243.298969
        +F4:4:384:841.836735:998.947368
        +F5:3:256:18093.750000:0.000055
        +F5:4:384:1036.144578:0.000965
        +F5:22:253:25866.666667:0.000039
        +F6:0:253:Ed25519:20308.247423:9136.082474
        +F8:0:2048:3550.000000:0.000282
        """

    @Test("openssl speed -mr output: +H/+F throughput, +F2 RSA, +F4 ECDSA, +F5 ECDH, +F6 EdDSA, +F8 FFDH")
    func parser() throws {
        let results = OpenSSLSpeed.Results.parse(Self.sample)
        #expect(results.throughput.count == 2)
        let gcm = try #require(results.throughput.first { $0.name == "AES-256-GCM" })
        #expect(gcm.bytes == 1400)
        #expect(gcm.bytesPerSecond == 1253168913.04)
        #expect(abs(gcm.operationsPerSecond - 1253168913.04 / 1400) < 1e-6)
        let hmac = try #require(results.throughput.first { $0.name == "hmac(sha256)" })
        #expect(hmac.bytes == 64)
        #expect(hmac.bytesPerSecond == 198855600)
        #expect(results.rsa[2048] == .init(sign: 3173.809524, verify: 53906.315789))
        #expect(results.ecdsa[256] == .init(sign: 47457.291667, verify: 13243.298969))
        #expect(results.ecdsa[384]?.verify == 998.947368)
        #expect(results.ecdh[256] == 18093.75)
        #expect(results.ecdh[384] == 1036.144578)
        #expect(results.ecdh[253] == 25866.666667)
        #expect(results.eddsa["Ed25519"] == .init(sign: 20308.247423, verify: 9136.082474))
        #expect(results.ffdh[2048] == 3550)
    }

    @Test("The parser skips what it does not know and survives garbage")
    func parserRobustness() {
        #expect(OpenSSLSpeed.Results.parse("").isEmpty)
        #expect(OpenSSLSpeed.Results.parse("speed: Unknown algorithm foo\n+F5:x\n+F:1:AES:1.0\n+F2:1:2048:abc:1").isEmpty)
        // Later OpenSSL versions append fields; a cipher name may contain ':'.
        let results = OpenSSLSpeed.Results.parse("+H:16:64\n+F:1:odd:name:10.5:20.5\n+F2:2:2048:1000:40000:0:0\n")
        #expect(results.throughput.map(\.name) == ["odd:name", "odd:name"])
        #expect(results.throughput(bytes: 64)?.bytesPerSecond == 20.5)
        #expect(results.rsa[2048]?.verify == 40000)
    }
}
