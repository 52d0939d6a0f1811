import IKEConfig
import IKEWire
import Testing

/// A peer's identity reaches log lines, close reasons and `cygnet status` before it is
/// authenticated: whatever bytes it holds, its text is one line of bounded length.
@Suite("Identity text: a peer's IDi/IDr prints as one bounded line (RFC 7296 §3.5)")
struct IKEIdentityTextTests {
    @Test("Control characters and escape sequences print escaped, never raw")
    func controlCharacters() {
        let identity = IKEIdentity(type: .fqdn, data: Array("gw\nFAKE: IKE SA established\u{1B}[31m\r\u{7F}\u{85}".utf8))
        let text = identity.description
        #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(text == "gw\\x0aFAKE: IKE SA established\\x1b[31m\\x0d\\x7f\\u{85}")
        // Bidirectional overrides (which reorder what a terminal shows) are escaped too.
        #expect(IKEIdentity(type: .rfc822Address, data: Array("a\u{202E}b@c".utf8)).description == "a\\u{202e}b@c")
        // Bytes that are not UTF-8 show as the replacement character.
        #expect(IKEIdentity(type: .fqdn, data: [0x61, 0xFF, 0x62]).description == "a\u{FFFD}b")
    }

    @Test("Ordinary identities print as they are")
    func ordinary() {
        #expect(IKEIdentity("gw-a.example.org").description == "gw-a.example.org")
        #expect(IKEIdentity("user@example.org").description == "user@example.org")
        #expect(IKEIdentity("192.0.2.1").description == "192.0.2.1")
        #expect(IKEIdentity(type: .keyID, data: [0x0a, 0x0b]).description == "\(IdentificationType.keyID):0a0b")
    }

    @Test("A 64 KiB identity prints cut, with its length")
    func long() {
        let text = IKEIdentity(type: .fqdn, data: [UInt8](repeating: 0x41, count: 65_000)).description
        #expect(text.count < 300)
        #expect(text.hasPrefix(String(repeating: "A", count: 200)))
        #expect(text.hasSuffix("…(65000 bytes)"))
        let escaped = IKEIdentity(type: .fqdn, data: [UInt8](repeating: 0x0A, count: 65_000)).description
        #expect(escaped.count < 300 && escaped.hasSuffix("…(65000 bytes)"))
        let binary = IKEIdentity(type: .derASN1DN, data: [UInt8](repeating: 0x30, count: 65_000)).description
        #expect(binary.count < 300 && binary.hasSuffix("…(65000 bytes)"))
    }
}
