import CygnetDaemon
import Foundation
import Testing

/// What the client API does not send: a request ended by a half-close, or none at all.
@Suite("Control socket: half-closed requests and silent clients")
struct ControlConnectionTests {
    @Test("a request without a newline, ended by a half-close, is answered")
    func halfClose() async throws {
        let (daemon, _) = try await ControlFixtures.single()
        let (directory, path) = try ControlFixtures.socketPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ControlServer.start(daemon: daemon, path: path, logger: ControlFixtures.logger)
        let answer = try #require(
            try await RawControlExchange.run(path: path, send: #"{"version":1,"command":"status"}"#, halfClose: true))
        let object = try ControlFixtures.object(Array(answer.dropLast()))
        #expect(answer.last == UInt8(ascii: "\n"))
        #expect(object["ok"] as? Bool == true)
        await server.stop()
        await daemon.shutdown(grace: .zero)
    }

    @Test("a client that sends nothing, or half a request, is disconnected after the request timeout")
    func silentClient() async throws {
        let (daemon, _) = try await ControlFixtures.single()
        let (directory, path) = try ControlFixtures.socketPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ControlServer.start(
            daemon: daemon, path: path, logger: ControlFixtures.logger, requestTimeout: .milliseconds(200))
        for partial in ["", #"{"version":1,"#] {
            // Closed by the server after its 200 ms request timeout, without an answer.
            #expect(try await RawControlExchange.run(path: path, send: partial, halfClose: false) == [])
        }
        // An empty connection closed by the client gets no answer either.
        #expect(try await RawControlExchange.run(path: path, send: "", halfClose: true) == [])
        await server.stop()
        await daemon.shutdown(grace: .zero)
    }
}
