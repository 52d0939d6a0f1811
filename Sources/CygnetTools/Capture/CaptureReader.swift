import Foundation

/// Reads the IKE traffic in a capture file: classic pcap, pcapng, or a hex dump
/// (chosen by the file's first bytes), yielding one ``CaptureRecord`` per UDP
/// datagram on port 500 or 4500.
///
/// ```swift
/// var reader = try CaptureReader(contentsOf: "handshake.pcapng")
/// while let record = try reader.next() { ... }
/// ```
///
/// A file that stops in mid-record throws ``CaptureError`` after the records before it
/// have been returned, so a caller can show what was readable.
public struct CaptureReader {
    /// The file formats the reader recognises.
    public enum Format: String, Sendable {
        case pcap
        case pcapng
        case hex
    }

    private enum Source {
        case pcap(PcapReader)
        case pcapng(PcapngReader)
        case hex(HexDumpReader)
    }

    /// The format detected from the file's first bytes.
    public let format: Format
    private var source: Source
    private var dissector = PacketDissector()
    private var trailingNotes: [CaptureRecord]?

    /// Detects the format of `bytes` and reads its header.
    public init(bytes: [UInt8]) throws(CaptureError) {
        if PcapngReader.matches(bytes) {
            format = .pcapng
            source = .pcapng(PcapngReader(bytes))
        } else if PcapReader.matches(bytes) {
            format = .pcap
            source = .pcap(try PcapReader(bytes))
        } else {
            format = .hex
            source = .hex(try HexDumpReader(bytes))
        }
    }

    /// Reads the file at `path` and detects its format.
    public init(contentsOf path: String) throws(CaptureError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CaptureError(.unreadable, offset: 0, "cannot read \(path): \(error.localizedDescription)")
        }
        try self.init(bytes: [UInt8](data))
    }

    /// The next IKE-related record, or `nil` at the end of the file.
    public mutating func next() throws(CaptureError) -> CaptureRecord? {
        while true {
            let frame: CaptureFrame?
            switch source {
            case .hex(var reader):
                let record = reader.nextRecord()
                source = .hex(reader)
                return record
            case .pcap(var reader):
                frame = try reader.nextFrame()
                source = .pcap(reader)
            case .pcapng(var reader):
                frame = try reader.nextFrame()
                source = .pcapng(reader)
            }
            guard let frame else { return nextTrailingNote() }
            if let record = dissector.dissect(frame) { return record }
        }
    }

    /// All remaining records.
    public mutating func readAll() throws(CaptureError) -> [CaptureRecord] {
        var records: [CaptureRecord] = []
        while let record = try next() { records.append(record) }
        return records
    }

    private mutating func nextTrailingNote() -> CaptureRecord? {
        var notes = trailingNotes ?? dissector.incompleteDatagramNotes()
        defer { trailingNotes = notes }
        return notes.isEmpty ? nil : notes.removeFirst()
    }
}
