import ArgumentParser
import CygnetDaemon

/// `cygnet bench`: measurements of the implementation, offline.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the implementation.",
        subcommands: [BenchWireCommand.self]
    )
}

/// `cygnet bench wire [--iterations N] [--rounds N] [--json]`.
struct BenchWireCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wire",
        abstract: "Decode and re-encode captured IKE messages; print messages/s and heap allocations per message.",
        discussion: """
            Time is this thread's CPU time, the median of several rounds. Allocations are \
            counted by re-running the command with libCygnetMallocCounter.so (built beside \
            the executable) preloaded. Build with `swift build -c release` for real figures.
            """
    )

    @Option(help: "Messages per round.")
    var iterations: Int = 20_000

    @Option(help: "Timed rounds; the median is reported.")
    var rounds: Int = 7

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard iterations > 0 else { throw ValidationError("--iterations must be positive") }
        guard rounds > 0 else { throw ValidationError("--rounds must be positive") }
    }

    func run() throws {
        AllocationCounter.reexecutePreloadedIfNeeded()
        let command = (["cygnet"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let report = try WireBenchmark(iterations: iterations, rounds: rounds)
            .run(environment: .current(command: command))
        print(json ? try WireBenchmark.json(report) : WireBenchmark.render(report))
    }
}
