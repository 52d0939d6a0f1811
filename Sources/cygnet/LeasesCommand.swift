import ArgumentParser
import CygnetControlProtocol

/// `cygnet leases [--json] [--socket PATH]`: the address pools and their leases.
struct LeasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leases",
        abstract: "Show the address pools of the running cygnetd and their leases.",
        discussion: """
            As `swanctl --list-pools --leases`: each pool with its addresses and how many \
            are leased online (an IKE SA holds them) and offline (kept for their identity), \
            then each lease with its address, state and identity.
            """
    )

    @OptionGroup var options: ControlOptions

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let report = try await options.client.leases()
        print(json ? report.jsonText : report.text, terminator: "")
    }
}
