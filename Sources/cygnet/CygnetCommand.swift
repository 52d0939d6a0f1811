import ArgumentParser

/// `cygnet`: the command-line tool. Offline commands (`lint`, `decode`, `bench`) work without a
/// running daemon.
@main
struct CygnetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cygnet",
        abstract: "Cygnet IKEv2 VPN: inspect IKE traffic and measure the implementation.",
        subcommands: [LintCommand.self, DecodeCommand.self, BenchCommand.self]
    )
}
