import Foundation
import IKECrypto

/// Byte helpers shared by the crypto tests.
enum TestBytes {
    /// Bytes from hex; spaces and newlines are ignored. Test data only: traps on bad input.
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0..<$0 + 2]), radix: 16)! }
    }

    static func hexString(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func secret(_ text: String) -> SecretBytes { SecretBytes(hex(text)) }
}

/// A random source that replays fixed bytes, then zeros: for known-answer tests that
/// need a given private key or IV.
struct ReplayRandomSource: RandomSource {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        for index in 0..<buffer.count {
            buffer[index] = bytes.isEmpty ? 0 : bytes.removeFirst()
        }
    }
}

/// A seeded deterministic source for tests that just need repeatable randomness.
struct SeededRandomSource: RandomSource {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        for index in 0..<buffer.count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            buffer[index] = UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
    }
}
