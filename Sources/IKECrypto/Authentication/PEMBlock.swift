/// One PEM block (RFC 7468): a label and the DER it carries.
///
/// The parser is strict where it matters for keys: matching BEGIN/END labels, the standard
/// base64 alphabet (RFC 4648 §4) with padding only at the end and no stray bits, and no
/// encapsulated headers, except that the RFC 1421 `Proc-Type: 4,ENCRYPTED` header of
/// legacy encrypted keys is recognised so the error can say what it is. Text outside the
/// blocks is ignored (RFC 7468 §2: "Data before the encapsulation boundaries are permitted").
struct PEMBlock: Sendable {
    var label: String
    var der: [UInt8]

    /// Whether the block held an RFC 1421 `Proc-Type: 4,ENCRYPTED` header.
    var isLegacyEncrypted: Bool

    /// Every block in `text`, in order.
    static func parseAll(_ text: String) throws(IKECryptoError) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var current: (label: String, body: [Substring], encrypted: Bool, headers: Bool)?
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for rawLine in lines {
            let line = rawLine.trimmingWhitespace()
            if var block = current {
                if line.hasPrefix("-----END ") {
                    guard line.hasSuffix("-----"), line.count >= 14 else { throw invalid("malformed END line") }
                    let label = String(line.dropFirst(9).dropLast(5))
                    guard label == block.label else {
                        throw invalid("END label \"\(label)\" does not match BEGIN \"\(block.label)\"")
                    }
                    if block.encrypted {
                        blocks.append(PEMBlock(label: label, der: [], isLegacyEncrypted: true))
                    } else {
                        guard !block.headers else { throw invalid("unexpected PEM header lines") }
                        let der = try Base64.decode(block.body.joined())
                        guard !der.isEmpty else { throw invalid("empty \(label) block") }
                        blocks.append(PEMBlock(label: label, der: der, isLegacyEncrypted: false))
                    }
                    current = nil
                } else if line.hasPrefix("-----") {
                    throw invalid("BEGIN line inside the \"\(block.label)\" block")
                } else if line.contains(":") {
                    // RFC 1421 headers, as in `Proc-Type: 4,ENCRYPTED` / `DEK-Info: ...`.
                    if line.hasPrefix("Proc-Type:"), line.contains("ENCRYPTED") { block.encrypted = true }
                    block.headers = true
                    current = block
                } else if !line.isEmpty {
                    block.body.append(line)
                    current = block
                }
            } else if line.hasPrefix("-----BEGIN ") {
                guard line.hasSuffix("-----"), line.count >= 16 else { throw invalid("malformed BEGIN line") }
                current = (String(line.dropFirst(11).dropLast(5)), [], false, false)
            }
        }
        if let block = current { throw invalid("no END line for \"\(block.label)\"") }
        guard !blocks.isEmpty else { throw invalid("no PEM block found") }
        return blocks
    }

    private static func invalid(_ message: String) -> IKECryptoError {
        IKECryptoError(.invalidKey, "PEM: \(message)")
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var slice = self
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return slice
    }
}

/// Strict base64 (RFC 4648 §4): the standard alphabet, length a multiple of four, `=` only
/// as the final one or two characters, and the unused bits of the last group zero
/// (RFC 4648 §3.5: "decoders MAY chose to reject an encoding if the pad bits have not been
/// set to zero" — we do, so each DER has exactly one PEM text).
enum Base64 {
    static func decode(_ text: String) throws(IKECryptoError) -> [UInt8] {
        let characters = Array(text.utf8)
        guard characters.count % 4 == 0 else { throw invalid("length \(characters.count) is not a multiple of 4") }
        var output: [UInt8] = []
        output.reserveCapacity(characters.count / 4 * 3)
        var groupStart = 0
        while groupStart < characters.count {
            let isLast = groupStart + 4 == characters.count
            var values: [UInt8] = []
            var padding = 0
            for offset in 0..<4 {
                let character = characters[groupStart + offset]
                if character == UInt8(ascii: "=") {
                    guard isLast, offset >= 2 else { throw invalid("misplaced padding") }
                    padding += 1
                } else {
                    guard padding == 0, let value = value(of: character) else {
                        throw invalid("invalid character at offset \(groupStart + offset)")
                    }
                    values.append(value)
                }
            }
            switch values.count {
            case 4:
                output.append(values[0] << 2 | values[1] >> 4)
                output.append(values[1] << 4 | values[2] >> 2)
                output.append(values[2] << 6 | values[3])
            case 3:
                guard values[2] & 0x03 == 0 else { throw invalid("non-zero pad bits") }
                output.append(values[0] << 2 | values[1] >> 4)
                output.append(values[1] << 4 | values[2] >> 2)
            case 2:
                guard values[1] & 0x0F == 0 else { throw invalid("non-zero pad bits") }
                output.append(values[0] << 2 | values[1] >> 4)
            default:
                throw invalid("misplaced padding")
            }
            groupStart += 4
        }
        return output
    }

    private static func value(of character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }

    private static func invalid(_ message: String) -> IKECryptoError {
        IKECryptoError(.invalidKey, "PEM base64: \(message)")
    }
}
