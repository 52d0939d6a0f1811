import Foundation
import IKEWire
import NIOCore
import Testing

/// The repository's `Tests/Fixtures` folder, found from this source file.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// One message of a capture: its frame number and bytes.
    struct CapturedMessage: CustomTestStringConvertible, Sendable {
        var capture: String
        var frame: Int
        var bytes: [UInt8]
        var testDescription: String { "\(capture) frame \(frame)" }
    }

    static let captureNames = [
        "psk-x25519-gcm", "psk-modp2048", "multi-proposal-sll2", "cookie", "invalid-ke", "cert-ecdsa", "cert-rsa",
        "frag-rsa4096", "ipv6-psk-sll",
    ]

    /// The messages of `Tests/Fixtures/messages/NAME.hex`.
    static func messages(_ name: String) throws -> [CapturedMessage] {
        let text = try String(contentsOf: root.appendingPathComponent("messages/\(name).hex"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let fields = line.split(separator: " ")
            let frame = try #require(fields.count == 2 ? Int(fields[0]) : nil, "bad line in \(name).hex")
            return CapturedMessage(capture: name, frame: frame, bytes: try hex(fields[1]))
        }
    }

    static var allMessages: [CapturedMessage] {
        get throws { try captureNames.flatMap(messages) }
    }

    static func hex(_ text: Substring) throws -> [UInt8] {
        let digits = Array(text.utf8)
        try #require(digits.count.isMultiple(of: 2))
        return try stride(from: 0, to: digits.count, by: 2).map { index in
            try #require(UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16))
        }
    }
}
