import Foundation

/// The hex dumps of a charon log at level 4 (`Tests/Fixtures/keylogs/*.log`), by label,
/// in the order they were printed, and the captured messages of
/// `Tests/Fixtures/messages/*.hex`:
///
/// ```
/// 04:32:47.400 11[IKE] <lab|1> Sk_ei secret => 36 bytes @ 0x7f0f74011160
/// 04:32:47.400 11[IKE] <lab|1>    0: FA 4C EC 97 ...  .L..$..W$....Z&.
/// ```
public struct CharonKeyLog: Sendable {
    /// Every dump under each label, in order.
    public private(set) var dumps: [String: [[UInt8]]] = [:]

    /// `Tests/Fixtures` of this package.
    public static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/Fixtures")

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads `Tests/Fixtures/keylogs/NAME.log`.
    public init(named name: String) throws {
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
    public func value(_ label: String, _ index: Int = 0) throws -> [UInt8] {
        guard let values = dumps[label] else { throw Failure(description: "no '\(label)' in the key log") }
        guard index < values.count else { throw Failure(description: "only \(values.count) '\(label)' dumps") }
        return values[index]
    }

    /// The messages of `Tests/Fixtures/messages/NAME.hex` (`FRAME HEX` per line), by frame.
    public static func messages(_ name: String) throws -> [Int: [UInt8]] {
        let text = try String(contentsOf: fixtures.appendingPathComponent("messages/\(name).hex"), encoding: .utf8)
        var messages: [Int: [UInt8]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2, let frame = Int(fields[0]) else { continue }
            let digits = Array(fields[1].utf8)
            guard digits.count.isMultiple(of: 2) else { throw Failure(description: "odd hex digits in frame \(frame)") }
            messages[frame] = try stride(from: 0, to: digits.count, by: 2).map { index in
                guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                    throw Failure(description: "bad hex in frame \(frame)")
                }
                return byte
            }
        }
        return messages
    }
}
