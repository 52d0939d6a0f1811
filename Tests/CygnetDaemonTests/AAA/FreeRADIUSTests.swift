import Crypto
import CygnetDaemon
import Foundation
import IKEConfig
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// EAP-MD5 (RFC 3748 §5.4) through ``EAPRADIUSBackend`` to a real FreeRADIUS from Debian's
/// `freeradius` package, which the test starts in the foreground with a configuration of
/// its own in a temporary directory (a client with a secret, a users file, the eap module
/// with md5 and mschapv2) on a loopback port, and stops by PID. Without FreeRADIUS the test
/// fails; it does not skip.
@Suite("EAP over RADIUS against FreeRADIUS (RFC 3579)", .serialized)
struct FreeRADIUSTests {
    static let secret = "cygnet-freeradius-secret"

    @Test("RFC 3579 §2.6, RFC 3748 §5.4: EAP-MD5 with the right password is an Access-Accept with EAP-Success, with a wrong one an Access-Reject with EAP-Failure")
    func eapMD5() async throws {
        let freeradius = try #require(
            Self.findFreeRADIUS(),
            "FreeRADIUS is not installed: run `apt-get install freeradius` (.ci/run installs it); this test does not skip")
        let server = try await FreeRADIUSProcess.start(freeradius, secret: Self.secret, users: ["alice": "correct horse"])
        defer { server.stop() }
        let settings = EAPRADIUSSettings(servers: [
            EAPRADIUSSettings.Server(
                name: "freeradius", address: [127, 0, 0, 1], secret: Array(Self.secret.utf8), authPort: server.port,
                retransmitTries: 3, retransmitTimeout: .seconds(2))
        ])
        let backend = EAPRADIUSBackend(client: try await RADIUSClient.start(settings: settings, group: MultiThreadedEventLoopGroup.singleton))
        defer { Task { await backend.client.close() } }

        let accepted = try await Self.md5Conversation(backend, user: "alice", password: "correct horse", server: server)
        guard case .accept(let accept) = accepted else {
            Issue.record("expected Access-Accept, got \(accepted); FreeRADIUS said:\n\(server.output)")
            return
        }
        #expect(accept.eapMessage?.first == 3, "EAP-Success")
        #expect(accept.msk == nil, "EAP-MD5 derives no key")

        let rejected = try await Self.md5Conversation(backend, user: "alice", password: "wrong horse", server: server)
        guard case .reject(let reject) = rejected else {
            Issue.record("expected Access-Reject, got \(rejected); FreeRADIUS said:\n\(server.output)")
            return
        }
        #expect(reject.eapMessage?.first == 4, "EAP-Failure")
        #expect(!reject.acceptedWithoutChallenge)
        #expect(backend.client.statistics.dropped.isEmpty)
    }

    /// EAP-Response/Identity, then the response to the MD5-Challenge: MD5(Identifier ||
    /// password || challenge) (RFC 1994 §4.1, as RFC 3748 §5.4 uses it).
    static func md5Conversation(_ backend: EAPRADIUSBackend, user: String, password: String, server: FreeRADIUSProcess) async throws -> RADIUSAnswer {
        let identity = Array(user.utf8)
        let identityResponse: [UInt8] = [2, 1, 0, UInt8(5 + identity.count), 1] + identity
        let first = try await backend.exchange(user: identity, eapMessage: identityResponse)
        guard case .challenge(let challenge) = first else {
            Issue.record("expected Access-Challenge, got \(first); FreeRADIUS said:\n\(server.output)")
            return first
        }
        let request = challenge.eapMessage
        // EAP-Request (1), Type MD5-Challenge (4), Value-Size, Value.
        try #require(request.count >= 6 && request[0] == 1 && request[4] == 4, "not an MD5-Challenge: \(request)")
        let valueSize = Int(request[5])
        try #require(request.count >= 6 + valueSize)
        let value = Array(Insecure.MD5.hash(data: [request[1]] + Array(password.utf8) + request[6..<(6 + valueSize)]))
        let response: [UInt8] = [2, request[1], 0, UInt8(6 + value.count), 4, UInt8(value.count)] + value
        return try await backend.exchange(user: identity, eapMessage: response, continuing: challenge)
    }

    static func findFreeRADIUS() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin"] {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent("freeradius")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}

/// `freeradius -X` with a configuration of its own in a temporary directory.
final class FreeRADIUSProcess: Sendable {
    let port: UInt16
    private let process: Process
    private let directory: URL
    private let collected = Mutex<[UInt8]>([])

    /// What FreeRADIUS printed so far (its debug output names no secret of ours but the
    /// test's own).
    var output: String { String(decoding: collected.withLock { $0 }, as: UTF8.self) }

    private init(port: UInt16, process: Process, directory: URL) {
        self.port = port
        self.process = process
        self.directory = directory
    }

    /// `users` are passwords by user name; `replies` reply items by user name
    /// (`Framed-IP-Address = 10.9.0.7`), which FreeRADIUS puts in the user's Access-Accept.
    static func start(
        _ executable: URL, secret: String, users: [String: String], replies: [String: String] = [:]
    ) async throws -> FreeRADIUSProcess {
        let port = try await freeLoopbackPort()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cygnet-freeradius-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try configuration(port: port, secret: secret).write(to: directory.appendingPathComponent("radiusd.conf"), atomically: true, encoding: .utf8)
        let usersFile = users.map { user, password in
            "\(user)\tCleartext-Password := \"\(password)\"\n" + (replies[user].map { "\t\($0)\n" } ?? "")
        }.joined()
        try usersFile.write(to: directory.appendingPathComponent("users"), atomically: true, encoding: .utf8)

        // Foundation's Process passes on the test thread's blocked signals, and a
        // FreeRADIUS with SIGTERM blocked could not be stopped: python3 clears the mask first.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", unblockAndExec, executable.path, "-X", "-d", directory.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let server = FreeRADIUSProcess(port: port, process: process, directory: directory)
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            server.collected.withLock { $0 += Array(data.prefix(max(0, 1 << 22 - $0.count))) }
        }
        try process.run()
        // Wait (at most a minute, a bound on a hang rather than a timing check) until it listens.
        for _ in 0..<600 {
            if server.output.contains("Ready to process requests") { return server }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let output = server.output
        server.stop()
        throw FreeRADIUSStartError(output: output)
    }

    static let unblockAndExec = """
        import os, signal, sys
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)
        os.execv(sys.argv[1], sys.argv[1:])
        """

    /// Stops FreeRADIUS by its PID and removes its directory.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    static func freeLoopbackPort() async throws -> UInt16 {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = UInt16(channel.localAddress?.port ?? 0)
        try await channel.close()
        return port
    }

    /// radiusd.conf: the paths of Debian's package, a client for 127.0.0.1, the files
    /// module reading `users`, the eap module with md5 and mschapv2, one auth listener.
    static func configuration(port: UInt16, secret: String) -> String {
        """
        prefix = /usr
        exec_prefix = /usr
        sysconfdir = /etc
        localstatedir = /var
        sbindir = /usr/sbin
        logdir = ${confdir}
        raddbdir = ${confdir}
        radacctdir = ${confdir}
        run_dir = ${confdir}
        libdir = /usr/lib/freeradius
        dictdir = /usr/share/freeradius
        pidfile = ${run_dir}/radiusd.pid
        name = freeradius
        max_request_time = 30
        cleanup_delay = 1
        max_requests = 1024
        hostname_lookups = no
        log {
            destination = stdout
            auth = yes
        }
        security {
            allow_core_dumps = no
            max_attributes = 200
            reject_delay = 0
            status_server = no
        }
        client cygnet {
            ipaddr = 127.0.0.1
            secret = \(secret)
            require_message_authenticator = yes
        }
        modules {
            files {
                filename = ${confdir}/users
            }
            mschap {
            }
            eap {
                default_eap_type = md5
                timer_expire = 60
                ignore_unknown_eap_types = no
                max_sessions = 64
                md5 {
                }
                mschapv2 {
                }
            }
        }
        server default {
            listen {
                type = auth
                ipaddr = 127.0.0.1
                port = \(port)
            }
            authorize {
                files
                eap {
                    ok = return
                }
            }
            authenticate {
                eap
                Auth-Type MS-CHAP {
                    mschap
                }
            }
        }

        """
    }
}

struct FreeRADIUSStartError: Error, CustomStringConvertible {
    var output: String
    var description: String { "FreeRADIUS did not start:\n\(output)" }
}
