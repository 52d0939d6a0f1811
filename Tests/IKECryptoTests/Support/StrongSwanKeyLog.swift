import Foundation
import IKECrypto
import Testing

/// The hex dumps of a charon log at level 4 (`Tests/Fixtures/keylogs/*.log`), by label,
/// in the order they were printed:
///
/// ```
/// 04:32:47.400 11[IKE] <lab|1> Sk_ei secret => 36 bytes @ 0x7f0f74011160
/// 04:32:47.400 11[IKE] <lab|1>    0: FA 4C EC 97 ...  .L..$..W$....Z&.
/// ```
struct StrongSwanKeyLog {
    private(set) var dumps: [String: [[UInt8]]] = [:]

    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    init(named name: String) throws {
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("keylogs/\(name).log"), encoding: .utf8)
        let header = try Regex(#"\] <[^>]*> (.*) => ([0-9]+) bytes @"#)
        let row = try Regex(#"\] <[^>]*>\s+[0-9]+: ((?:[0-9A-F]{2} ){1,16})"#)
        var label: String?
        var remaining = 0
        var bytes: [UInt8] = []
        for line in text.split(separator: "\n") {
            if remaining > 0, let match = line.firstMatch(of: row), let hex = match.output[1].substring {
                let values = hex.split(separator: " ").prefix(remaining).compactMap { UInt8($0, radix: 16) }
                bytes += values
                remaining -= values.count
                if remaining == 0, let label { dumps[label, default: []].append(bytes) }
                continue
            }
            if let match = line.firstMatch(of: header), let name = match.output[1].substring,
                let count = match.output[2].substring.flatMap({ Int($0) })
            {
                label = String(name)
                remaining = count
                bytes = []
            }
        }
    }

    /// The `index`th dump printed under `label`.
    func value(_ label: String, _ index: Int = 0) throws -> [UInt8] {
        let values = try #require(dumps[label], "no '\(label)' in the key log")
        return try #require(index < values.count ? values[index] : nil, "only \(values.count) '\(label)' dumps")
    }
}

/// The IKE messages extracted from a fixture capture (`Tests/Fixtures/messages`).
enum CapturedMessages {
    static func load(_ name: String) throws -> [Int: [UInt8]] {
        let text = try String(
            contentsOf: StrongSwanKeyLog.fixtures.appendingPathComponent("messages/\(name).hex"), encoding: .utf8)
        var messages: [Int: [UInt8]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2, let frame = Int(fields[0]) else { continue }
            messages[frame] = TestBytes.hex(String(fields[1]))
        }
        return messages
    }
}
