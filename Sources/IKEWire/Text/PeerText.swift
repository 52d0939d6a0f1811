/// Text a peer chose (identities, names in its certificates, anything derived from a
/// datagram) made fit for one log line: control characters and the characters that
/// reorder or hide text on a terminal are escaped, invalid UTF-8 shows as U+FFFD, and
/// long values are cut with their length in bytes.
///
/// Escapes are `\xNN` for the C0 controls and DEL and `\u{NNNN}` for the others; a
/// backslash is left as it is, so escaping text twice changes nothing.
public enum PeerText {
    /// The characters of text kept before it is cut, unless a caller says otherwise.
    public static let defaultLimit = 256

    /// `bytes` as UTF-8, escaped and cut after `limit` characters of output.
    public static func escaped(_ bytes: some Collection<UInt8>, limit: Int = defaultLimit) -> String {
        let cut = bytes.count > limit * 4 ? bytes.prefix(limit * 4) : bytes[...]
        return escaped(String(decoding: cut, as: UTF8.self), limit: limit, byteCount: bytes.count)
    }

    /// `text`, escaped and cut after `limit` characters of output.
    public static func escaped(_ text: some StringProtocol, limit: Int = defaultLimit) -> String {
        escaped(text, limit: limit, byteCount: text.utf8.count)
    }

    /// `bytes` as hex, cut after `limit` bytes with the length; for values that are not
    /// text.
    public static func hex(_ bytes: some Collection<UInt8>, limit: Int = defaultLimit / 2) -> String {
        bytes.count > limit ? HexText.string(bytes.prefix(limit)) + "…(\(bytes.count) bytes)" : HexText.string(bytes)
    }

    private static func escaped(_ text: some StringProtocol, limit: Int, byteCount: Int) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            let piece = needsEscape(scalar) ? escape(scalar) : String(scalar)
            guard count + piece.count <= limit else { return result + "…(\(byteCount) bytes)" }
            result += piece
            count += piece.count
        }
        return result
    }

    /// Controls (C0, DEL, C1), the bidirectional embeddings, overrides and isolates, and
    /// the line and paragraph separators.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16)
        return scalar.value < 0x80 ? "\\x" + (digits.count < 2 ? "0" : "") + digits : "\\u{\(digits)}"
    }
}
