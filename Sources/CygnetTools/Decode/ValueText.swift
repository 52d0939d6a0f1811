import IKEWire

/// Readable forms of payload values: printable strings, configuration attribute
/// values, integers.
enum ValueText {
    /// The bytes as a string when they are printable UTF-8 without control characters.
    static func printable(_ bytes: [UInt8]) -> String? {
        guard let text = String(validating: bytes, as: UTF8.self),
            text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F })
        else { return nil }
        return text
    }

    /// A big-endian unsigned integer from up to 8 bytes.
    static func integer(_ bytes: some Collection<UInt8>) -> UInt64? {
        guard !bytes.isEmpty, bytes.count <= 8 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// RFC 7296 §3.15.1 and RFC 4306: addresses and netmasks in text, IPv6 addresses with
    /// their prefix length, strings as strings, other values as hex.
    static func configurationValue(_ type: ConfigurationAttributeType, _ value: [UInt8]) -> String {
        switch (type.rawValue, value.count) {
        case (1, 4), (2, 4), (3, 4), (4, 4), (6, 4), (20, 4), (10, 16), (12, 16), (21, 16):
            return IPAddressText.format(value)
        case (13, 8):
            return IPAddressText.format(value.prefix(4)) + "/" + IPAddressText.format(value.suffix(4))
        case (8, 17), (15, 17), (18, 17):
            return IPAddressText.format(value.prefix(16)) + "/\(value[16])"
        case (7, _), (25, _):
            return printable(value).map { "\"\($0)\"" } ?? HexText.string(value)
        case (14, _) where value.count.isMultiple(of: 2):
            return stride(from: 0, to: value.count, by: 2).map {
                ConfigurationAttributeType(rawValue: UInt16(value[$0]) << 8 | UInt16(value[$0 + 1])).description
            }.joined(separator: " ")
        default:
            return HexText.string(value)
        }
    }
}
