import ArgumentParser
import CygnetControlProtocol

/// `cygnet status [--json] [--socket PATH]`: the daemon's IKE SAs and Child SAs.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the IKE SAs and Child SAs of the running cygnetd.",
        discussion: """
            One block per IKE SA, in the manner of `swanctl --list-sas`: state, SPIs (* marks \
            ours as initiator or responder), endpoints and identities, algorithms, lifetimes, \
            then each Child SA with its SPIs, algorithms, counters and traffic selectors.

            --json prints the daemon's status result with swanctl's (vici's) key names; \
            Docs/control-protocol.md describes every field. Counters are inner packets and \
            bytes; "dropped" counts inbound packets refused on that SA.
            """
    )

    @OptionGroup var options: ControlOptions

    @Flag(name: .long, help: "Print JSON (vici's key names) instead of text.")
    var json = false

    func run() async throws {
        let report = try await options.client.status()
        print(json ? report.jsonText : StatusRenderer.render(report), terminator: "")
    }
}
