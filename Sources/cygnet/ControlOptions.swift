import ArgumentParser
import CygnetControlProtocol

/// The options every command that talks to cygnetd shares.
struct ControlOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "cygnetd's control socket (default: $\(ControlClient.socketEnvironmentVariable), else \(ControlClient.defaultSocketPath)).",
            valueName: "path"))
    var socket: String?

    var client: ControlClient { ControlClient(path: ControlClient.socketPath(explicit: socket)) }
}
