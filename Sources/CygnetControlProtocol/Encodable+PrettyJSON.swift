import Foundation

extension Encodable {
    /// Pretty-printed JSON with sorted keys and unescaped slashes: what every `--json`
    /// of the `cygnet` tool prints.
    package func prettyJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
