import CygnetControlProtocol
import IKEConfig
import Logging

/// Answers control requests with the daemon: parses a request line, runs the command,
/// and builds the response line. Knows nothing of sockets.
struct ControlService: Sendable {
    let daemon: IKEDaemon
    let reload: ControlServer.ReloadHandler?
    let logger: Logger

    /// The response line (newline included) to a request line (without its newline).
    func respond(to line: [UInt8]) async -> [UInt8] {
        do throws(ControlError) {
            let command = try ControlRequest.command(from: line)
            logger.log(
                level: command == .status ? .debug : .info, "control: \(command.word)", metadata: Self.metadata(command)
            )
            return try await run(command)
        } catch {
            logger.notice("control request refused: \(error.message)", metadata: ["code": "\(error.code)"])
            return ControlResponse<Never>(error: error).line
        }
    }

    /// The response to a request that broke a rule before it could be parsed.
    static func refusal(_ error: ControlError) -> [UInt8] { ControlResponse<Never>(error: error).line }

    private func run(_ command: ControlCommand) async throws(ControlError) -> [UInt8] {
        switch command {
        case .status:
            return ControlResponse(result: await daemon.statusReport()).line
        case .leases:
            return ControlResponse(result: daemon.pools.report).line
        case .up(let name):
            try checkLoaded(name)
            do {
                try await daemon.up(name)
            } catch {
                throw ControlError(.commandFailed, "could not initiate '\(name)': \(error)")
            }
            return ControlResponse(result: UpResult(name: name)).line
        case .down(let name):
            try checkLoaded(name)
            do {
                return ControlResponse(result: DownResult(name: name, deleted: try await daemon.down(name))).line
            } catch {
                throw ControlError(.commandFailed, "could not delete the IKE SAs of '\(name)': \(error)")
            }
        case .reload:
            guard let reload else {
                throw ControlError(
                    .reloadUnavailable,
                    "this cygnetd has no configuration file to re-read; restart it with `cygnetd --config FILE` to change its configuration"
                )
            }
            let configuration: DaemonConfiguration
            do {
                configuration = try await reload()
            } catch {
                throw ControlError(.reloadFailed, "reload failed, the running configuration is unchanged: \(error)")
            }
            let restartRequired: [String]
            do {
                restartRequired = try await daemon.reload(configuration)
            } catch {
                throw ControlError(.reloadFailed, "the new configuration could not be applied completely: \(error)")
            }
            return ControlResponse(
                result: ReloadResult(connections: configuration.connections.map(\.name), restartRequired: restartRequired)
            ).line
        }
    }

    /// Throws a helpful error when `name` is not a loaded connection.
    private func checkLoaded(_ name: String) throws(ControlError) {
        let names = daemon.connectionNames
        guard !names.contains(name) else { return }
        let loaded =
            names.isEmpty
            ? "no connections are loaded" : "the loaded connections are: " + names.joined(separator: ", ")
        throw ControlError(
            .unknownConnection,
            "no connection named '\(name)'; \(loaded) (add it to the configuration file and run `cygnet reload`)")
    }

    private static func metadata(_ command: ControlCommand) -> Logger.Metadata {
        switch command {
        case .status, .reload, .leases: [:]
        case .up(let name), .down(let name): ["peer": "\(name)"]
        }
    }
}
