/// One capture record as `cygnet decode` shows it: text lines and a JSON object.
public struct RenderedRecord: Hashable, Sendable {
    /// What the record held.
    public enum Kind: String, Hashable, Sendable {
        /// An IKE message that decoded.
        case ike
        /// An IKE message that did not decode; ``RenderedRecord/json`` has an `error` object.
        case malformed
        /// An ESP packet on port 4500.
        case esp
        /// A NAT-keepalive.
        case keepalive
        /// Anything else worth a line.
        case note
    }

    public var kind: Kind
    /// The header line, then the payload tree indented by two spaces per level.
    public var lines: [String]
    /// One JSON object for this record.
    public var json: JSONValue

    public init(kind: Kind, lines: [String], json: JSONValue) {
        self.kind = kind
        self.lines = lines
        self.json = json
    }

    /// The text form: ``lines`` joined by newlines.
    public var text: String { lines.joined(separator: "\n") }
}
