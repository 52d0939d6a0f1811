import Foundation
import IKEConfig
import Testing

@testable import CygnetTools

/// `cygnet lint` (and `cygnetd`, which loads the same way) with signature constraints in
/// `auth`, on the ECDSA certificate of `Tests/Fixtures/configs/valid/certificates`.
@Suite("cygnet lint knows auth's signature constraints")
struct LintSignatureConstraintTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/configs/valid/certificates").path

    /// The certificates fixture with `auth` of both sides replaced.
    func lint(local: String, remote: String) throws -> LintReport {
        var files: [String: [UInt8]] = [:]
        for name in ["x509/left-ec.pem", "x509/ec-intermediate.pem", "x509ca/ec-root.pem", "private/left-ec.key"] {
            files["/etc/swanctl/" + name] = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture + "/" + name)))
        }
        var text = try String(contentsOfFile: Self.fixture + "/swanctl.conf", encoding: .utf8)
        let remoteAuth = try #require(text.range(of: "auth = pubkey", options: .backwards))
        text.replaceSubrange(remoteAuth, with: "auth = \(remote)")
        let localAuth = try #require(text.range(of: "auth = pubkey"))
        text.replaceSubrange(localAuth, with: "auth = \(local)")
        files["/etc/swanctl/swanctl.conf"] = Array(text.utf8)
        return ConfigurationLinter(fileSystem: InMemorySettingsFileSystem(files: files)).lint(file: "/etc/swanctl/swanctl.conf")
    }

    @Test("strongSwan's constraint forms lint clean")
    func constraintsLintClean() throws {
        for (local, remote) in [
            ("ecdsa-sha384", "rsa/pss"), ("pubkey-sha384-sha256", "ecdsa-256-sha256-sha384"), ("ecdsa", "ike:rsa/pss-sha256"),
        ] {
            let report = try lint(local: local, remote: remote)
            #expect(report.findings.isEmpty, "\(local) / \(remote): \(report.findings.map(\.description))")
        }
    }

    @Test("local auth that the certificate's key cannot meet is an error at auth, with a hint")
    func localConstraintAgainstKey() throws {
        let report = try lint(local: "rsa/pss", remote: "pubkey")
        #expect(report.findings.map(\.description) == [
            "/etc/swanctl/swanctl.conf:11:20: error: local auth = rsa/pss of connection 'to-right' allows no signature with the ECDSA P-256 key of certificate '/etc/swanctl/x509/left-ec.pem'\n  hint: name the key type of the certificate (e.g. auth = ecdsa), or use a certificate of the type auth names"
        ])
    }

    @Test("An unknown form is an error with file, line, column and hint")
    func unknownForm() throws {
        let report = try lint(local: "pubkey", remote: "rsa4096-sha256")
        #expect(report.findings.map(\.description) == [
            "/etc/swanctl/swanctl.conf:16:20: error: unknown key type 'rsa4096' in auth 'rsa4096-sha256'\n  hint: write pubkey, rsa, rsa/pss, ecdsa or ed25519, optionally followed by a key size and hashes, e.g. rsa/pss-sha256 or ecdsa-384-sha384"
        ])
    }
}
