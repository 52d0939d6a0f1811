import Foundation
import Testing

@testable import CygnetDaemon

#if canImport(Glibc)
import Glibc
#endif

/// `cygnet { key_log = FILE }` holds traffic keys: it must end up readable by the daemon's
/// user only, and opening it must not be a way to write keys somewhere else.
@Suite("Key log: opened without following a symlink, always mode 0600")
struct KeyLogTests {
    static func directory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cygnet-keylog-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test("A new file is created with mode 0600 whatever the umask")
    func created() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("keys").path
        let previous = umask(0)
        defer { umask(previous) }
        _ = try KeyLog(path: path)
        #expect(try Self.mode(path) == 0o600)
    }

    @Test("An existing file is reused, appended to, and set to mode 0600")
    func existing() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("keys").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("old\n".utf8), attributes: [.posixPermissions: 0o644]))
        _ = try KeyLog(path: path)
        #expect(try Self.mode(path) == 0o600)
        #expect(FileManager.default.contents(atPath: path) == Data("old\n".utf8))
    }

    @Test("A symlink at the path is refused; its target is neither written nor re-moded")
    func symlink() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("elsewhere").path
        #expect(FileManager.default.createFile(atPath: target, contents: Data("precious\n".utf8), attributes: [.posixPermissions: 0o644]))
        let path = directory.appendingPathComponent("keys").path
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        #expect(throws: DaemonError(.unsafeKeyLog, "")) { _ = try KeyLog(path: path) }
        #expect(FileManager.default.contents(atPath: target) == Data("precious\n".utf8))
        #expect(try Self.mode(target) == 0o644)
        // A dangling symlink is not followed into creating its target either.
        let dangling = directory.appendingPathComponent("dangling").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: directory.appendingPathComponent("new").path)
        #expect(throws: DaemonError(.unsafeKeyLog, "")) { _ = try KeyLog(path: dangling) }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("new").path))
    }

    @Test("A FIFO or a file with a second hard link is refused, without blocking")
    func notAPlainFile() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: DaemonError(.unsafeKeyLog, "")) { _ = try KeyLog(path: fifo) }
        let original = directory.appendingPathComponent("original").path
        #expect(FileManager.default.createFile(atPath: original, contents: Data(), attributes: [.posixPermissions: 0o600]))
        let linked = directory.appendingPathComponent("linked").path
        try FileManager.default.linkItem(atPath: original, toPath: linked)
        #expect(throws: DaemonError(.unsafeKeyLog, "")) { _ = try KeyLog(path: linked) }
    }
}
