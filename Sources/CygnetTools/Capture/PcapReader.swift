/// Reads the classic libpcap format: a 24-byte file header, then records of a 16-byte
/// header and the captured bytes (draft-ietf-opsawg-pcap §4, §5).
///
/// Both byte orders and both timestamp resolutions (magic `0xA1B2C3D4` for
/// microseconds, `0xA1B23C4D` for nanoseconds) are accepted.
struct PcapReader {
    static let microsecondMagic: UInt32 = 0xA1B2_C3D4
    static let nanosecondMagic: UInt32 = 0xA1B2_3C4D
    /// A captured length beyond this is treated as a corrupt record rather than allocated.
    static let maximumRecordLength = 0x0400_0000

    private var reader: CaptureByteReader
    private let linkType: UInt32
    private let unitsPerSecond: UInt64
    private var frameCount = 0

    /// Whether `bytes` start with a pcap magic number in either byte order.
    static func matches(_ bytes: [UInt8]) -> Bool {
        let big = CaptureByteReader(bytes)
        guard let magic = big.uint32(at: 0) else { return false }
        return [microsecondMagic, nanosecondMagic].contains(magic)
            || [microsecondMagic, nanosecondMagic].contains(magic.byteSwapped)
    }

    init(_ bytes: [UInt8]) throws(CaptureError) {
        var reader = CaptureByteReader(bytes)
        let magic = try reader.readUInt32("the pcap magic number")
        switch magic {
        case Self.microsecondMagic, Self.microsecondMagic.byteSwapped: unitsPerSecond = 1_000_000
        case Self.nanosecondMagic, Self.nanosecondMagic.byteSwapped: unitsPerSecond = 1_000_000_000
        default: throw CaptureError(.unrecognizedFormat, offset: 0, "not a pcap magic number")
        }
        reader.isLittleEndian = magic != Self.microsecondMagic && magic != Self.nanosecondMagic
        let major = try reader.readUInt16("the pcap file header")
        guard major == 2 else {
            throw CaptureError(.invalidFormat, offset: 4, "pcap major version \(major), expected 2")
        }
        try reader.skip(14, "the pcap file header")  // minor, thiszone, sigfigs, snaplen
        // The link type is the low 16 bits; the high bits may carry FCS information.
        linkType = try reader.readUInt32("the pcap file header") & 0xFFFF
        self.reader = reader
    }

    /// The next frame, `nil` at the end of the file.
    mutating func nextFrame() throws(CaptureError) -> CaptureFrame? {
        guard !reader.isAtEnd else { return nil }
        let recordOffset = reader.position
        let seconds = try reader.readUInt32("a pcap record header")
        let fraction = try reader.readUInt32("a pcap record header")
        let capturedLength = Int(try reader.readUInt32("a pcap record header"))
        _ = try reader.readUInt32("a pcap record header")  // original length
        guard capturedLength <= Self.maximumRecordLength else {
            throw CaptureError(
                .invalidFormat, offset: recordOffset + 8, "captured length \(capturedLength) is implausible")
        }
        let data = try reader.readBytes(capturedLength, "a pcap record")
        frameCount += 1
        let timestamp = CaptureTimestamp(
            units: UInt64(seconds) * unitsPerSecond + UInt64(fraction) % unitsPerSecond, unitsPerSecond: unitsPerSecond)
        return CaptureFrame(number: frameCount, timestamp: timestamp, linkType: linkType, data: Array(data))
    }
}
