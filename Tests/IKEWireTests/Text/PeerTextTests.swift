import IKEWire
import Testing

@Suite("Peer text: what a peer chose, escaped and cut for one log line")
struct PeerTextTests {
    @Test("Controls and bidirectional overrides are escaped; printable text, backslashes and other scripts are kept")
    func escaping() {
        #expect(PeerText.escaped("a\tb\u{0}\u{1B}[0m\u{7F}") == "a\\x09b\\x00\\x1b[0m\\x7f")
        #expect(PeerText.escaped("x\u{9B}y\u{2028}z\u{202E}w\u{2067}") == "x\\u{9b}y\\u{2028}z\\u{202e}w\\u{2067}")
        #expect(PeerText.escaped("gw-ä.example.org \\ 東京") == "gw-ä.example.org \\ 東京")
        // Escaping twice changes nothing.
        let once = PeerText.escaped("line\nbreak")
        #expect(PeerText.escaped(once) == once)
    }

    @Test("Bytes that are not UTF-8 show as U+FFFD; long values are cut with their length in bytes")
    func bytesAndLength() {
        #expect(PeerText.escaped([0x41, 0xC3, 0x28]) == "A\u{FFFD}(")
        #expect(PeerText.escaped([UInt8](repeating: 0x42, count: 10), limit: 4) == "BBBB…(10 bytes)")
        #expect(PeerText.escaped([UInt8](repeating: 0x0A, count: 10), limit: 8) == "\\x0a\\x0a…(10 bytes)")
        #expect(PeerText.escaped(String(repeating: "é", count: 300)).hasSuffix("…(600 bytes)"))
        #expect(PeerText.hex([1, 2, 3, 4], limit: 2) == "0102…(4 bytes)")
        #expect(PeerText.hex([1, 2]) == "0102")
    }
}
