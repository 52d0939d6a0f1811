import Testing

@testable import CygnetTools

@Suite("Capture reader: hostile and truncated files never trap")
struct CaptureTruncationTests {
    typealias B = CaptureBuilder

    static let files: [(String, [UInt8])] = {
        let udp = B.udp(source: 500, destination: 500, B.saInitBytes())
        let nat = B.udp(source: 4500, destination: 4500, [0, 0, 0, 0] + B.saInitBytes())
        return [
            ("pcap-le", B.pcap(linkType: 1, frames: [B.ethernet(B.ipv4(udp)), B.ethernet(B.ipv4(nat))])),
            ("pcap-be-ns", B.pcap(linkType: 276, frames: [B.linuxSLL2(B.ipv4(udp))], littleEndian: false, nanoseconds: true)),
            ("pcapng-le", B.pcapng(linkTypes: [1, 229], frames: [(0, B.ethernet(B.ipv4(udp))), (1, B.ipv6(nat))])),
            ("pcapng-be", B.pcapng(linkTypes: [113], frames: [(0, B.linuxSLL(B.ipv4(udp)))], littleEndian: false)),
            ("pcapng-spb", B.pcapng(linkTypes: [101], frames: [(0, B.ipv4(udp))], simple: true)),
        ]
    }()

    @Test("Truncation at every byte offset throws a CaptureError or ends cleanly", arguments: 0..<5)
    func truncation(fileIndex: Int) {
        let (name, file) = Self.files[fileIndex]
        for length in 0..<file.count {
            let prefix = Array(file.prefix(length))
            do {
                var reader = try CaptureReader(bytes: prefix)
                let records = try reader.readAll()
                for record in records { _ = RecordRenderer.render(record) }
            } catch {
                // A typed CaptureError is the expected outcome for most prefixes.
                _ = error.code
            }
            _ = name
        }
        var reader = try? CaptureReader(bytes: file)
        #expect((try? reader?.readAll())??.isEmpty == false)
    }

    @Test("Every single-byte corruption is survived (length fields that lie)", arguments: 0..<5)
    func corruption(fileIndex: Int) {
        let (_, file) = Self.files[fileIndex]
        for index in file.indices {
            for value: UInt8 in [0x00, 0x7F, 0xFF] {
                var corrupt = file
                corrupt[index] = value
                if var reader = try? CaptureReader(bytes: corrupt) {
                    while let record = try? reader.next() { _ = RecordRenderer.render(record) }
                }
            }
        }
    }

    @Test("A packet truncated by the snap length reports a truncated IKE message, not a trap")
    func snapLength() throws {
        let frame = B.ethernet(B.ipv4(B.udp(source: 500, destination: 500, B.saInitBytes())))
        let cut = Array(frame.prefix(frame.count - 30))
        var reader = try CaptureReader(bytes: B.pcap(linkType: 1, frames: [cut]))
        let records = try reader.readAll()
        #expect(records.count == 1)
        let rendered = try #require(records.first.map(RecordRenderer.render))
        #expect(rendered.kind == .malformed)
    }
}
