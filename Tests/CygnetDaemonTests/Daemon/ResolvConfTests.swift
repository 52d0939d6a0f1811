import Foundation
import IKECore
import Logging
import Testing

@testable import CygnetDaemon

/// `cygnet { resolv_conf }`: the DNS servers of the virtual IPs that are up, ahead of the
/// file's own lines, each once, gone with the last IKE SA that brought them.
@Suite("resolv_conf: DNS servers of the virtual IPs written ahead of the system's, and taken back")
struct ResolvConfTests {
    static let system = "search example.org\nnameserver 192.0.2.53\n"

    static func file(_ text: String?) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cygnet-resolv-\(UUID()).conf").path
        if let text { try text.write(toFile: path, atomically: false, encoding: .utf8) }
        return path
    }

    static func assignment(_ address: [UInt8], dns: [[UInt8]]) -> AddressAssignment {
        AddressAssignment(addresses: [.init(address: address)], dnsServers: dns)
    }

    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test("Two IKE SAs share a server: it is written once and stays until the second goes")
    func sharedServer() throws {
        let path = try Self.file(Self.system)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let resolv = ResolvConf(path: path, logger: Logger(label: "test"))
        let first = Self.assignment([10, 3, 0, 1], dns: [[10, 3, 0, 53], [0xFD] + [UInt8](repeating: 0, count: 14) + [0x53]])
        let second = Self.assignment([10, 4, 0, 1], dns: [[10, 3, 0, 53]])
        resolv.add(first)
        resolv.add(second)
        #expect(try Self.read(path) == "nameserver 10.3.0.53 # by cygnet\nnameserver fd00::53 # by cygnet\n" + Self.system)
        resolv.remove(first)
        #expect(try Self.read(path) == "nameserver 10.3.0.53 # by cygnet\n" + Self.system)
        // An assignment that never came up takes nothing away.
        resolv.remove(first)
        #expect(try Self.read(path) == "nameserver 10.3.0.53 # by cygnet\n" + Self.system)
        resolv.remove(second)
        #expect(try Self.read(path) == Self.system)
    }

    @Test("Lines a previous run left are removed at start; a missing file is created; no DNS servers, no change")
    func staleLinesAndMissingFile() throws {
        let stale = try Self.file("nameserver 10.9.9.9 # by cygnet\n" + Self.system)
        let missing = try Self.file(nil)
        defer {
            try? FileManager.default.removeItem(atPath: stale)
            try? FileManager.default.removeItem(atPath: missing)
        }
        ResolvConf(path: stale, logger: Logger(label: "test")).clear()
        #expect(try Self.read(stale) == Self.system)
        let resolv = ResolvConf(path: missing, logger: Logger(label: "test"))
        resolv.clear()
        #expect(!FileManager.default.fileExists(atPath: missing))
        resolv.add(Self.assignment([10, 3, 0, 1], dns: []))
        #expect(!FileManager.default.fileExists(atPath: missing))
        resolv.add(Self.assignment([10, 3, 0, 1], dns: [[10, 3, 0, 53]]))
        #expect(try Self.read(missing) == "nameserver 10.3.0.53 # by cygnet\n")
    }
}
