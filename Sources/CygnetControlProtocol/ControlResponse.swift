import Foundation

/// The one response line to a ``ControlRequest``:
/// `{"version":1,"ok":true,"result":{...}}` or
/// `{"version":1,"ok":false,"code":"unknown-connection","error":"no connection named ..."}`.
///
/// `version` is the daemon's protocol version, also when it refuses a request of another
/// version, so the client learns what to speak. `Result` is the command's result type
/// (``StatusReport``, ``UpResult``, ``DownResult``, ``ReloadResult``); a refusal carries
/// none (`ControlResponse<Never>` on the daemon's side).
public struct ControlResponse<Result: Codable & Sendable>: Codable, Sendable {
    /// The daemon's protocol version.
    public var version: Int
    /// Whether the command succeeded.
    public var ok: Bool
    /// Present when `ok` is true.
    public var result: Result?
    /// Present when `ok` is false: a ``ControlError/Code``.
    public var code: ControlError.Code?
    /// Present when `ok` is false: what went wrong and what to do.
    public var error: String?

    /// A success.
    public init(result: Result) {
        self.version = ControlRequest.currentVersion
        self.ok = true
        self.result = result
    }

    /// A refusal or a failure.
    public init(error: ControlError) {
        self.version = ControlRequest.currentVersion
        self.ok = false
        self.code = error.code
        self.error = error.message
    }

    /// The response as one JSON line, newline included.
    public var line: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
        } catch {
            // Our result types encode plain strings, numbers and Booleans; this is a bug.
            let fallback =
                #"{"version":1,"ok":false,"code":"internal","error":"the daemon could not encode its answer"}"#
            return Array(fallback.utf8) + [UInt8(ascii: "\n")]
        }
    }

    /// The result of a response line, or the error it carries.
    public static func result(from line: [UInt8]) throws(ControlError) -> Result {
        let response: ControlResponse<Result>
        do {
            response = try JSONDecoder().decode(ControlResponse<Result>.self, from: Data(line))
        } catch {
            let text = String(decoding: line.prefix(200), as: UTF8.self)
            throw ControlError(
                .malformedResponse,
                "the daemon's answer is not a control response this `cygnet` understands (\(error)): \(text)")
        }
        guard response.ok else {
            throw ControlError(
                response.code ?? .commandFailed, response.error ?? "the daemon refused the request without saying why")
        }
        guard let result = response.result else {
            throw ControlError(.malformedResponse, "the daemon answered ok without a result")
        }
        return result
    }
}
