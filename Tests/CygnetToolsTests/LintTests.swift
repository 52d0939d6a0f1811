import Foundation
import IKEConfig
import Testing

@testable import CygnetTools

/// `cygnet lint` warnings for weak choices, each with its reason (RFC 8247 for IKE,
/// RFC 8221 for ESP), and the exit status and JSON output scripts rely on.
@Suite("cygnet lint warns about weak choices with the RFC reason")
struct LintTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/configs").path

    func lint(_ path: String) -> (report: LintReport, text: String) {
        let report = ConfigurationLinter().lint(file: Self.fixtures + "/" + path)
        let text = report.findings.map(\.description).joined(separator: "\n")
            .replacingOccurrences(of: Self.fixtures + "/weak/", with: "")
        return (report, text)
    }

    @Test("MODP 1024/1536, 3DES, SHA-1 integrity and PRF, NULL, a short PSK, metrics off loopback (RFC 8247, RFC 8221)")
    func legacyAlgorithms() {
        let (report, text) = lint("weak/legacy-algorithms.conf")
        #expect(text == "legacy-algorithms.conf:5:21: warning: IKE proposal '3des-sha1-modp1024' of connection 'legacy' uses 3DES\n  reason: RFC 8247 §2.1 keeps ENCR_3DES only as MAY, for old peers: its 64-bit block lets an attacker recover data from long-lived SAs (Sweet32)\n  hint: use aes256gcm16, aes256 or chacha20poly1305\nlegacy-algorithms.conf:5:21: warning: IKE proposal '3des-sha1-modp1024' of connection 'legacy' uses SHA-1 integrity (HMAC-SHA1-96)\n  reason: RFC 8247 §2.3: AUTH_HMAC_SHA1_96 is MUST-, kept for interoperability and expected to be demoted\n  hint: use sha256, or an AEAD such as aes256gcm16\nlegacy-algorithms.conf:5:21: warning: IKE proposal '3des-sha1-modp1024' of connection 'legacy' uses the SHA-1 PRF (PRF_HMAC_SHA1)\n  reason: RFC 8247 §2.2: PRF_HMAC_SHA1 is MUST-, kept for interoperability and expected to be demoted\n  hint: use prfsha256 or stronger\nlegacy-algorithms.conf:5:21: warning: IKE proposal '3des-sha1-modp1024' of connection 'legacy' uses modp1024, the 1024-bit MODP group (2)\n  reason: RFC 8247 §2.4: the 1024-bit MODP group (2) is SHOULD NOT; it is within reach of well-funded attackers (Logjam)\n  hint: use x25519, ecp256 or modp2048 and up; allow modp1024 only for peers that offer nothing else\nlegacy-algorithms.conf:5:41: warning: IKE proposal 'aes128-sha256-modp1536' of connection 'legacy' uses modp1536, the 1536-bit MODP group (5)\n  reason: RFC 8247 §2.4: the 1536-bit MODP group (5) is SHOULD NOT; it is within reach of well-funded attackers (Logjam)\n  hint: use x25519, ecp256 or modp2048 and up; allow modp1536 only for peers that offer nothing else\nlegacy-algorithms.conf:16:33: warning: ESP proposal '3des-sha1' of child 'old-lan' uses 3DES\n  reason: RFC 8221 §5: ENCR_3DES is SHOULD NOT for ESP; its 64-bit block lets an attacker recover data from long-lived SAs (Sweet32)\n  hint: use aes256gcm16, aes256 or chacha20poly1305\nlegacy-algorithms.conf:16:33: warning: ESP proposal '3des-sha1' of child 'old-lan' uses SHA-1 integrity (HMAC-SHA1-96)\n  reason: RFC 8221 §6: AUTH_HMAC_SHA1_96 is MUST-, kept for interoperability and expected to be demoted\n  hint: use sha256, or an AEAD such as aes256gcm16\nlegacy-algorithms.conf:16:44: warning: ESP proposal 'null-sha256-modp2048' of child 'old-lan' uses NULL encryption\n  reason: RFC 8221 §5: ENCR_NULL gives no confidentiality; it exists for debugging and integrity-only ESP\n  hint: use aes256gcm16\nlegacy-algorithms.conf:27:18: warning: the pre-shared key of secret 'ike-legacy' is only 11 characters long\n  reason: RFC 7296 §2.15: a pre-shared key must have as much entropy as the keys it protects; a short one falls to an offline dictionary attack on one captured IKE_AUTH exchange\n  hint: use 32 or more random characters, e.g. the output of 'openssl rand -base64 32'\nlegacy-algorithms.conf:31:15: warning: the metrics endpoint listens on 192.0.2.10:9469, not on a loopback address\n  reason: metrics show peers, SA counts and failures to anyone who can reach the port\n  hint: use 127.0.0.1 or [::1] and let a local Prometheus agent scrape it")
        #expect(report.count(.warning) == 10)
        #expect(report.exitStatus(strict: false) == 0)
        #expect(report.exitStatus(strict: true) == 1)
    }

    @Test("Lifetimes out of range or contradicting each other; a connection without children")
    func lifetimes() {
        let (report, text) = lint("weak/lifetimes.conf")
        #expect(text == "lifetimes.conf:5:9: warning: rekey_time 2m of connection 'churn' is shorter than 5 minutes\n  reason: every rekey costs an exchange and a key exchange, and both peers rekeying often makes collisions (RFC 7296 §2.8.1) likely\n  hint: use 1h to 24h (strongSwan's default is 4h)\nlifetimes.conf:6:9: warning: reauth_time 1m of connection 'churn' is shorter than 5 minutes\n  reason: every rekey costs an exchange and a key exchange, and both peers rekeying often makes collisions (RFC 7296 §2.8.1) likely\n  hint: reauthenticate every few hours at most\nlifetimes.conf:7:9: warning: rand_time 3m of connection 'churn' is not shorter than rekey_time 2m\n  reason: the rekey is scheduled at rekey_time minus a random part of rand_time; a rand_time that large makes the rekey time meaningless\n  hint: keep rand_time well below rekey_time (the default is 10 % of it)\nlifetimes.conf:8:9: warning: over_time = 0 of connection 'churn' closes the IKE SA the moment it is due for rekeying\n  reason: over_time is the grace period for a rekey or reauthentication to complete; with none, a slow or lost exchange drops the tunnel\n  hint: remove over_time to keep the default (10 % of rekey_time)\nlifetimes.conf:20:30: warning: rekey_time 30s of child 'fast' is shorter than a minute\n  reason: each rekey is a CREATE_CHILD_SA exchange and new kernel or data-plane state; that often costs more than it protects\n  hint: use 10m to 8h (strongSwan's default is 1h)\nlifetimes.conf:21:29: warning: life_time 20s of child 'fast' is not longer than its rekey_time 30s\n  reason: the Child SA expires before it is rekeyed, so traffic stops until a new one is negotiated\n  hint: make life_time longer than rekey_time (the default is rekey_time + 10 %)\nlifetimes.conf:22:29: warning: rand_time 1m of child 'fast' is not shorter than its rekey_time 30s\n  reason: the rekey is scheduled at rekey_time minus a random part of rand_time; a rand_time that large makes the rekey time meaningless\n  hint: keep rand_time well below rekey_time\nlifetimes.conf:24:30: warning: life_bytes of child 'fast' is not larger than its rekey_bytes\n  reason: the Child SA expires on volume before it is rekeyed\n  hint: make life_bytes larger than rekey_bytes (the default is rekey_bytes + 10 %)\nlifetimes.conf:30:9: warning: rekey_time 2d of connection 'forever' is longer than 24 hours\n  reason: one key protects traffic for longer than a day; RFC 7296 §2.8 expects SAs to be rekeyed well before their keys wear out\n  hint: use 1h to 24h (strongSwan's default is 4h)\nlifetimes.conf:31:9: warning: connection 'forever' signs with a certificate but never sends it (send_cert = never)\n  reason: RFC 7296 §3.6: the peer needs the certificate to check the AUTH signature\n  hint: the peer must already have the certificate; use send_cert = ifasked unless it does\nlifetimes.conf:44:30: warning: rekey_time 25h of child 'slow' is longer than 24 hours\n  reason: one key protects a day or more of traffic; rekeying bounds what one compromised key exposes\n  hint: use 10m to 8h (strongSwan's default is 1h)\nlifetimes.conf:48:5: note: connection 'no-children' has no children: it sets up an IKE SA but no tunnel\n  hint: add children { NAME { local_ts = ...  remote_ts = ... } }")
        #expect(report.count(.note) == 1)
        #expect(report.exitStatus(strict: false) == 0)
    }

    @Test("A pool inside a child's local_ts is a warning at the pools line; the full-tunnel 0.0.0.0/0 does not count")
    func poolInLocalSubnet() {
        let report = lint("weak/pool-in-local-subnet.conf").report
        #expect(report.findings.map(\.severity) == [.warning])
        #expect(report.findings.map { $0.location?.line } == [3])
    }

    @Test("The valid fixtures lint clean, apart from the road-warrior gateway's certificate without serverAuth and the missing-PFS note of its default")
    func validFixtures() {
        #expect(lint("valid/site-to-site-psk/swanctl.conf").report.findings.isEmpty)
        #expect(lint("valid/certificates/swanctl.conf").report.findings.isEmpty)
        let roadwarrior = lint("valid/roadwarrior/swanctl.conf").report
        #expect(roadwarrior.findings.map(\.severity) == [.warning, .note])
        #expect(roadwarrior.findings.map(\.code) == [.gatewayCertificateWithoutServerAuth, nil])
        #expect(roadwarrior.findings.last?.message.contains("no perfect forward secrecy") == true)
    }

    @Test("The site-to-site example of Docs/configuration.md is the docs-example fixture and lints clean")
    func documentationExample() throws {
        let docs = URL(fileURLWithPath: Self.fixtures).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Docs/configuration.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let marker = "On `gw-a`, `/etc/cygnet/swanctl.conf`:\n\n```\n"
        let start = try #require(text.range(of: marker)).upperBound
        let end = try #require(text.range(of: "```\n", range: start..<text.endIndex)).lowerBound
        let fixture = try String(contentsOfFile: Self.fixtures + "/valid/docs-example/swanctl.conf", encoding: .utf8)
        #expect(String(text[start..<end]) == fixture)
        let report = lint("valid/docs-example/swanctl.conf").report
        #expect(report.findings.isEmpty)
    }

    @Test("The site-to-site example of the README lints without errors or warnings")
    func readmeExample() throws {
        let readme = URL(fileURLWithPath: Self.fixtures).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.range(of: "## Run the daemon")).upperBound
        let start = try #require(text.range(of: "```\n", range: section..<text.endIndex)).upperBound
        let end = try #require(text.range(of: "```\n", range: start..<text.endIndex)).lowerBound
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(getpid()).conf")
        try String(text[start..<end]).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let report = ConfigurationLinter().lint(file: file.path)
        #expect(report.findings.isEmpty, "\(report.findings.map(\.description))")
        #expect(text[start..<end].contains("connections {"))
    }

    @Test("Exit status 2 and a finding without a location when the file cannot be read")
    func unreadable() {
        let report = ConfigurationLinter().lint(file: Self.fixtures + "/does-not-exist.conf")
        #expect(report.isUnreadable)
        #expect(report.exitStatus(strict: false) == 2)
        #expect(report.findings.map(\.description) == ["error: cannot read '\(Self.fixtures)/does-not-exist.conf'"])
    }

    @Test("--json prints one object with counts and located findings")
    func json() throws {
        let report = ConfigurationLinter().lint(file: Self.fixtures + "/invalid/10-unknown-connection-key.conf")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json.jsonText.utf8)) as? [String: Any])
        #expect(object["errors"] as? Int == 1)
        #expect(object["warnings"] as? Int == 0)
        #expect(object["readable"] as? Bool == true)
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == 1)
        #expect(findings[0]["severity"] as? String == "error")
        #expect(findings[0]["line"] as? Int == 4)
        #expect(findings[0]["column"] as? Int == 9)
        #expect(findings[0]["message"] as? String == "unknown key 'rekey_tme' in connection 'site'")
        #expect(findings[0]["hint"] as? String == "did you mean 'rekey_time'?")
        #expect(findings[0]["reason"] is NSNull)
    }

    @Test("The summary line counts each severity")
    func summary() {
        let report = LintReport(
            file: "x.conf", findings: [LintFinding(.warning, at: nil, "a"), LintFinding(.note, at: nil, "b"), LintFinding(.note, at: nil, "c")])
        #expect(report.summary == "x.conf: 0 errors, 1 warning, 2 notes")
    }
}
