/// Text forms of IP addresses, as found in captures, IKE payloads and configurations.
public enum IPAddressText {
    /// Dotted quad for 4 bytes, RFC 5952 text for 16 bytes, hex otherwise.
    public static func format(_ bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        switch bytes.count {
        case 4:
            return bytes.map(String.init).joined(separator: ".")
        case 16:
            return formatIPv6(bytes)
        default:
            return HexText.string(bytes)
        }
    }

    /// RFC 5952 §4: lower case, leading zeros dropped, the longest run (of two or more)
    /// of zero groups replaced by `::`, the first such run on a tie.
    private static func formatIPv6(_ bytes: [UInt8]) -> String {
        var groups: [UInt16] = []
        for index in stride(from: 0, to: 16, by: 2) {
            groups.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
        }
        var bestStart = -1
        var bestLength = 0
        var runStart = -1
        for (index, group) in groups.enumerated() {
            if group == 0 {
                if runStart < 0 { runStart = index }
                let length = index - runStart + 1
                if length > bestLength {
                    bestLength = length
                    bestStart = runStart
                }
            } else {
                runStart = -1
            }
        }
        let text = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return text.joined(separator: ":") }
        let head = text[0..<bestStart].joined(separator: ":")
        let tail = text[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}
