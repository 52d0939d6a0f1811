import ArgumentParser
import CygnetControlProtocol

/// `cygnet reload`: has cygnetd re-read its configuration file.
struct ReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Have the running cygnetd re-read its configuration file (as SIGHUP does).",
        discussion: """
            New IKE SAs use the new configuration; established ones keep theirs until they \
            are rekeyed or brought down. New connections with start_action = start are \
            initiated. A configuration with errors is refused and the running one stays.
            """
    )

    @OptionGroup var options: ControlOptions

    func run() async throws {
        let result = try await options.client.reload()
        let count = result.connections.count
        let names = result.connections.isEmpty ? "" : ": " + result.connections.joined(separator: ", ")
        print("configuration reloaded, \(count) connection\(count == 1 ? "" : "s")\(names)")
    }
}
