import Foundation
import IKEWire
import Testing

@testable import IKECrypto

/// Wycheproof AEAD vectors, read at test time from swift-crypto's checkout
/// (`.build*/checkouts/swift-crypto/Tests/Test Vectors/`), never copied into this
/// repository. Source: Project Wycheproof (C2SP/wycheproof), `aes_gcm_test.json` and
/// `chacha20_poly1305_test.json`, as vendored by swift-crypto.
///
/// Only the groups IKEv2 and ESP can express are run: a 96-bit nonce (4-byte salt from
/// the key material, 8-byte IV from the message) and a 128-bit tag; 8 and 12-byte ICVs
/// are checked as the truncation of that tag.
@Suite("BoringSSL AEADs against Wycheproof (RFC 4106, RFC 7634)")
struct BoringWycheproofTests {
    typealias H = BoringTestSupport

    struct File: Decodable {
        var testGroups: [Group]
    }

    struct Group: Decodable {
        var ivSize: Int
        var keySize: Int
        var tagSize: Int
        var tests: [Case]
    }

    struct Case: Decodable {
        var tcId: Int
        var key: String
        var iv: String
        var aad: String
        var msg: String
        var ct: String
        var tag: String
        var result: String
    }

    /// Finds `name` under `<package>/.build*/checkouts/swift-crypto/Tests/Test Vectors/`,
    /// walking up from this file to the directory holding `Package.swift`.
    static func locate(_ name: String, filePath: String = #filePath) -> URL? {
        let files = FileManager.default
        var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if files.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) { break }
            directory.deleteLastPathComponent()
        }
        let entries = (try? files.contentsOfDirectory(atPath: directory.path)) ?? []
        let buildDirectories = [".build"] + entries.filter { $0.hasPrefix(".build") && $0 != ".build" }.sorted()
        for build in buildDirectories {
            let candidate = directory.appendingPathComponent(build)
                .appendingPathComponent("checkouts/swift-crypto/Tests/Test Vectors")
                .appendingPathComponent(name)
            if files.fileExists(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    static func load(_ name: String) throws -> File? {
        guard let url = locate(name) else {
            Issue.record(
                "Wycheproof file \(name) not found under .build*/checkouts/swift-crypto/Tests/Test Vectors/; run `swift package resolve` first"
            )
            return nil
        }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
    }

    /// Runs every applicable case; returns how many ran.
    static func run(file: File, icvLength: Int, algorithm: (Int) -> BoringAEAD?) throws -> Int {
        var count = 0
        for group in file.testGroups where group.ivSize == 96 && group.tagSize == 128 {
            guard let algorithm = algorithm(group.keySize) else { continue }
            for test in group.tests {
                let keyMaterial = H.hex(test.key) + H.hex(test.iv).prefix(4)
                let iv = Array(H.hex(test.iv).dropFirst(4))
                let aad = H.hex(test.aad)
                let tag = Array(H.hex(test.tag).prefix(icvLength))
                let context = try algorithm.makeContext(keyMaterial: SecretBytes(keyMaterial))
                switch test.result {
                case "valid":
                    let sealed = try H.seal(context, iv: iv, aad: aad, plaintext: H.hex(test.msg))
                    #expect(sealed.ciphertext == H.hex(test.ct), "tcId \(test.tcId)")
                    #expect(sealed.icv == tag, "tcId \(test.tcId)")
                    #expect(
                        try H.open(context, iv: iv, aad: aad, ciphertext: H.hex(test.ct), icv: tag) == H.hex(test.msg),
                        "tcId \(test.tcId)")
                case "invalid":
                    // With a 16-byte ICV every invalid case must fail. A truncated ICV
                    // drops bytes the case may have altered, so only failures that
                    // matter are checked: the error must be authenticationFailed.
                    let code = H.errorCode { _ = try H.open(context, iv: iv, aad: aad, ciphertext: H.hex(test.ct), icv: tag) }
                    if icvLength == 16 {
                        #expect(code == .authenticationFailed, "tcId \(test.tcId)")
                    } else {
                        #expect(code == nil || code == .authenticationFailed, "tcId \(test.tcId)")
                    }
                default:
                    continue
                }
                count += 1
            }
        }
        return count
    }

    @Test("aes_gcm_test.json, AES-GCM-16/12/8, 96-bit nonces (RFC 4106 §3.1, RFC 5282)", arguments: [16, 12, 8])
    func aesGCM(icvLength: Int) throws {
        guard let file = try Self.load("aes_gcm_test.json") else { return }
        let count = try Self.run(file: file, icvLength: icvLength) { BoringAEAD.aesGCM(icvLength: icvLength, keyBits: $0) }
        #expect(count > 100)
    }

    @Test("chacha20_poly1305_test.json (RFC 7634 §2, RFC 8439)")
    func chacha() throws {
        guard let file = try Self.load("chacha20_poly1305_test.json") else { return }
        let count = try Self.run(file: file, icvLength: 16) { $0 == 256 ? .chacha20Poly1305 : nil }
        #expect(count > 100)
    }
}
