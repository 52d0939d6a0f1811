import Foundation
import IKECore
import IKEWire
import Logging
import NIOConcurrencyHelpers

/// The road warrior's opt-in DNS configuration (`cygnet { resolv_conf = FILE }`), as
/// strongSwan's resolve plugin does it: while virtual IPs with DNS servers are up, one
/// line `nameserver ADDRESS # by cygnet` per server goes at the top of the file, ahead of
/// the system's own; when the last IKE SA that brought a server goes, its line goes too.
/// Lines of the file that are not Cygnet's are kept as they are.
///
/// The file is rewritten in place (it may be a symlink that the system manages). Lines
/// left by a daemon that did not stop cleanly are removed at start (``clear()``).
final class ResolvConf: Sendable {
    /// What ends every line Cygnet writes, and how they are found again.
    static let marker = "# by cygnet"

    let path: String
    /// The assignments that are up, one entry per IKE SA that received them.
    private let assignments = NIOLockedValueBox<[AddressAssignment]>([])
    private let logger: Logger

    init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    /// Adds the DNS servers of a virtual IP assignment that came up.
    func add(_ assignment: AddressAssignment) {
        guard !assignment.dnsServers.isEmpty else { return }
        assignments.withLockedValue {
            $0.append(assignment)
            write(servers(of: $0))
        }
    }

    /// Takes back the servers of an assignment that went away (those another IKE SA still
    /// brought stay).
    func remove(_ assignment: AddressAssignment) {
        assignments.withLockedValue {
            guard let index = $0.firstIndex(of: assignment) else { return }
            $0.remove(at: index)
            write(servers(of: $0))
        }
    }

    /// Removes every line of Cygnet's from the file (at start and at stop).
    func clear() {
        assignments.withLockedValue {
            $0.removeAll()
            write([])
        }
    }

    /// The servers of `assignments`, each once, in the order they came.
    private func servers(of assignments: [AddressAssignment]) -> [[UInt8]] {
        var servers: [[UInt8]] = []
        for server in assignments.flatMap(\.dnsServers) where !servers.contains(server) {
            servers.append(server)
        }
        return servers
    }

    /// Writes the file: `servers` first, then the lines of the file that are not ours.
    private func write(_ servers: [[UInt8]]) {
        let existing: String
        do {
            existing = try String(contentsOfFile: path, encoding: .utf8)
        } catch CocoaError.fileReadNoSuchFile {
            existing = ""
        } catch {
            logger.warning("cannot read resolv_conf \(path): \(error.localizedDescription)")
            return
        }
        let kept = Self.withoutOurLines(existing)
        let text = servers.map { "nameserver \(IPAddressText.format($0)) \(Self.marker)\n" }.joined() + kept
        guard text != existing else { return }
        // In place, not by rename: the path may be a symlink that the system keeps.
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644])
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            logger.warning("cannot open resolv_conf \(path) for writing")
            return
        }
        defer { try? handle.close() }
        do {
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            logger.warning("cannot write resolv_conf \(path): \(error.localizedDescription)")
            return
        }
        let names = servers.map(IPAddressText.format).joined(separator: ", ")
        logger.info("resolv_conf \(path): \(servers.isEmpty ? "no DNS servers of Cygnet's" : "DNS servers \(names)")")
    }

    /// `text` without the lines Cygnet wrote.
    static func withoutOurLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasSuffix(marker) }
            .joined(separator: "\n")
    }
}
