import ArgumentParser
import CygnetControlProtocol

/// `cygnet down NAME`: deletes a connection's IKE SAs.
struct DownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Delete every IKE SA (and its Child SAs) of a connection.",
        discussion: "Each IKE SA sends its Delete to the peer and goes when the peer answers."
    )

    @OptionGroup var options: ControlOptions

    @Argument(help: "The connection's name in the configuration file.")
    var name: String

    func run() async throws {
        let result = try await options.client.down(name)
        switch result.deleted {
        case 0: print("'\(result.name)' has no IKE SA up; nothing to delete")
        case 1: print("deleting the IKE SA of '\(result.name)'")
        default: print("deleting \(result.deleted) IKE SAs of '\(result.name)'")
        }
    }
}
