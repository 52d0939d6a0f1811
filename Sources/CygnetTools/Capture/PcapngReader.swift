/// Reads the pcapng format (draft-ietf-opsawg-pcapng): sections opened by a Section
/// Header Block that fixes the byte order, Interface Description Blocks that give each
/// interface's link type and timestamp resolution, and packets in Enhanced, Simple or
/// (obsolete) Packet Blocks. Blocks of other types are skipped.
struct PcapngReader {
    static let sectionHeaderType: UInt32 = 0x0A0D_0D0A
    static let byteOrderMagic: UInt32 = 0x1A2B_3C4D
    static let interfaceDescriptionType: UInt32 = 1
    static let obsoletePacketType: UInt32 = 2
    static let simplePacketType: UInt32 = 3
    static let enhancedPacketType: UInt32 = 6

    private struct Interface {
        var linkType: UInt32
        var unitsPerSecond: UInt64 = 1_000_000
        var offsetSeconds: Int64 = 0
    }

    private var reader: CaptureByteReader
    private var interfaces: [Interface] = []
    private var isInSection = false
    private var frameCount = 0

    /// Whether `bytes` start with a Section Header Block.
    static func matches(_ bytes: [UInt8]) -> Bool {
        CaptureByteReader(bytes).uint32(at: 0) == sectionHeaderType
    }

    init(_ bytes: [UInt8]) {
        reader = CaptureByteReader(bytes)
    }

    /// The next packet, `nil` at the end of the file.
    mutating func nextFrame() throws(CaptureError) -> CaptureFrame? {
        while !reader.isAtEnd {
            let start = reader.position
            let type = try reader.readUInt32("a pcapng block header")
            if type == Self.sectionHeaderType {
                try startSection(at: start)
            } else if !isInSection {
                throw CaptureError(.invalidFormat, offset: start, "pcapng file does not start with a Section Header Block")
            }
            let length = Int(try reader.readUInt32("a pcapng block header"))
            guard length >= 12, length.isMultiple(of: 4) else {
                throw CaptureError(.invalidFormat, offset: start + 4, "block length \(length)")
            }
            guard length <= reader.remaining + 8 else {
                throw CaptureError(.truncated, offset: start, "file ends inside a \(length)-byte pcapng block")
            }
            reader.position = start + length
            guard reader.uint32(at: start + length - 4) == UInt32(length) else {
                throw CaptureError(.invalidFormat, offset: start + length - 4, "trailing block length differs")
            }
            var body = CaptureByteReader(
                reader.bytes, from: start + 8, to: start + length - 4, littleEndian: reader.isLittleEndian)
            switch type {
            case Self.interfaceDescriptionType:
                try addInterface(&body)
            case Self.enhancedPacketType:
                return try enhancedPacket(&body)
            case Self.simplePacketType:
                return try simplePacket(&body)
            case Self.obsoletePacketType:
                return try obsoletePacket(&body)
            default:
                continue
            }
        }
        return nil
    }

    /// Section Header Block: the byte-order magic after the length tells the section's
    /// byte order; interfaces are numbered afresh in each section.
    private mutating func startSection(at start: Int) throws(CaptureError) {
        guard let magic = reader.uint32(at: start + 8) else {
            throw CaptureError(.truncated, offset: start + 8, "file ends inside a Section Header Block")
        }
        switch magic {
        case Self.byteOrderMagic: break
        case Self.byteOrderMagic.byteSwapped: reader.isLittleEndian.toggle()
        default: throw CaptureError(.invalidFormat, offset: start + 8, "bad pcapng byte-order magic")
        }
        interfaces = []
        isInSection = true
    }

    private mutating func addInterface(_ body: inout CaptureByteReader) throws(CaptureError) {
        let offset = body.position
        var interface = Interface(linkType: UInt32(try body.readUInt16("an Interface Description Block")))
        try body.skip(6, "an Interface Description Block")  // reserved, snaplen
        while body.remaining >= 4 {
            let code = try body.readUInt16("an option")
            let length = Int(try body.readUInt16("an option"))
            let valueStart = body.position
            // A malformed option list ends the options; the interface itself is usable.
            guard (length + 3) & ~3 <= body.remaining else { break }
            body.position += (length + 3) & ~3
            switch code {
            case 0:
                body.position = body.end
            case 9 where length >= 1:
                // if_tsresol: "If the Most Significant Bit is equal to zero, the remaining
                // bits indicates the resolution ... as a negative power of 10", else of 2.
                let value = body.byte(at: valueStart) ?? 6
                let exponent = UInt64(value & 0x7F)
                if value & 0x80 == 0 {
                    interface.unitsPerSecond = exponent <= 19 ? (0..<exponent).reduce(1) { result, _ in result * 10 } : 1
                } else {
                    interface.unitsPerSecond = exponent <= 63 ? 1 << exponent : 1
                }
            case 14 where length >= 8:
                interface.offsetSeconds = Int64(bitPattern: body.integer(at: valueStart, width: 8) ?? 0)
            default:
                break
            }
        }
        guard interfaces.count < 0x1_0000 else {
            throw CaptureError(.invalidFormat, offset: offset, "too many interfaces")
        }
        interfaces.append(interface)
    }

    private func interface(_ id: Int, at offset: Int) throws(CaptureError) -> Interface {
        guard id >= 0, id < interfaces.count else {
            throw CaptureError(.invalidFormat, offset: offset, "packet names interface \(id), which was not described")
        }
        return interfaces[id]
    }

    private mutating func enhancedPacket(_ body: inout CaptureByteReader) throws(CaptureError) -> CaptureFrame {
        let offset = body.position
        let interface = try interface(Int(try body.readUInt32("an Enhanced Packet Block")), at: offset)
        let high = UInt64(try body.readUInt32("an Enhanced Packet Block"))
        let low = UInt64(try body.readUInt32("an Enhanced Packet Block"))
        let capturedLength = Int(try body.readUInt32("an Enhanced Packet Block"))
        _ = try body.readUInt32("an Enhanced Packet Block")  // original length
        let data = try body.readBytes(capturedLength, "an Enhanced Packet Block's packet data")
        return frame(interface, units: high << 32 | low, data: data)
    }

    private mutating func simplePacket(_ body: inout CaptureByteReader) throws(CaptureError) -> CaptureFrame {
        let offset = body.position
        let interface = try interface(0, at: offset)
        let originalLength = Int(try body.readUInt32("a Simple Packet Block"))
        let data = try body.readBytes(min(originalLength, body.remaining), "a Simple Packet Block")
        frameCount += 1
        return CaptureFrame(number: frameCount, timestamp: nil, linkType: interface.linkType, data: Array(data))
    }

    private mutating func obsoletePacket(_ body: inout CaptureByteReader) throws(CaptureError) -> CaptureFrame {
        let offset = body.position
        let interface = try interface(Int(try body.readUInt16("a Packet Block")), at: offset)
        _ = try body.readUInt16("a Packet Block")  // drops count
        let high = UInt64(try body.readUInt32("a Packet Block"))
        let low = UInt64(try body.readUInt32("a Packet Block"))
        let capturedLength = Int(try body.readUInt32("a Packet Block"))
        _ = try body.readUInt32("a Packet Block")
        let data = try body.readBytes(capturedLength, "a Packet Block's packet data")
        return frame(interface, units: high << 32 | low, data: data)
    }

    private mutating func frame(_ interface: Interface, units: UInt64, data: ArraySlice<UInt8>) -> CaptureFrame {
        frameCount += 1
        var timestamp = CaptureTimestamp(units: units, unitsPerSecond: interface.unitsPerSecond)
        let shifted = Int64(clamping: timestamp.seconds).addingReportingOverflow(interface.offsetSeconds)
        if !shifted.overflow { timestamp.seconds = UInt64(clamping: shifted.partialValue) }
        return CaptureFrame(number: frameCount, timestamp: timestamp, linkType: interface.linkType, data: Array(data))
    }
}
