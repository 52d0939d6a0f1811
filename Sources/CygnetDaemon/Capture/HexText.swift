/// Lower-case hexadecimal text for bytes.
enum HexText {
    private static let digits = Array("0123456789abcdef")

    /// The bytes as contiguous lower-case hex, e.g. `9c0e115e`.
    static func string(_ bytes: some Sequence<UInt8>) -> String {
        var text = ""
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }

    /// A 64-bit value as 16 hex digits.
    static func string(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 16 - text.count)) + text
    }

    /// At most `limit` bytes as hex, with `…` when cut.
    static func abbreviated(_ bytes: [UInt8], limit: Int = 32) -> String {
        bytes.count > limit ? string(bytes.prefix(limit)) + "…" : string(bytes)
    }
}
