import ArgumentParser

/// `cygnetd`: the IKEv2 daemon, in the foreground.
@main
struct CygnetdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cygnetd", abstract: "The Cygnet IKEv2 daemon (runs in the foreground; systemd-friendly).")

    @Option(name: .long, help: "The swanctl.conf-style configuration file.")
    var config: String

    func run() async throws {
        throw ValidationError("cygnetd cannot read configuration files yet; \(config) was not loaded")
    }
}
