import IKEWire
import NIOCore

/// Reads IKE messages written as hex text: one message per block of lines, blocks
/// separated by blank lines (or the whole file as one message).
///
/// Whitespace and colons between digits are ignored, as is everything from `#` to the
/// end of a line; a line holding only a comment neither ends nor splits a block. A block
/// that starts with four zero bytes is taken as a UDP/4500 payload and its non-ESP
/// marker (RFC 3948 §2.2) is removed, since an IKE SPIi is never zero.
struct HexDumpReader {
    private var blocks: [(line: Int, bytes: [UInt8])] = []
    private var index = 0

    init(_ bytes: [UInt8]) throws(CaptureError) {
        var current: [UInt8] = []
        var currentLine = 0
        var pendingNibble: UInt8?
        var lineNumber = 0
        for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.prefix { $0 != UInt8(ascii: "#") }
            let isBlank = rawLine.allSatisfy { Self.isSpace($0) }
            if isBlank {
                try Self.finish(&current, &pendingNibble, line: currentLine, into: &blocks)
                continue
            }
            var index = line.startIndex
            while index < line.endIndex {
                let byte = line[index]
                defer { index += 1 }
                if Self.isSpace(byte) || byte == UInt8(ascii: ":") { continue }
                // Tolerate "0x" prefixes.
                if byte == UInt8(ascii: "0"), index + 1 < line.endIndex, line[index + 1] | 0x20 == UInt8(ascii: "x"),
                    pendingNibble == nil
                {
                    index += 1
                    continue
                }
                guard let nibble = Self.nibble(byte) else {
                    throw CaptureError(
                        .unrecognizedFormat, offset: lineNumber,
                        "not pcap, pcapng or hex: line \(lineNumber) holds \(Self.describe(byte))")
                }
                if current.isEmpty, pendingNibble == nil { currentLine = lineNumber }
                if let high = pendingNibble {
                    current.append(high << 4 | nibble)
                    pendingNibble = nil
                } else {
                    pendingNibble = nibble
                }
            }
        }
        try Self.finish(&current, &pendingNibble, line: currentLine, into: &blocks)
        guard !blocks.isEmpty else {
            throw CaptureError(.unrecognizedFormat, offset: 0, "no pcap or pcapng header and no hex digits")
        }
    }

    /// The next message, as a record numbered by its block.
    mutating func nextRecord() -> CaptureRecord? {
        guard index < blocks.count else { return nil }
        defer { index += 1 }
        var bytes = blocks[index].bytes
        if bytes.count > 4, bytes.prefix(4).allSatisfy({ $0 == 0 }) {
            bytes.removeFirst(4)
        }
        return CaptureRecord(frameNumber: index + 1, content: .ike(ByteBuffer(bytes: bytes)))
    }

    private static func finish(
        _ current: inout [UInt8], _ pendingNibble: inout UInt8?, line: Int, into blocks: inout [(line: Int, bytes: [UInt8])]
    ) throws(CaptureError) {
        guard pendingNibble == nil else {
            throw CaptureError(.invalidFormat, offset: line, "the hex block starting on line \(line) has an odd number of digits")
        }
        if !current.isEmpty { blocks.append((line, current)) }
        current = []
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(HexText.string([byte]))"
    }
}
