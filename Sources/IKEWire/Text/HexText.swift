/// Lower-case hexadecimal text: the one spelling of bytes and SPIs in logs, status, key
/// logs and the tools.
public enum HexText {
    private static let digits = Array("0123456789abcdef")

    /// The bytes as contiguous lower-case hex, two digits each, e.g. `9c0e115e`.
    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        var text = ""
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }

    /// An unsigned integer as all its hex digits, leading zeros kept: 16 for an IKE SPI
    /// (`UInt64`), 8 for an ESP SPI (`UInt32`, as `swanctl --list-sas` prints it), 2 for a
    /// byte.
    public static func string<Value: FixedWidthInteger & UnsignedInteger>(_ value: Value) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, Value.bitWidth / 4 - text.count)) + text
    }

    /// At most `limit` bytes as hex, with `…` when cut.
    public static func abbreviated(_ bytes: [UInt8], limit: Int = 32) -> String {
        bytes.count > limit ? string(bytes.prefix(limit)) + "…" : string(bytes)
    }
}
