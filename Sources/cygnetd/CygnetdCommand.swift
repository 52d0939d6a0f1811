import ArgumentParser
import CygnetDaemon
import Dispatch
import Foundation
import IKECertificates
import IKEConfig
import Logging

/// `cygnetd`: the IKEv2 daemon, in the foreground (systemd `Type=simple`), logging to
/// standard error. SIGHUP reloads the configuration; SIGTERM and SIGINT delete the IKE
/// SAs politely and exit.
@main
struct CygnetdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cygnetd",
        abstract: "The Cygnet IKEv2 daemon: runs in the foreground, logs to standard error.",
        discussion: "SIGHUP reloads FILE; SIGTERM deletes every IKE SA and exits.")

    @Option(name: .long, help: "The swanctl.conf-style configuration file (swanctl's x509/, private/ … next to it).")
    var config: String

    func run() async throws {
        let engines = ProcessInfo.processInfo.activeProcessorCount
        let initial = DaemonConfiguration(try Self.load(config), engineCount: engines)
        // The levels of cygnet { log { } } per subsystem; a reload changes them.
        let levels = LogLevels(initial.settings.log)
        LoggingSystem.bootstrap { label in SubsystemLogHandler(label: label, levels: levels) }
        let logger = Logger(label: "cygnetd").subsystem("dmn")
        let configurationLogger = logger.subsystem("cfg")
        let signals = Self.signals([SIGHUP, SIGTERM, SIGINT])
        let file = config
        let daemon = try await IKEDaemon.start(initial, logger: logger, logLevels: levels)
        let control: ControlServer
        do {
            control = try await ControlServer.start(daemon: daemon, path: initial.settings.controlSocket, logger: logger) {
                DaemonConfiguration(try Self.load(file), engineCount: engines)
            }
        } catch {
            await daemon.shutdown()
            throw error
        }
        logger.info("cygnetd started with \(config): \(initial.connections.count) connections")
        for await signal in signals {
            switch signal {
            case SIGHUP:
                do {
                    try await daemon.reload(DaemonConfiguration(try Self.load(file), engineCount: engines))
                } catch {
                    configurationLogger.error("reload of \(file) failed, keeping the running configuration:\n\(error)")
                }
            default:
                logger.info("signal \(signal): deleting IKE SAs and stopping")
                await control.stop()
                await daemon.shutdown()
                return
            }
        }
    }

    /// The configuration and its credentials, or every problem with file, line and column.
    static func load(_ file: String) throws -> LoadedConfiguration {
        do {
            return try ConfigurationLoader().load(file: file)
        } catch {
            throw ValidationError("\(file) has errors (`cygnet lint \(file)` explains each):\n\(error)")
        }
    }

    /// The signals as they arrive (their default actions turned off).
    static func signals(_ numbers: [Int32]) -> AsyncStream<Int32> {
        AsyncStream { continuation in
            let sources = SignalSources(numbers) { continuation.yield($0) }
            continuation.onTermination = { _ in sources.cancel() }
        }
    }
}

/// Dispatch signal sources; they live until cancelled. Touched only at creation and
/// cancellation, which is what makes the `@unchecked Sendable` sound.
final class SignalSources: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(_ numbers: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "cygnetd.signals")
        sources = numbers.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }
}
