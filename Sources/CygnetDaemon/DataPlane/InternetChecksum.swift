/// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of
/// 16-bit big-endian words.
enum InternetChecksum {
    /// Adds `bytes` to a running 64-bit sum (of 32-bit big-endian words; a trailing odd
    /// byte is the high byte of a word). `bytes` must start at an even offset of the
    /// checksummed data.
    static func add(_ bytes: UnsafeRawBufferPointer, to sum: UInt64 = 0) -> UInt64 {
        var sum = sum
        var index = 0
        let count = bytes.count
        while index + 4 <= count {
            sum &+= UInt64(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self)))
            index += 4
        }
        if index + 2 <= count {
            sum &+= UInt64(bytes[index]) << 8 | UInt64(bytes[index + 1])
            index += 2
        }
        if index < count { sum &+= UInt64(bytes[index]) << 8 }
        return sum
    }

    /// The checksum field's value for a running sum: folded to 16 bits and complemented.
    static func finish(_ sum: UInt64) -> UInt16 {
        var folded = sum
        while folded >> 16 != 0 { folded = (folded & 0xFFFF) + (folded >> 16) }
        return ~UInt16(folded)
    }
}
