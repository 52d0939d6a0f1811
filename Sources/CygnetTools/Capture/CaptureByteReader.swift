/// A bounds-checked cursor over the bytes of a capture file or a captured frame.
///
/// Every read returns `nil` (or throws a ``CaptureError``) instead of trapping, so a
/// hostile capture cannot crash the decoder.
struct CaptureByteReader {
    let bytes: [UInt8]
    /// Index of the next unread byte.
    var position: Int
    /// One past the last byte this reader may read.
    let end: Int
    /// Whether multi-byte integers are little-endian.
    var isLittleEndian: Bool

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil, littleEndian: Bool = false) {
        self.bytes = bytes
        let limit = min(max(end ?? bytes.count, 0), bytes.count)
        self.position = min(max(start, 0), limit)
        self.end = limit
        self.isLittleEndian = littleEndian
    }

    var remaining: Int { end - position }
    var isAtEnd: Bool { position >= end }

    /// The byte at `index` (absolute), if inside this reader's range.
    func byte(at index: Int) -> UInt8? {
        guard index >= 0, index < end else { return nil }
        return bytes[index]
    }

    /// An unsigned integer of `width` bytes at absolute `index`, in this reader's byte order.
    func integer(at index: Int, width: Int) -> UInt64? {
        guard width > 0, width <= 8, index >= 0, index <= end - width else { return nil }
        var value: UInt64 = 0
        for offset in 0..<width {
            let byte = UInt64(bytes[isLittleEndian ? index + width - 1 - offset : index + offset])
            value = value << 8 | byte
        }
        return value
    }

    func uint16(at index: Int) -> UInt16? { integer(at: index, width: 2).map { UInt16(truncatingIfNeeded: $0) } }
    func uint32(at index: Int) -> UInt32? { integer(at: index, width: 4).map { UInt32(truncatingIfNeeded: $0) } }

    /// Reads an integer of `width` bytes, or throws ``CaptureError/Code/truncated`` naming `what`.
    mutating func read(_ width: Int, _ what: String) throws(CaptureError) -> UInt64 {
        guard let value = integer(at: position, width: width) else {
            throw CaptureError(.truncated, offset: position, "file ends inside \(what)")
        }
        position += width
        return value
    }

    mutating func readUInt16(_ what: String) throws(CaptureError) -> UInt16 {
        UInt16(truncatingIfNeeded: try read(2, what))
    }

    mutating func readUInt32(_ what: String) throws(CaptureError) -> UInt32 {
        UInt32(truncatingIfNeeded: try read(4, what))
    }

    /// Reads `count` bytes, or throws ``CaptureError/Code/truncated`` naming `what`.
    mutating func readBytes(_ count: Int, _ what: String) throws(CaptureError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw CaptureError(.truncated, offset: position, "file ends inside \(what) (\(count) bytes announced)")
        }
        defer { position += count }
        return bytes[position..<position + count]
    }

    /// Skips `count` bytes, or throws ``CaptureError/Code/truncated`` naming `what`.
    mutating func skip(_ count: Int, _ what: String) throws(CaptureError) {
        _ = try readBytes(count, what)
    }
}
