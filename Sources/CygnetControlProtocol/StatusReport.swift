import Foundation

/// The result of `status`: every IKE SA of the daemon with its Child SAs, in the
/// vocabulary of strongSwan's `swanctl --list-sas --raw` (vici's `list-sa` event), so
/// scripts and the interop suite can compare the two field by field.
/// `Docs/control-protocol.md` describes every field.
public struct StatusReport: Codable, Hashable, Sendable {
    /// Sorted by connection name, then by local SPI.
    public var ikeSAs: [IKESAReport]

    public init(ikeSAs: [IKESAReport]) { self.ikeSAs = ikeSAs }

    enum CodingKeys: String, CodingKey {
        case ikeSAs = "ike-sas"
    }

    /// The report as indented JSON with sorted keys (stable from run to run), ending with a
    /// newline: what `cygnet status --json` prints.
    public var jsonText: String {
        // Strings, numbers and Booleans only: encoding cannot fail.
        guard let text = try? prettyJSON() else { return "{}\n" }
        return text + "\n"
    }
}
