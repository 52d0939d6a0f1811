import IKEConfig
import Testing
import IKETestSupport

/// Random input never traps the parser or the interpreter: every run ends in a tree, a
/// configuration or a typed error. A failure prints the seed and the input.
@Suite("Settings parser and interpreter under random input")
struct SettingsParserFuzzTests {
    /// Fragments that steer random text into the parser's and interpreter's corners.
    static let pieces = [
        "{", "}", "=", "\"", "\\", "#", "\n", " ", "\t", "\r", "include ", "include *.conf", "include a.conf", "connections",
        "children", "local", "remote", "secrets", "ike-x", "private-k", "cygnet", "log", "proposals", "esp_proposals",
        "aes256gcm16-prfsha256-x25519", "default", "-", ",", "local_ts", "10.0.0.0/8[tcp/80]", "dynamic", "rekey_time",
        "4h", "0x", "0s", "secret", "id", "auth", "psk", "pubkey", "certs", "a.pem", "start_action", "start", "%any",
        "remote_addrs", "192.0.2.1", "::", "[", "]", "/", "é", "\u{0}", "0", "18446744073709551616", "yes",
    ]

    @Test("20 000 random documents from a fixed seed", arguments: [0x5EED_C0DE_2026 as UInt64])
    func randomDocuments(seed: UInt64) {
        var random = SeededRandomSource(seed: seed)
        for iteration in 0..<20_000 {
            var text = ""
            let length = Int.random(in: 0...40, using: &random)
            for _ in 0..<length {
                if Bool.random(using: &random) {
                    text += Self.pieces.randomElement(using: &random) ?? ""
                } else {
                    text.unicodeScalars.append(Unicode.Scalar(UInt8.random(in: 0...127, using: &random)))
                }
            }
            let fileSystem = InMemorySettingsFileSystem(text: [
                "/c/swanctl.conf": text, "/c/a.conf": "include swanctl.conf\n", "/c/b.conf": text,
            ])
            do {
                _ = try CygnetConfiguration.load(file: "/c/swanctl.conf", fileSystem: fileSystem)
            } catch {
                #expect(!error.errors.isEmpty, "seed \(seed) iteration \(iteration): \(text.debugDescription)")
            }
        }
    }

    /// A complete configuration touching every section the interpreter reads.
    static let valid = """
        connections {
            site {
                local_addrs = 192.0.2.1
                remote_addrs = 198.51.100.2, gw.example.org
                proposals = aes256gcm16-prfsha384-ecp384, aes128-sha256-modp2048, default
                dpd_delay = 30s
                rekey_time = 4h
                local { auth = psk
                        id = a.example.org }
                remote { auth = pubkey
                         id = b@example.org
                         cacerts = ca.pem }
                children {
                    lan {
                        local_ts = 10.1.0.0/16, dynamic[tcp/443]
                        remote_ts = 10.2.0.1-10.2.0.9, 2001:db8::/32
                        esp_proposals = aes256gcm16-x25519-esn, default
                        start_action = start
                        rekey_bytes = 500M
                    }
                }
            }
        }
        secrets {
            ike-1 { id = b@example.org
                    secret = 0x00112233 }
            private-k { file = k.pem }
        }
        cygnet { listen = 0.0.0.0, ::
                 metrics = [::1]:9469
                 log { ike = 2 } }
        """

    @Test("20 000 random edits of a valid configuration from a fixed seed", arguments: [0xC0FF_EE00_2026 as UInt64])
    func mutations(seed: UInt64) {
        var random = SeededRandomSource(seed: seed)
        let original = Array(Self.valid.unicodeScalars)
        let files = ["/c/x509ca/ca.pem": "", "/c/private/k.pem": ""]
        let unmutated = InMemorySettingsFileSystem(text: files.merging(["/c/swanctl.conf": Self.valid]) { a, _ in a })
        #expect(throws: Never.self) { try CygnetConfiguration.load(file: "/c/swanctl.conf", fileSystem: unmutated) }
        let alphabet = Array("{}=\"#\\,-/[]:. \n\t0123456789abcdefxyz%@!".unicodeScalars)
        for iteration in 0..<20_000 {
            var scalars = original
            for _ in 0...Int.random(in: 0...3, using: &random) {
                let position = Int.random(in: 0...scalars.count, using: &random)
                switch Int.random(in: 0...2, using: &random) {
                case 0 where position < scalars.count: scalars.remove(at: position)
                case 1 where position < scalars.count: scalars[position] = alphabet.randomElement(using: &random) ?? " "
                default: scalars.insert(alphabet.randomElement(using: &random) ?? " ", at: position)
                }
            }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars)
            let fileSystem = InMemorySettingsFileSystem(text: files.merging(["/c/swanctl.conf": String(text)]) { a, _ in a })
            do {
                _ = try CygnetConfiguration.load(file: "/c/swanctl.conf", fileSystem: fileSystem)
            } catch {
                #expect(!error.errors.isEmpty, "seed \(seed) iteration \(iteration): \(String(text).debugDescription)")
            }
        }
    }

    @Test("Random bytes, including invalid UTF-8, parse or fail cleanly")
    func randomBytes() {
        var random = SeededRandomSource(seed: 42)
        for _ in 0..<5_000 {
            let bytes = (0..<Int.random(in: 0...200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            _ = try? SettingsParser(fileSystem: InMemorySettingsFileSystem()).parse(bytes: bytes, file: "/random.conf")
        }
    }
}
