import Foundation
import IKEConfig
import Testing

@testable import CygnetTools

/// `cygnet lint` on what the built-in clients of Windows, macOS/iOS and Android need of a
/// remote-access gateway (Docs/clients/), with certificates of `Tests/Fixtures/pki`.
@Suite("cygnet lint: the built-in clients' profiles")
struct LintClientProfileTests {
    static let pki = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/pki").path

    /// A gateway connection with these settings; `certificate` is a file of the test PKI
    /// (without `.pem`) issued by ec-intermediate.
    func lint(
        proposals: String, remote: String = "auth = eap-mschapv2\n            eap_id = %any", certificate: String = "vpn-gateway-ec",
        id: String = "vpn.lab.test", extensions: String = "", replacing: [String: [UInt8]] = [:]
    ) throws -> LintReport {
        var files: [String: [UInt8]] = [:]
        for (name, file) in [
            ("x509/\(certificate).pem", "\(certificate).pem"), ("x509/ec-intermediate.pem", "ec-intermediate.pem"),
            ("x509ca/ec-root.pem", "ec-root.pem"), ("private/\(certificate).key", "\(certificate).key"),
        ] {
            files["/etc/swanctl/" + name] = Array(try Data(contentsOf: URL(fileURLWithPath: Self.pki + "/" + file)))
        }
        let text = """
            connections {
                gateway {
                    local_addrs = 192.0.2.2
                    proposals = \(proposals)
                    local {
                        auth = pubkey
                        certs = \(certificate).pem, ec-intermediate.pem
                        id = \(id)
                    }
                    remote {
                        \(remote)
                    }
                    children {
                        net {
                            local_ts = 10.1.0.0/24
                            esp_proposals = aes256-sha256-modp2048
                        }
                    }
                    \(extensions)
                }
            }

            """
        files["/etc/swanctl/swanctl.conf"] = Array(text.utf8)
        files.merge(replacing.map { ("/etc/swanctl/" + $0.key, $0.value) }) { _, new in new }
        return ConfigurationLinter(fileSystem: InMemorySettingsFileSystem(files: files)).lint(file: "/etc/swanctl/swanctl.conf")
    }

    func codes(_ report: LintReport) -> [LintCode] { report.findings.compactMap(\.code) }

    static let downgrade = "cygnet {\n            ms_dh_downgrade = yes\n        }"

    @Test("EAP-MSCHAPv2 from any identity without modp1024: a note at proposals that Windows cannot connect")
    func windowsGroupMissing() throws {
        let report = try lint(proposals: "aes256-sha256-modp2048, aes256-sha256-ecp256")
        #expect(report.findings.map(\.code) == [.windowsGroupMissing])
        #expect(report.findings.map(\.severity) == [.note])
        #expect(report.findings.map { $0.location?.line } == [4])
        #expect(report.exitStatus(strict: true) == 0)
    }

    @Test("modp1024 for Windows without ms_dh_downgrade: a note; with it, nothing but the weak-group warning")
    func downgradeTolerated() throws {
        #expect(codes(try lint(proposals: "aes256-sha256-modp1024")) == [.windowsRekeyDowngradeNotTolerated])
        let tolerant = try lint(proposals: "aes256-sha256-modp1024", extensions: Self.downgrade)
        #expect(codes(tolerant).isEmpty)
        #expect(tolerant.findings.map(\.severity) == [.warning], "RFC 8247 §2.4 on modp1024: \(tolerant.findings)")
    }

    @Test("ms_dh_downgrade without modp1024 in the IKE proposals: a warning at the option")
    func downgradeWithoutLegacyGroup() throws {
        let report = try lint(proposals: "aes256-sha256-modp2048", extensions: Self.downgrade)
        #expect(codes(report) == [.windowsGroupMissing, .downgradeWithoutLegacyGroup])
        let warning = try #require(report.findings.first { $0.code == .downgradeWithoutLegacyGroup })
        #expect(warning.severity == .warning)
        #expect(warning.location?.line == 21)
    }

    @Test("A gateway certificate without serverAuth is a warning at certs")
    func serverAuthMissing() throws {
        let report = try lint(proposals: "aes256-sha256-modp1024", certificate: "left-ec", id: "left.lab.test", extensions: Self.downgrade)
        #expect(codes(report) == [.gatewayCertificateWithoutServerAuth])
        let warning = try #require(report.findings.first { $0.code != nil })
        #expect(warning.severity == .warning)
        #expect(warning.location?.line == 7)
    }

    @Test("A local id the certificate has no subjectAltName for is a warning; its DNS name or IP address is not", arguments: [
        ("other.lab.test", [LintCode.gatewayCertificateWithoutDialledName]), ("vpn.lab.test", []), ("192.0.2.2", []),
    ])
    func dialledName(id: String, expected: [LintCode]) throws {
        #expect(codes(try lint(proposals: "aes256-sha256-modp1024", id: id, extensions: Self.downgrade)) == expected)
    }

    @Test("A gateway certificate that is no X.509 (DER the loader lets through) is a warning, not silence")
    func unreadableCertificate() throws {
        let report = try lint(
            proposals: "aes256-sha256-modp1024", extensions: Self.downgrade,
            replacing: ["x509/vpn-gateway-ec.pem": [0x30] + [UInt8](repeating: 1, count: 100)])
        #expect(codes(report) == [.gatewayCertificateUnreadable])
    }

    @Test("A site-to-site connection (a fixed remote id, certificates) gets none of these findings")
    func siteToSite() throws {
        let report = try lint(
            proposals: "aes256-sha256-modp2048", remote: "auth = pubkey\n            id = right.lab.test", certificate: "left-ec",
            id: "left.lab.test")
        #expect(codes(report).isEmpty)
    }

    @Test("--json carries each finding's code")
    func jsonCode() throws {
        let report = try lint(proposals: "aes256-sha256-modp2048")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json.jsonText.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.map { $0["code"] as? String } == ["windows_group_missing"])
    }
}
