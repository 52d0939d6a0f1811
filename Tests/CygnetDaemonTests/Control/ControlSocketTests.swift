import CCygnetNet
import CygnetControlProtocol
import CygnetHostSupport
import Foundation
import NIOPosix
import Synchronization
import Testing

@testable import CygnetDaemon

#if canImport(Glibc)
import Glibc
#endif

/// The control socket file: it appears at its path already mode 0600, never replaces
/// what is not a socket (a symlink included), and serves only root and the daemon's user.
@Suite("Control socket: created 0600 in one step, never through a symlink, peers checked (SO_PEERCRED)")
struct ControlSocketTests {
    static func status(_ path: String, follow: Bool = false) -> cyg_file_status? {
        var status = cyg_file_status()
        return cyg_path_status(path, follow ? 1 : 0, &status) == 0 ? status : nil
    }

    @Test("From the moment the socket exists at its path, it is a socket of mode 0600")
    func modeFromTheStart() async throws {
        let (daemon, _) = try await ControlFixtures.single()
        let (directory, path) = try ControlFixtures.socketPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Watches the path as fast as it can while the server starts, keeping every mode seen.
        let watching = Atomic<Bool>(true)
        let seen = Mutex<Set<UInt32>>([])
        let watcher = Thread {
            while watching.load(ordering: .relaxed) {
                if let status = Self.status(path) { _ = seen.withLock { $0.insert(status.mode) } }
            }
        }
        watcher.start()
        let server = try await ControlServer.start(daemon: daemon, path: path, logger: ControlFixtures.logger)
        watching.store(false, ordering: .relaxed)
        let final = try #require(Self.status(path))
        #expect(final.mode == UInt32(S_IFSOCK) | 0o600)
        #expect(seen.withLock { $0 }.allSatisfy { $0 == UInt32(S_IFSOCK) | 0o600 })
        // Nothing is left beside it (the private directory it was made in is gone).
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["ctl.sock"])
        await server.stop()
        await daemon.shutdown(grace: .zero)
    }

    @Test("A symlink at the path is neither followed nor replaced, whether its target exists or not")
    func symlink() async throws {
        let (daemon, _) = try await ControlFixtures.single()
        let (directory, path) = try ControlFixtures.socketPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("target").path
        #expect(FileManager.default.createFile(atPath: target, contents: Data("keep".utf8), attributes: [.posixPermissions: 0o644]))
        for destination in [target, directory.appendingPathComponent("missing").path] {
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: destination)
            await #expect(throws: ControlError(.socketSetupFailed, "")) {
                _ = try await ControlServer.start(daemon: daemon, path: path, logger: ControlFixtures.logger)
            }
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: path) == destination)
            try FileManager.default.removeItem(atPath: path)
        }
        #expect(FileManager.default.contents(atPath: target) == Data("keep".utf8))
        #expect(Self.status(target)?.mode == UInt32(S_IFREG) | 0o644)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("missing").path))
        #expect(try Set(FileManager.default.contentsOfDirectory(atPath: directory.path)) == ["target"])
        await daemon.shutdown(grace: .zero)
    }

    @Test("A client whose user is neither root nor the daemon's is refused with permission-denied")
    func peerCredentials() async throws {
        let (daemon, _) = try await ControlFixtures.single()
        let (directory, path) = try ControlFixtures.socketPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        // As if this test's user were someone else: only uid 4242 may use the socket.
        let server = try await ControlServer.start(
            daemon: daemon, path: path, logger: ControlFixtures.logger, permittedUsers: [4242])
        await #expect(throws: ControlError(.permissionDenied, "")) { _ = try await ControlClient(path: path).status() }
        await server.stop()
        let open = try await ControlServer.start(daemon: daemon, path: path, logger: ControlFixtures.logger)
        #expect(try await ControlClient(path: path).status().ikeSAs.isEmpty)
        await open.stop()
        await daemon.shutdown(grace: .zero)
    }

    @Test(
        "Another user who can reach the socket (its mode loosened by hand) is still refused",
        .enabled(if: getuid() == 0, "needs root to connect as the user nobody"))
    func otherUser() async throws {
        let (daemon, _) = try await ControlFixtures.single()
        let (directory, path) = try ControlFixtures.socketPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ControlServer.start(daemon: daemon, path: path, logger: ControlFixtures.logger)
        #expect(chmod(directory.path, 0o755) == 0 && chmod(path, 0o666) == 0)
        let script = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1])
            s.sendall(b'{"version":1,"command":"status"}\\n')
            print(s.makefile().readline().strip())
            """
        // Waiting for the child on NIO's blocking pool, not on a thread the server's answer
        // may need.
        let result = try await NIOThreadPool.singleton.runIfActive {
            try ChildProcess.run(
                "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", script, path],
                timeout: .seconds(60))
        }
        #expect(result.termination == .exited(0), "\(result.text)")
        let response = try ControlFixtures.object(result.standardOutput)
        #expect(response["ok"] as? Bool == false)
        #expect(response["code"] as? String == ControlError.Code.permissionDenied.rawValue)
        await server.stop()
        await daemon.shutdown(grace: .zero)
    }
}
