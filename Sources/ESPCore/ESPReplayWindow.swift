/// The receiver's sliding anti-replay window (RFC 4303 §3.4.3), a bitmap of ``size``
/// sequence numbers ending at the highest authenticated one, with the inference of the
/// ESN high-order bits of RFC 4303 Appendix A.
///
/// Use it in two steps, as §3.4.3 orders: ``check(_:)`` before the ICV is verified (it
/// infers the full sequence number and rejects duplicates and packets left of the
/// window), then ``accept(_:)`` only once the ICV verified: "The receive window is
/// updated only if the ICV verification succeeds."
public struct ESPReplayWindow: Hashable, Sendable {
    /// The number of sequence numbers the window covers (a multiple of 64).
    public let size: Int
    /// Whether the sequence numbers are 64-bit (ESN, RFC 4303 §2.2.1).
    public let usesExtendedSequenceNumbers: Bool
    /// The highest sequence number authenticated so far (0 before the first packet).
    public private(set) var top: UInt64 = 0
    /// Bit `n % size` is set when sequence number `n` (within the window) was received.
    private var bitmap: [UInt64]

    /// The smallest window accepted; RFC 4303 §3.4.3 asks for at least 32 (64 with ESN),
    /// Cygnet's default is 1024.
    public static let defaultSize = 1024

    /// - Parameters:
    ///   - size: packets covered; rounded up to a multiple of 64, at least 64.
    ///   - usesExtendedSequenceNumbers: whether the SA negotiated ESN.
    public init(size: Int = ESPReplayWindow.defaultSize, usesExtendedSequenceNumbers: Bool) {
        let words = max(1, (max(size, 64) + 63) / 64)
        self.size = words * 64
        self.usesExtendedSequenceNumbers = usesExtendedSequenceNumbers
        bitmap = [UInt64](repeating: 0, count: words)
    }

    /// The full sequence number of a packet whose header carries `low`, if the window
    /// would accept it.
    ///
    /// Without ESN the sequence number is `low`. With ESN the high-order 32 bits are
    /// inferred as RFC 4303 Appendix A.2.2 says, with `Tl`, `Th` the low and high halves of
    /// ``top`` and `W` the window size:
    ///
    /// - Case A (`Tl >= W - 1`): `Seql >= Tl - W + 1` gives `Seqh = Th`, else `Th + 1`.
    /// - Case B (`Tl < W - 1`): `Seql >= Tl - W + 1` (modulo 2^32) gives `Seqh = Th - 1`,
    ///   else `Th`.
    ///
    /// - Throws: ``ESPError/Code/replayed`` for a duplicate, ``ESPError/Code/tooOld`` for a
    ///   sequence number left of the window (or 0, which no sender uses: §3.3.3, "the
    ///   first packet sent using a given SA will contain a sequence number of 1").
    public func check(_ low: UInt32) throws(ESPError) -> UInt64 {
        let sequence: UInt64
        if usesExtendedSequenceNumbers {
            let topLow = UInt32(truncatingIfNeeded: top)
            let topHigh = UInt32(truncatingIfNeeded: top >> 32)
            let windowMinusOne = UInt32(size - 1)
            if topLow >= windowMinusOne {
                // Case A: the window lies within one sequence-number subspace.
                if low >= topLow - windowMinusOne {
                    sequence = UInt64(topHigh) << 32 | UInt64(low)
                } else {
                    // Th + 1 beyond 2^32 - 1 cannot occur: the sender stops at 2^64 - 1.
                    guard topHigh < UInt32.max else { throw ESPError(.tooOld, "sequence number space ended") }
                    sequence = UInt64(topHigh + 1) << 32 | UInt64(low)
                }
            } else {
                // Case B: the window spans two subspaces.
                if low >= topLow &- windowMinusOne {
                    guard topHigh > 0 else { throw ESPError(.tooOld, "before the first subspace") }
                    sequence = UInt64(topHigh - 1) << 32 | UInt64(low)
                } else {
                    sequence = UInt64(topHigh) << 32 | UInt64(low)
                }
            }
        } else {
            sequence = UInt64(low)
        }
        guard sequence != 0 else { throw ESPError(.tooOld, "sequence number 0") }
        if sequence > top { return sequence }
        guard top - sequence < UInt64(size) else { throw ESPError(.tooOld) }
        guard !isSet(sequence) else { throw ESPError(.replayed) }
        return sequence
    }

    /// Records an authenticated sequence number (from ``check(_:)``), sliding the window
    /// right when it is the new highest.
    public mutating func accept(_ sequence: UInt64) {
        if sequence > top {
            let advance = sequence - top
            if advance >= UInt64(size) {
                for index in bitmap.indices { bitmap[index] = 0 }
            } else {
                // Counts up to `sequence` without stepping past it: 2^64 - 1 is a valid
                // last ESN sequence number, and one more would trap.
                var cleared = top
                while cleared < sequence {
                    cleared += 1
                    clear(cleared)
                }
            }
            top = sequence
        } else if top - sequence >= UInt64(size) {
            return
        }
        set(sequence)
    }

    /// Whether `sequence` is inside the window and already received.
    public func contains(_ sequence: UInt64) -> Bool {
        guard sequence <= top, top - sequence < UInt64(size) else { return false }
        return isSet(sequence)
    }

    private func position(_ sequence: UInt64) -> (word: Int, mask: UInt64) {
        let bit = Int(sequence % UInt64(size))
        return (bit >> 6, 1 << UInt64(bit & 63))
    }

    private func isSet(_ sequence: UInt64) -> Bool {
        let (word, mask) = position(sequence)
        return bitmap[word] & mask != 0
    }

    private mutating func set(_ sequence: UInt64) {
        let (word, mask) = position(sequence)
        bitmap[word] |= mask
    }

    private mutating func clear(_ sequence: UInt64) {
        let (word, mask) = position(sequence)
        bitmap[word] &= ~mask
    }
}
