import ArgumentParser

/// `cygnet`: the command-line tool. `status`, `up`, `down` and `reload` talk to a running
/// cygnetd over its control socket; offline commands (`demo`, `lint`, `decode`, `bench`)
/// work without one.
@main
struct CygnetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cygnet",
        abstract: "Cygnet IKEv2 VPN: control the daemon, check configurations, inspect IKE traffic, measure.",
        subcommands: [
            DemoCommand.self, StatusCommand.self, LeasesCommand.self, UpCommand.self, DownCommand.self, ReloadCommand.self,
            LintCommand.self, DecodeCommand.self, BenchCommand.self,
        ]
    )
}
