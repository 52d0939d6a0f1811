import Foundation
import Testing

/// Docs/clients/*.md give, as the gateway's configuration, the Cygnet side of the
/// interop scenario that tests it.
@Suite("Docs/clients: the gateway configurations are the scenarios'")
struct ClientProfileDocumentationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("The configuration block of each page is the scenario's right.swanctl.conf without its comment header",
          arguments: ["windows", "apple", "android"])
    func gatewayConfiguration(client: String) throws {
        let page = try String(
            contentsOf: Self.repository.appendingPathComponent("Docs/clients/\(client).md"), encoding: .utf8)
        let marker = "(the Cygnet side of `\(client)-strongswan`, with the lab's\nnames):\n\n```\n"
        let start = try #require(page.range(of: marker)).upperBound
        let end = try #require(page.range(of: "```\n", range: start..<page.endIndex)).lowerBound
        let scenario = try String(
            contentsOf: Self.repository.appendingPathComponent("Interop/suite/scenarios/\(client)/right.swanctl.conf"),
            encoding: .utf8)
        let body = scenario.split(separator: "\n", omittingEmptySubsequences: false).drop { $0.hasPrefix("#") }
            .joined(separator: "\n")
        #expect(String(page[start..<end]) == body)
    }
}
