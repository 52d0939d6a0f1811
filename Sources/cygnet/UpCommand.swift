import ArgumentParser
import CygnetControlProtocol

/// `cygnet up NAME`: initiates a connection.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Initiate a connection of the running cygnetd.",
        discussion: """
            Sends the connection's IKE_SA_INIT request and returns; `cygnet status` shows the \
            IKE SA connecting, then established. When it does not come up, cygnetd's log says \
            why (proposals, identities, certificates).
            """
    )

    @OptionGroup var options: ControlOptions

    @Argument(help: "The connection's name in the configuration file.")
    var name: String

    func run() async throws {
        let result = try await options.client.up(name)
        print("initiating '\(result.name)'; `cygnet status` shows its progress")
    }
}
