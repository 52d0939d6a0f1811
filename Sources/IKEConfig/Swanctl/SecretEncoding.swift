/// strongSwan's encodings of secrets in `secrets`: text as written, `0x` followed by
/// hex, or `0s` followed by base64 (swanctl.conf(5), `secrets.ike<suffix>.secret`).
public enum SecretEncoding {
    /// The secret's bytes, or what is wrong with its encoding.
    public static func decode(_ text: String) -> Result<[UInt8], ProposalSyntaxError> {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            let hex = Array(text.unicodeScalars.dropFirst(2))
            guard !hex.isEmpty, hex.count % 2 == 0 else {
                return .failure(ProposalSyntaxError("a 0x secret needs an even, non-zero number of hex digits"))
            }
            var bytes: [UInt8] = []
            var index = 0
            while index < hex.count {
                guard let high = hexValue(hex[index]), let low = hexValue(hex[index + 1]) else {
                    return .failure(ProposalSyntaxError("invalid hex digit in 0x secret", offset: index + 2))
                }
                bytes.append(high << 4 | low)
                index += 2
            }
            return .success(bytes)
        }
        if text.hasPrefix("0s") || text.hasPrefix("0S") {
            guard let bytes = base64(Array(text.unicodeScalars.dropFirst(2))), !bytes.isEmpty else {
                return .failure(ProposalSyntaxError("invalid base64 in 0s secret"))
            }
            return .success(bytes)
        }
        return .success(Array(text.utf8))
    }

    /// Whether the text uses the `0x` or `0s` encoding.
    public static func isEncoded(_ text: String) -> Bool {
        let prefix = text.prefix(2).lowercased()
        return prefix == "0x" || prefix == "0s"
    }

    private static func hexValue(_ c: Unicode.Scalar) -> UInt8? {
        switch c {
        case "0"..."9": UInt8(c.value - 48)
        case "a"..."f": UInt8(c.value - 87)
        case "A"..."F": UInt8(c.value - 55)
        default: nil
        }
    }

    /// Standard base64 (RFC 4648 §4) with optional padding.
    private static func base64(_ scalars: [Unicode.Scalar]) -> [UInt8]? {
        var values: [UInt8] = []
        var padding = 0
        for c in scalars {
            let value: UInt8
            switch c {
            case "A"..."Z": value = UInt8(c.value - 65)
            case "a"..."z": value = UInt8(c.value - 71)
            case "0"..."9": value = UInt8(c.value + 4)
            case "+": value = 62
            case "/": value = 63
            case "=":
                padding += 1
                continue
            default: return nil
            }
            guard padding == 0 else { return nil }
            values.append(value)
        }
        guard padding <= 2, values.count % 4 != 1, (values.count + padding) % 4 == 0 || padding == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = 0
        while index + 1 < values.count {
            let chunk = Array(values[index..<min(index + 4, values.count)])
            bytes.append(chunk[0] << 2 | chunk[1] >> 4)
            if chunk.count > 2 { bytes.append(chunk[1] << 4 | chunk[2] >> 2) }
            if chunk.count > 3 { bytes.append(chunk[2] << 6 | chunk[3]) }
            index += 4
        }
        return bytes
    }
}
