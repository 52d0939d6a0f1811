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
            initiated; log levels and keep_alive change at once. The cygnet { } settings of \
            sockets, the control socket, metrics, the data plane, the TUN device and the key \
            log change only when cygnetd restarts: they are listed. A configuration with \
            errors is refused and the running one stays.
            """
    )

    @OptionGroup var options: ControlOptions

    func run() async throws {
        let result = try await options.client.reload()
        let count = result.connections.count
        let names = result.connections.isEmpty ? "" : ": " + result.connections.joined(separator: ", ")
        print("configuration reloaded, \(count) connection\(count == 1 ? "" : "s")\(names)")
        if !result.restartRequired.isEmpty {
            print("restart cygnetd to apply: \(result.restartRequired.joined(separator: ", ")) (the running values stay)")
        }
    }
}
