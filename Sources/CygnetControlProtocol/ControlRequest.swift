import Foundation

/// One request line of the control protocol:
/// `{"version":1,"command":"up","name":"site-b"}`.
///
/// The daemon reads one line (at most ``maximumLength`` bytes before the newline), answers
/// with one ``ControlResponse`` line and closes the connection. Fields the daemon does not
/// know are ignored, so a newer client's optional additions reach an older daemon
/// harmlessly; a change an older daemon must not ignore comes with a new ``version``.
public struct ControlRequest: Codable, Hashable, Sendable {
    /// The protocol version this build speaks, and answers in.
    public static let currentVersion = 1
    /// The longest request line accepted, in bytes, not counting its newline.
    public static let maximumLength = 64 * 1024

    /// The protocol version the client speaks; the daemon answers only ``currentVersion``.
    public var version: Int
    /// `status`, `up`, `down`, `reload` or `leases`.
    public var command: String
    /// The connection, for `up` and `down`.
    public var name: String?

    public init(version: Int = ControlRequest.currentVersion, command: String, name: String? = nil) {
        self.version = version
        self.command = command
        self.name = name
    }

    /// The request as one JSON line, newline included.
    public var line: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding three plain fields cannot fail.
        let data = (try? encoder.encode(self)) ?? Data()
        return Array(data) + [UInt8(ascii: "\n")]
    }

    /// The fields as sent, each optional, so that a missing or mistyped field gets its own
    /// message rather than a generic decoding error.
    private struct Fields: Decodable {
        var version: Int?
        var command: String?
        var name: String?
    }

    /// Reads a request line (without its newline) into a command, or says precisely what
    /// is wrong with it.
    public static func command(from line: [UInt8]) throws(ControlError) -> ControlCommand {
        let example = #"{"version":1,"command":"status"}"#
        guard line.contains(where: { !Self.isJSONWhitespace($0) }) else {
            throw ControlError(.malformedRequest, "empty request; send one JSON object on one line, e.g. \(example)")
        }
        let fields: Fields
        do {
            fields = try JSONDecoder().decode(Fields.self, from: Data(line))
        } catch let DecodingError.typeMismatch(_, context) {
            guard let field = context.codingPath.first?.stringValue else {
                throw ControlError(.malformedRequest, "the request must be a JSON object, e.g. \(example)")
            }
            let expected = field == "version" ? "an integer" : "a string"
            throw ControlError(.malformedRequest, "\"\(field)\" must be \(expected), e.g. \(example)")
        } catch {
            throw ControlError(
                .malformedRequest, "the request is not valid JSON; send one JSON object on one line, e.g. \(example)")
        }
        guard let version = fields.version else {
            throw ControlError(
                .malformedRequest,
                "the request has no \"version\"; this daemon speaks version \(currentVersion), e.g. \(example)")
        }
        guard version == currentVersion else {
            throw ControlError(
                .unsupportedVersion,
                "protocol version \(version) is not supported; this daemon speaks version \(currentVersion) (use a `cygnet` of the same release as cygnetd)"
            )
        }
        guard let word = fields.command else {
            throw ControlError(.malformedRequest, "the request has no \"command\"; one of status, up, down, reload, leases")
        }
        switch word {
        case "status": return .status
        case "reload": return .reload
        case "leases": return .leases
        case "up", "down":
            guard let name = fields.name, !name.isEmpty else {
                throw ControlError(
                    .missingName,
                    "\"\(word)\" needs the connection's \"name\", e.g. {\"version\":1,\"command\":\"\(word)\",\"name\":\"site-b\"}"
                )
            }
            return word == "up" ? .up(name: name) : .down(name: name)
        default:
            throw ControlError(
                .unknownCommand, "unknown command \"\(word)\"; this daemon knows status, up, down, reload, leases")
        }
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
