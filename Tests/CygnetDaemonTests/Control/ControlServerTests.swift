import CygnetControlProtocol
import CygnetDaemon
import Foundation
import IKEConfig
import IKECore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The control socket end to end: two daemons on loopback, each with a control server
/// on a socket in a temporary directory, driven through `ControlClient`.
@Suite("Control socket: status, up, down and reload over a Unix socket, in swanctl's vocabulary")
struct ControlServerTests {
    @Test("status shows the SA crosswise in swanctl's names; up and down go through the socket")
    func statusUpDown() async throws {
        let (left, right) = try await DaemonFixtures.pair()
        let (leftDirectory, leftPath) = try ControlFixtures.socketPath()
        let (rightDirectory, rightPath) = try ControlFixtures.socketPath()
        defer {
            try? FileManager.default.removeItem(at: leftDirectory)
            try? FileManager.default.removeItem(at: rightDirectory)
        }
        let leftServer = try await ControlServer.start(daemon: left, path: leftPath, logger: ControlFixtures.logger)
        let rightServer = try await ControlServer.start(daemon: right, path: rightPath, logger: ControlFixtures.logger)
        let leftClient = ControlClient(path: leftPath)
        let rightClient = ControlClient(path: rightPath)

        #expect(try await leftClient.status().ikeSAs.isEmpty)
        #expect(try await leftClient.up("lab") == UpResult(name: "lab"))
        let established = await DaemonFixtures.eventually {
            guard let l = try? await leftClient.status().ikeSAs.first,
                let r = try? await rightClient.status().ikeSAs.first
            else { return false }
            return l.state == "ESTABLISHED" && r.state == "ESTABLISHED" && l.childSAs.count == 1
                && r.childSAs.count == 1
        }
        #expect(established)

        let l = try #require(try await leftClient.status().ikeSAs.first)
        let r = try #require(try await rightClient.status().ikeSAs.first)
        // The same SPIs on both sides, by role; ours marked by `initiator`.
        #expect(l.initiator && !r.initiator)
        #expect(l.initiatorSPI == r.initiatorSPI && l.responderSPI == r.responderSPI)
        #expect(
            l.initiatorSPI.count == 16 && l.responderSPI.count == 16
                && l.responderSPI != String(repeating: "0", count: 16))
        let engine = try #require(await left.statuses().first)
        #expect(
            l.initiatorSPI == hex(engine.localSPI, digits: 16) && l.responderSPI == hex(engine.remoteSPI, digits: 16))
        // Endpoints and identities.
        #expect(l.localHost == "127.0.0.1" && l.remoteHost == "127.0.0.2" && l.localPort == r.remotePort)
        #expect(l.localID == "left@lab.test" && l.remoteID == "right@lab.test" && r.remoteID == "left@lab.test")
        // The negotiated IKE transforms, as strongSwan names them.
        for sa in [l, r] {
            #expect(sa.encrAlg == "AES_GCM_16" && sa.encrKeysize == 256)
            #expect(sa.integAlg == nil)
            #expect(sa.prfAlg == "PRF_HMAC_SHA2_256" && sa.dhGroup == "CURVE_25519")
            #expect(sa.established.map { $0 >= 0 && $0 < 60 } == true)
            #expect(!sa.natAny)
        }
        // The Child SA, crosswise.
        let lc = try #require(l.childSAs.first)
        let rc = try #require(r.childSAs.first)
        #expect(lc.spiIn == rc.spiOut && lc.spiOut == rc.spiIn && lc.spiIn.count == 8)
        #expect(lc.name == "net" && lc.state == "INSTALLED" && lc.mode == "TUNNEL" && lc.protocol == "ESP")
        #expect(lc.encrAlg == "AES_GCM_16" && lc.encrKeysize == 256 && lc.integAlg == nil)
        #expect(lc.localTS == ["198.51.100.0/24"] && lc.remoteTS == ["203.0.113.0/24"])
        #expect(rc.localTS == ["203.0.113.0/24"] && rc.remoteTS == ["198.51.100.0/24"])
        #expect(lc.bytesIn == 0 && lc.packetsOut == 0)

        // The wire uses vici's key names.
        let raw = try await ControlFixtures.exchange(#"{"version":1,"command":"status"}"# + "\n", with: leftClient)
        #expect(raw["ok"] as? Bool == true && raw["version"] as? Int == 1)
        let result = try #require(raw["result"] as? [String: Any])
        let sa = try #require((result["ike-sas"] as? [[String: Any]])?.first)
        #expect(sa["initiator-spi"] as? String == l.initiatorSPI && sa["encr-alg"] as? String == "AES_GCM_16")
        #expect(sa["nat-any"] as? Bool == false && sa["integ-alg"] == nil)
        let child = try #require((sa["child-sas"] as? [[String: Any]])?.first)
        #expect(child["spi-in"] as? String == lc.spiIn && child["local-ts"] as? [String] == ["198.51.100.0/24"])

        #expect(try await leftClient.down("lab") == DownResult(name: "lab", deleted: 1))
        let gone = await DaemonFixtures.eventually {
            let leftEmpty = (try? await leftClient.status().ikeSAs.isEmpty) == true
            let rightEmpty = (try? await rightClient.status().ikeSAs.isEmpty) == true
            return leftEmpty && rightEmpty
        }
        #expect(gone)
        #expect(try await leftClient.down("lab") == DownResult(name: "lab", deleted: 0))

        await leftServer.stop()
        await rightServer.stop()
        await left.shutdown(grace: .zero)
        await right.shutdown(grace: .zero)
    }

    @Test("up and down of a connection that is not loaded: ok false, unknown-connection, the loaded names")
    func unknownConnection() async throws {
        let (daemon, _) = try await ControlFixtures.single()
        let (directory, path) = try ControlFixtures.socketPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ControlServer.start(daemon: daemon, path: path, logger: ControlFixtures.logger)
        let client = ControlClient(path: path)
        for command in [ControlCommand.up(name: "nope"), .down(name: "nope")] {
            do throws(ControlError) {
                _ = try await client.send(command, expecting: UpResult.self)
                Issue.record("\(command) of an unknown connection succeeded")
            } catch {
                #expect(error.code == .unknownConnection)
                #expect(error.message.contains("'nope'") && error.message.contains("the loaded connections are: lab"))
            }
        }
        let raw = try await ControlFixtures.exchange(
            #"{"version":1,"command":"up","name":"nope"}"# + "\n", with: client)
        #expect(raw["ok"] as? Bool == false && raw["code"] as? String == "unknown-connection" && raw["result"] == nil)
        #expect((raw["error"] as? String)?.contains("cygnet reload") == true)
        await server.stop()
        await daemon.shutdown(grace: .zero)
    }

    static let badRequestCases: [(String, String)] = [
        ("not json at all\n", "malformed-request"),
        ("\n", "malformed-request"),
        ("[1,2]\n", "malformed-request"),
        (#"{"command":"status"}"# + "\n", "malformed-request"),
        (#"{"version":"1","command":"status"}"# + "\n", "malformed-request"),
        (#"{"version":2,"command":"status"}"# + "\n", "unsupported-version"),
        (#"{"version":1,"command":"explode"}"# + "\n", "unknown-command"),
        (#"{"version":1}"# + "\n", "malformed-request"),
        (#"{"version":1,"command":"down"}"# + "\n", "missing-name"),
        (#"{"version":1,"command":"up","name":""}"# + "\n", "missing-name"),
        (#"{"version":1,"command":"up","name":7}"# + "\n", "malformed-request"),
        (String(repeating: "x", count: 70_000), "request-too-large"),
        (
            "{\"version\":1,\"command\":\"status\",\"pad\":\"" + String(repeating: " ", count: 65_600) + "\"}\n",
            "request-too-large"
        ),
    ]

    @Test("bad requests get a clean error and the server keeps serving", arguments: badRequestCases)
    func badRequests(request: String, code: String) async throws {
        let (daemon, _) = try await ControlFixtures.single()
        let (directory, path) = try ControlFixtures.socketPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ControlServer.start(daemon: daemon, path: path, logger: ControlFixtures.logger)
        let client = ControlClient(path: path)
        let raw = try await ControlFixtures.exchange(request, with: client)
        #expect(raw["ok"] as? Bool == false)
        #expect(raw["code"] as? String == code)
        #expect(raw["version"] as? Int == ControlRequest.currentVersion)
        #expect(((raw["error"] as? String)?.count ?? 0) > 20)
        // Still serving.
        #expect(try await client.status().ikeSAs.isEmpty)
        await server.stop()
        await daemon.shutdown(grace: .zero)
    }

    @Test("a request line of exactly the limit is read; the client's typed API decodes the refusal")
    func limitAndTypedRefusal() async throws {
        let (daemon, _) = try await ControlFixtures.single()
        let (directory, path) = try ControlFixtures.socketPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ControlServer.start(daemon: daemon, path: path, logger: ControlFixtures.logger)
        let client = ControlClient(path: path)
        let head = #"{"version":1,"command":"status","pad":""#
        let tail = #""}"#
        let padded = head + String(repeating: " ", count: ControlRequest.maximumLength - head.count - tail.count) + tail
        #expect(padded.utf8.count == ControlRequest.maximumLength)
        let raw = try await ControlFixtures.exchange(padded + "\n", with: client)
        #expect(raw["ok"] as? Bool == true)
        await #expect(throws: ControlError(.unsupportedVersion, "")) {
            try ControlResponse<StatusReport>.result(
                from: try await client.exchange(Array((#"{"version":9,"command":"status"}"# + "\n").utf8)))
        }
        await server.stop()
        await daemon.shutdown(grace: .zero)
    }

    @Test("the socket is mode 0600, refuses a second server, replaces a stale file and is removed on stop")
    func socketFile() async throws {
        let (daemon, _) = try await ControlFixtures.single()
        let (directory, path) = try ControlFixtures.socketPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ControlServer.start(daemon: daemon, path: path, logger: ControlFixtures.logger)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(info.st_uid == getuid())

        await #expect(throws: ControlError(.socketInUse, "")) {
            _ = try await ControlServer.start(daemon: daemon, path: path, logger: ControlFixtures.logger)
        }
        await server.stop()
        #expect(!FileManager.default.fileExists(atPath: path))

        // A socket file nobody listens on (a daemon that crashed) is taken over.
        try makeStaleSocket(at: path)
        let second = try await ControlServer.start(daemon: daemon, path: path, logger: ControlFixtures.logger)
        #expect(try await ControlClient(path: path).status().ikeSAs.isEmpty)
        await second.stop()

        // A file that is not a socket is left alone.
        #expect(FileManager.default.createFile(atPath: path, contents: Data("keep".utf8)))
        do throws(ControlError) {
            _ = try await ControlServer.start(daemon: daemon, path: path, logger: ControlFixtures.logger)
            Issue.record("the server replaced a regular file")
        } catch {
            #expect(error.code == .socketSetupFailed && error.message.contains("not a socket"))
        }
        #expect(FileManager.default.contents(atPath: path) == Data("keep".utf8))
        await daemon.shutdown(grace: .zero)
    }

    @Test(
        "reload calls the owner's handler and applies its configuration; without one, or when it throws, a clear error")
    func reload() async throws {
        let (daemon, configuration) = try await ControlFixtures.single()
        let (directory, path) = try ControlFixtures.socketPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let client = ControlClient(path: path)

        let without = try await ControlServer.start(daemon: daemon, path: path, logger: ControlFixtures.logger)
        await #expect(throws: ControlError(.reloadUnavailable, "")) { _ = try await client.reload() }
        await without.stop()

        let failing = try await ControlServer.start(daemon: daemon, path: path, logger: ControlFixtures.logger) {
            throw ControlFixtures.FixtureError("cygnet.conf:12:5: unknown key 'rekey_tme'")
        }
        do throws(ControlError) {
            _ = try await client.reload()
            Issue.record("a failing reload succeeded")
        } catch {
            #expect(error.code == .reloadFailed && error.message.contains("cygnet.conf:12:5: unknown key 'rekey_tme'"))
            #expect(error.message.contains("unchanged"))
        }
        #expect(daemon.connectionNames == ["lab"])
        await failing.stop()

        let calls = NSLockedCounter()
        let working = try await ControlServer.start(daemon: daemon, path: path, logger: ControlFixtures.logger) {
            calls.withLock { $0 += 1 }
            var next = configuration
            var v6 = next.connections[0]
            v6.peer.name = "lab-v6"
            v6.remoteAddresses = [AddressSpecification("::1") ?? .any]
            next.connections.append(v6)
            return next
        }
        #expect(try await client.reload() == ReloadResult(connections: ["lab", "lab-v6"]))
        #expect(calls.withLock { $0 } == 1)
        #expect(daemon.connectionNames == ["lab", "lab-v6"])
        await working.stop()
        await daemon.shutdown(grace: .zero)
    }

    private func hex(_ value: some BinaryInteger, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// A socket file without a listener, as a crashed daemon leaves behind.
    private func makeStaleSocket(at path: String) throws {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes.prefix(buffer.count - 1))
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw ControlFixtures.FixtureError("bind \(path): errno \(errno)") }
    }
}
