/// Hex digits as EAP methods carry bytes in text: MS-CHAPv2's `S=` and `C=` fields
/// (RFC 2759 §5, §6, upper case), and the key log lines swift-nio-ssl writes.
enum HexDigits {
    /// Upper-case hex.
    static func upper(_ bytes: [UInt8]) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }
    }

    /// Bytes from hex digits of either case; `nil` for an odd count or another character.
    static func bytes(_ digits: [UInt8]) -> [UInt8]? {
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// Decodes `digits` into `output`, which holds exactly half as many octets; `false`
    /// for a count that does not fit or another character. For secrets, which must not
    /// pass through a plain array.
    static func decode(_ digits: some Collection<UInt8>, into output: UnsafeMutableRawBufferPointer) -> Bool {
        guard digits.count == output.count * 2 else { return false }
        var index = digits.startIndex
        for offset in 0..<output.count {
            let next = digits.index(after: index)
            guard let high = nibble(digits[index]), let low = nibble(digits[next]) else { return false }
            output[offset] = high << 4 | low
            index = digits.index(after: next)
        }
        return true
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
