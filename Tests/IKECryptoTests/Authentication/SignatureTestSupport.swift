import Foundation
import IKECrypto

/// Helpers for the signature-layer tests: fixture files, the swift-crypto checkout's
/// Wycheproof vectors, hex.
enum SignatureTestSupport {
    struct MissingFile: Error, CustomStringConvertible {
        var description: String
    }

    /// The package root: the nearest directory above this file that holds Package.swift.
    static let packageRoot: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    }()

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: packageRoot.appendingPathComponent("Tests/Fixtures/keys").appendingPathComponent(name))
    }

    static func fixtureText(_ name: String) throws -> String {
        String(decoding: try fixture(name), as: UTF8.self)
    }

    static func fixtureBytes(_ name: String) throws -> [UInt8] { Array(try fixture(name)) }

    /// A Wycheproof file from the swift-crypto checkout of any build directory (`.build`,
    /// `.build-*`), under `subdirectory` ("Tests/Test Vectors" or "Tests/CryptoExtrasVectors").
    /// The vectors are read in place, never copied into this repository.
    static func wycheproof(_ name: String, subdirectory: String) throws -> Data {
        let root = packageRoot
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        let buildDirectories = [".build"] + entries.filter { $0.hasPrefix(".build") && $0 != ".build" }.sorted()
        for directory in buildDirectories {
            let url = root.appendingPathComponent(directory).appendingPathComponent("checkouts/swift-crypto")
                .appendingPathComponent(subdirectory).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { return try Data(contentsOf: url) }
        }
        throw MissingFile(
            description: "Wycheproof file \(subdirectory)/\(name) not found in any .build*/checkouts/swift-crypto "
                + "under \(root.path); run `swift package resolve` first")
    }

    static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for character in hex.utf8 {
            let value: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = character - UInt8(ascii: "A") + 10
            default: continue
            }
            if let first = high {
                result.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return result
    }

    /// Keys made once per test process (RSA generation is slow in debug builds).
    static let generatedKeys: [PrivateKey] = {
        [KeyType.rsa(bits: 2048), .p256, .p384, .p521, .ed25519].compactMap { try? PrivateKey.generate($0) }
    }()
}

/// A deterministic `RandomSource` for tests (a counter; not random at all).
struct SignatureTestRandom: RandomSource {
    var counter: UInt8 = 0
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        for index in buffer.indices {
            buffer[index] = counter
            counter &+= 1
        }
    }
}
