import Foundation
import IKEWire
import NIOCore
import Testing

@testable import CygnetTools

/// Decodes the strongSwan captures in `Tests/Fixtures/captures`.
@Suite("Fixture captures from strongSwan decode without error")
struct FixtureCaptureTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/captures")

    static var captures: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
    }

    /// IKE messages per capture as tshark counted them (`tshark -r F -Y isakmp | wc -l`)
    /// when the fixtures were made; used when tshark is not installed.
    static let expectedCounts: [String: Int] = [
        "cert-ecdsa.pcapng": 6, "cert-rsa.pcap": 6, "cookie.pcapng": 14, "frag-rsa4096.pcapng": 20,
        "invalid-ke.pcap": 8, "ipv6-psk-sll.pcap": 6, "multi-proposal-sll2.pcapng": 6, "psk-modp2048.pcap": 6,
        "psk-x25519-gcm.pcapng": 6,
    ]

    /// tshark's count of IKE messages, or `nil` when tshark is not installed.
    static func tsharkCount(_ path: String) -> Int? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tshark", "-n", "-r", path, "-Y", "isakmp", "-T", "fields", "-e", "frame.number"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").count
    }

    @Test("At least one fixture capture is present")
    func present() {
        #expect(!Self.captures.isEmpty)
    }

    @Test("Every IKE message in every fixture decodes, and the count matches tshark", arguments: captures)
    func decodesEveryMessage(name: String) throws {
        let path = Self.directory.appendingPathComponent(name).path
        var reader = try CaptureReader(contentsOf: path)
        let records = try reader.readAll()
        var ikeCount = 0
        for record in records {
            guard case .ike(let buffer) = record.content else { continue }
            ikeCount += 1
            do {
                _ = try IKEMessage(decoding: buffer)
            } catch {
                Issue.record("\(name) frame \(record.frameNumber): \(error)")
            }
        }
        let expected = Self.tsharkCount(path) ?? Self.expectedCounts[name]
        if let expected {
            #expect(ikeCount == expected, "\(name)")
        }
        #expect(ikeCount > 0)
    }
}
