import Foundation
import Testing

@testable import IKECrypto

/// Helpers for the BoringSSL transform suites (prefixed so they cannot collide with
/// other suites' helpers in this test target).
enum BoringTestSupport {
    /// Bytes from hex, ignoring spaces; an odd or non-hex string gives `[]` and records
    /// an issue.
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") })
        guard digits.count % 2 == 0 else {
            Issue.record("odd hex length: \(text)")
            return []
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else {
                Issue.record("bad hex: \(text)")
                return []
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func hexString(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// Seals `plaintext` in place with `context`; returns ciphertext and ICV.
    static func seal(
        _ context: any AEADContext, iv: [UInt8], aad: [UInt8], plaintext: [UInt8]
    ) throws -> (ciphertext: [UInt8], icv: [UInt8]) {
        var data = plaintext
        var icv = [UInt8](repeating: 0, count: context.icvLength)
        try iv.withUnsafeBytes { iv in
            try aad.withUnsafeBytes { aad in
                try data.withUnsafeMutableBytes { data in
                    try icv.withUnsafeMutableBytes { icv in
                        try context.seal(iv: iv, aad: aad, data: data, icv: icv)
                    }
                }
            }
        }
        return (data, icv)
    }

    /// Opens in place; returns the plaintext.
    static func open(
        _ context: any AEADContext, iv: [UInt8], aad: [UInt8], ciphertext: [UInt8], icv: [UInt8]
    ) throws(IKECryptoError) -> [UInt8] {
        var data = ciphertext
        let outcome: Result<Void, IKECryptoError> = iv.withUnsafeBytes { iv in
            aad.withUnsafeBytes { aad in
                data.withUnsafeMutableBytes { data in
                    icv.withUnsafeBytes { icv in
                        Result { () throws(IKECryptoError) in try context.open(iv: iv, aad: aad, data: data, icv: icv) }
                    }
                }
            }
        }
        try outcome.get()
        return data
    }

    /// Runs a cipher context over a copy of `data`.
    static func crypt(
        _ context: any CipherContext, encrypt: Bool, iv: [UInt8], data input: [UInt8]
    ) throws(IKECryptoError) -> [UInt8] {
        var data = input
        let outcome: Result<Void, IKECryptoError> = iv.withUnsafeBytes { iv in
            data.withUnsafeMutableBytes { data in
                Result { () throws(IKECryptoError) in
                    if encrypt { try context.encrypt(iv: iv, data: data) } else { try context.decrypt(iv: iv, data: data) }
                }
            }
        }
        try outcome.get()
        return data
    }

    /// Marks an error that is not an ``IKECryptoError``.
    static let foreignError = IKECryptoError.Code(rawValue: 0xFFFF)

    /// The error code `body` throws, or `nil` if it does not throw.
    static func errorCode(_ body: () throws -> Void) -> IKECryptoError.Code? {
        do {
            try body()
            return nil
        } catch let error as IKECryptoError {
            return error.code
        } catch {
            return foreignError
        }
    }
}

/// A deterministic random source (SplitMix64) for the BoringSSL suites.
struct BoringTestRandom: RandomSource {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        for index in 0..<buffer.count {
            if index % 8 == 0 { state &+= 0x9E37_79B9_7F4A_7C15 }
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            buffer[index] = UInt8(truncatingIfNeeded: z >> (8 * UInt64(index % 8)))
        }
    }
}
