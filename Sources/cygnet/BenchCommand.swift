import ArgumentParser
import Foundation
import CygnetTools

/// `cygnet bench`: measurements of the implementation, offline.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the implementation.",
        subcommands: [BenchWireCommand.self, BenchCryptoCommand.self, BenchHandshakeCommand.self, BenchESPCommand.self]
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

/// `cygnet bench crypto [--quick] [--rounds N] [--seconds S] [--openssl-seconds N] [--no-openssl] [--json]`.
struct BenchCryptoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypto",
        abstract: "Measure key exchange, AEADs, ciphers, integrity and signatures beside `openssl speed`.",
        discussion: """
            Every transform of the default provider (plus 3DES and MODP 1024/1536), measured \
            as the daemon uses it: AEADs and ciphers in place on a preallocated ESP-shaped \
            packet, one context per SA, on 1400 and 64-byte payloads. Time is this thread's \
            CPU time, the median of several rounds after a warm-up. When `openssl` is on \
            PATH, `openssl speed` runs afterwards for the same primitives and each row shows \
            its figure and the ratio. The default run takes about a minute and a half; \
            --quick takes a few seconds and runs openssl only for the AES-256-GCM gate. \
            Build with `swift build -c release` for real figures.
            """
    )

    @Flag(help: "A few seconds: three short rounds per figure; openssl only for the AES-256-GCM gate.")
    var quick = false

    @Option(help: "Timed rounds per figure; the median is reported (default 5, --quick 3).")
    var rounds: Int?

    @Option(help: "Target CPU seconds per round (default 0.05, --quick 0.002).")
    var seconds: Double?

    @Option(name: .customLong("openssl-seconds"), help: "`-seconds` for each `openssl speed` run.")
    var opensslSeconds: Int = 1

    @Flag(name: .customLong("no-openssl"), help: "Do not run `openssl speed`.")
    var noOpenSSL = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        if let rounds, rounds <= 0 { throw ValidationError("--rounds must be positive") }
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be positive") }
        guard opensslSeconds > 0 else { throw ValidationError("--openssl-seconds must be positive") }
    }

    func run() throws {
        AllocationCounter.reexecutePreloadedIfNeeded()
        let command = (["cygnet"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        var benchmark = quick ? CryptoBenchmark.quick : CryptoBenchmark()
        if let rounds { benchmark.rounds = rounds }
        if let seconds { benchmark.secondsPerRound = seconds }
        benchmark.opensslSeconds = opensslSeconds
        if noOpenSSL { benchmark.comparison = .none }
        let report = try benchmark.run(
            environment: BenchEnvironment.current(command: command), progress: CryptoBenchmark.printToStandardError)
        print(json ? try report.json() : report.text)
    }
}

/// `cygnet bench handshake --in-memory [--count N] [--json]`.
struct BenchHandshakeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handshake",
        abstract: "Set up N IKE SAs (PSK, X25519, AES-GCM-256, one Child SA each) against one responder, then N with EAP-MSCHAPv2 and a virtual IP; print its CPU and memory per SA.",
        discussion: """
            In memory: initiator and responder engines exchange datagrams directly, no \
            sockets. The responder's CPU time (this thread's, only its datagram handling) \
            and the heap it keeps per established SA are printed beside strongSwan's \
            figures from the interop lab. In the same run, N more clients authenticate \
            with EAP-MSCHAPv2 and get a virtual IP from a pool: the responder's figures \
            then include its host's EAP method and leases. Build with \
            `swift build -c release` for real figures.
            """
    )

    @Flag(name: .customLong("in-memory"), help: "Run initiators and responder in this process without sockets (the only mode so far).")
    var inMemory = false

    @Option(help: "Initiators, one IKE SA each.")
    var count: Int = 1000

    @Option(help: "Handshakes before the measurement starts.")
    var warmUp: Int = 50

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard inMemory else { throw ValidationError("only --in-memory is supported so far") }
        guard count > 0 else { throw ValidationError("--count must be positive") }
        guard warmUp >= 0 else { throw ValidationError("--warm-up must not be negative") }
    }

    func run() throws {
        let command = (["cygnet"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let report = try HandshakeBenchmark(count: count, warmUp: warmUp).run(environment: .current(command: command))
        print(json ? try HandshakeBenchmark.json(report) : HandshakeBenchmark.render(report))
    }
}

/// `cygnet bench esp [--quick] [--rounds N] [--seconds S] [--suites A,B] [--json]`.
struct BenchESPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "esp",
        abstract: "ESP seal + open throughput per core beside the bare AEAD/cipher; the overhead ESP adds; allocations per packet.",
        discussion: """
            AES-GCM-256, AES-GCM-128, ChaCha20-Poly1305 and AES-CBC-128 + HMAC-SHA-256-128 on \
            1400 and 64-byte payloads: an outbound SA seals and an inbound SA opens each \
            packet in place; the bare AEAD (or cipher and HMAC) contexts do the same work on \
            the same buffers in alternating rounds. Time is this thread's CPU time, the median \
            of the rounds. Allocations are counted by re-running the command with \
            libCygnetMallocCounter.so (built beside the executable) preloaded. Build with \
            `swift build -c release` for real figures.
            """
    )

    @Flag(help: "A few seconds: three short rounds.")
    var quick = false

    @Option(help: "Timed rounds per figure; the median is reported (default 7, --quick 3).")
    var rounds: Int?

    @Option(help: "Target CPU seconds per round (default 0.1, --quick 0.01).")
    var seconds: Double?

    @Option(help: "Comma-separated suites (default all): aes256gcm16, aes128gcm16, chacha20poly1305, aes128-sha256.")
    var suites: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        if let rounds, rounds <= 0 { throw ValidationError("--rounds must be positive") }
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be positive") }
        _ = try selectedSuites()
    }

    func selectedSuites() throws -> [ESPBenchmark.Suite]? {
        guard let suites else { return nil }
        return try suites.split(separator: ",").map { name in
            guard let suite = ESPBenchmark.Suite(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                let known = ESPBenchmark.Suite.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("unknown suite '\(name)'; known: \(known)")
            }
            return suite
        }
    }

    func run() throws {
        AllocationCounter.reexecutePreloadedIfNeeded()
        let command = (["cygnet"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        var benchmark = quick ? ESPBenchmark.quick : ESPBenchmark()
        if let rounds { benchmark.rounds = rounds }
        if let seconds { benchmark.secondsPerRound = seconds }
        if let suites = try selectedSuites() { benchmark.suites = suites }
        let report = try benchmark.run(
            environment: BenchEnvironment.current(command: command), progress: ESPBenchmark.printToStandardError)
        print(json ? try report.json() : report.text)
    }
}
