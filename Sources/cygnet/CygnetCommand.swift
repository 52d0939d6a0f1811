import ArgumentParser

/// `cygnet`: the command-line tool. `status`, `up`, `down` and `reload` talk to a running
/// cygnetd over its control socket; offline commands (`decode`, `bench`) work without one.
@main
struct CygnetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cygnet",
        abstract: "Cygnet IKEv2 VPN: control the daemon, inspect IKE traffic, measure the implementation.",
        subcommands: [
            StatusCommand.self, UpCommand.self, DownCommand.self, ReloadCommand.self, DecodeCommand.self,
            BenchCommand.self,
        ]
    )
}
