/// The non-cryptographic mixing function behind the insecure transforms: FNV-1a over
/// bytes with a per-lane offset, finished with SplitMix64's avalanche. Deterministic and
/// fast; trivially invertible and forgeable. ⚠️ Test-only.
enum InsecureMix {
    struct State {
        var value: UInt64

        init(lane: UInt64) { value = 0xcbf2_9ce4_8422_2325 ^ (lane &* 0x9E37_79B9_7F4A_7C15) }

        mutating func absorb(_ bytes: UnsafeRawBufferPointer) {
            for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        }

        mutating func absorb(length: Int) {
            var length = UInt64(truncatingIfNeeded: length)
            withUnsafeBytes(of: &length) { absorb($0) }
        }

        var finished: UInt64 {
            var z = value
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// `count` bytes mixed from `parts` (each length-prefixed, so boundaries matter).
    static func digest(_ parts: [UnsafeRawBufferPointer], count: Int, into output: UnsafeMutableRawBufferPointer) {
        var index = 0
        var lane: UInt64 = 0
        while index < count {
            var state = State(lane: lane)
            for part in parts {
                state.absorb(length: part.count)
                state.absorb(part)
            }
            var word = state.finished
            for _ in 0..<min(8, count - index) {
                output[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
            lane += 1
        }
    }
}
