import Foundation
import NIOCore
import Testing

@testable import CygnetControlProtocol

#if canImport(Glibc)
import Glibc
#endif

/// The protocol's parts without a socket: request parsing, the line buffer, responses,
/// and the client's explanations of connect failures.
@Suite("Control protocol: requests, responses, limits, client errors")
struct ControlProtocolTests {
    @Test("commands encode to version-1 request lines and parse back")
    func roundTrip() throws {
        for command in [ControlCommand.status, .up(name: "site-b"), .down(name: "site-b"), .reload] {
            let line = command.request.line
            #expect(line.last == UInt8(ascii: "\n"))
            #expect(try ControlRequest.command(from: Array(line.dropLast())) == command)
        }
        #expect(String(decoding: ControlCommand.up(name: "a/b").request.line, as: UTF8.self).contains(#""name":"a/b""#))
        // Unknown fields are ignored.
        #expect(
            try ControlRequest.command(from: Array(#"{"version":1,"command":"status","verbose":true}"#.utf8)) == .status
        )
    }

    static let refusalCases: [(String, ControlError.Code, String)] = [
        ("", ControlError.Code.malformedRequest, "empty request"),
        ("{", .malformedRequest, "not valid JSON"),
        ("\"status\"", .malformedRequest, "must be a JSON object"),
        (#"{"version":1.5,"command":"status"}"#, .malformedRequest, "not valid JSON"),
        (#"{"version":true,"command":"status"}"#, .malformedRequest, #""version" must be an integer"#),
        (#"{"version":1,"command":5}"#, .malformedRequest, #""command" must be a string"#),
        (#"{"command":"status"}"#, .malformedRequest, #"no "version""#),
        (#"{"version":0,"command":"status"}"#, .unsupportedVersion, "speaks version 1"),
        (#"{"version":1}"#, .malformedRequest, #"no "command""#),
        (#"{"version":1,"command":"STATUS"}"#, .unknownCommand, "status, up, down, reload"),
        (#"{"version":1,"command":"up","name":null}"#, .missingName, #""name""#),
    ]

    @Test("bad requests are refused with a code and a message that says what to send", arguments: refusalCases)
    func refusals(line: String, code: ControlError.Code, phrase: String) {
        do throws(ControlError) {
            let command = try ControlRequest.command(from: Array(line.utf8))
            Issue.record("'\(line)' parsed as \(command)")
        } catch {
            #expect(error.code == code)
            #expect(error.message.contains(phrase), "\(error.message)")
        }
    }

    @Test("the line buffer: split reads, the limit exactly, one byte over, bytes after the newline")
    func lineBuffer() {
        var buffer = ControlLineBuffer(limit: 8)
        #expect(buffer.append(ByteBuffer(string: "abcd")) == .incomplete)
        #expect(buffer.append(ByteBuffer(string: "efgh\nrest")) == .line(Array("abcdefgh".utf8)))
        var over = ControlLineBuffer(limit: 8)
        #expect(over.append(ByteBuffer(string: "abcde")) == .incomplete)
        #expect(over.append(ByteBuffer(string: "fghi")) == .tooLong)
        var overWithNewline = ControlLineBuffer(limit: 8)
        #expect(overWithNewline.append(ByteBuffer(string: "abcdefghi\n")) == .tooLong)
        var eof = ControlLineBuffer(limit: 8)
        #expect(eof.unterminatedLine == nil)
        #expect(eof.append(ByteBuffer(string: "abc")) == .incomplete)
        #expect(eof.unterminatedLine == Array("abc".utf8))
    }

    @Test("responses: success and refusal lines, decoded by the client")
    func responses() throws {
        let ok = ControlResponse(result: DownResult(name: "site-b", deleted: 2)).line
        #expect(ok.last == UInt8(ascii: "\n") && ok.filter { $0 == UInt8(ascii: "\n") }.count == 1)
        #expect(try sameJSON(ok, #"{"version":1,"ok":true,"result":{"name":"site-b","deleted":2}}"#))
        #expect(
            try ControlResponse<DownResult>.result(from: Array(ok.dropLast())) == DownResult(name: "site-b", deleted: 2)
        )
        let refusal = ControlResponse<Never>(error: ControlError(.unknownConnection, "no connection named 'x'")).line
        #expect(
            try sameJSON(
                refusal, #"{"version":1,"ok":false,"code":"unknown-connection","error":"no connection named 'x'"}"#))
        do throws(ControlError) {
            _ = try ControlResponse<DownResult>.result(from: Array(refusal.dropLast()))
            Issue.record("a refusal decoded as a result")
        } catch {
            #expect(error.code == .unknownConnection && error.message == "no connection named 'x'")
        }
        #expect(throws: ControlError(.malformedResponse, "")) {
            try ControlResponse<DownResult>.result(from: Array("HTTP/1.1 400 Bad Request".utf8))
        }
    }

    @Test("the socket path: --socket, then CYGNET_SOCKET, then /run/cygnet.ctl")
    func socketPath() {
        #expect(
            ControlClient.socketPath(explicit: "/tmp/a.sock", environment: ["CYGNET_SOCKET": "/tmp/b.sock"])
                == "/tmp/a.sock")
        #expect(ControlClient.socketPath(explicit: nil, environment: ["CYGNET_SOCKET": "/tmp/b.sock"]) == "/tmp/b.sock")
        #expect(ControlClient.socketPath(explicit: nil, environment: [:]) == "/run/cygnet.ctl")
    }

    @Test("connect failures say what to do: start cygnetd, or run as root")
    func connectErrors() {
        let missing = ControlClient.connectionError(
            IOError(errnoCode: ENOENT, reason: "connect"), path: "/run/cygnet.ctl")
        #expect(missing.code == .daemonNotRunning)
        #expect(missing.message.contains("is cygnetd running?") && missing.message.contains("cygnetd --config"))
        #expect(missing.message.contains("/run/cygnet.ctl"))
        let denied = ControlClient.connectionError(
            IOError(errnoCode: EACCES, reason: "connect"), path: "/run/cygnet.ctl")
        #expect(denied.code == .permissionDenied && denied.message.contains("as root"))
        let other = ControlClient.connectionError(IOError(errnoCode: EMFILE, reason: "socket"), path: "/x")
        #expect(other.code == .connectionFailed)
    }

    @Test("no daemon: the client's error names the socket and says to start cygnetd")
    func noDaemon() async {
        let path = "/tmp/cygnet-no-daemon-\(getpid()).sock"
        do throws(ControlError) {
            _ = try await ControlClient(path: path).status()
            Issue.record("status succeeded without a daemon")
        } catch {
            #expect(error.code == .daemonNotRunning)
            #expect(error.message.contains("no control socket at \(path): is cygnetd running?"))
        }
    }

    /// Whether two JSON texts hold the same value, whatever the order of their keys.
    private func sameJSON(_ line: [UInt8], _ expected: String) throws -> Bool {
        func canonical(_ data: Data) throws -> Data {
            try JSONSerialization.data(
                withJSONObject: try JSONSerialization.jsonObject(with: data), options: [.sortedKeys])
        }
        return try canonical(Data(line)) == canonical(Data(expected.utf8))
    }
}
