import CCygnetNet
import CygnetControlProtocol
import Foundation
import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The daemon's control socket: a Unix stream socket, mode 0600, that answers the JSON
/// requests of `cygnet status`, `up`, `down` and `reload` (`Docs/control-protocol.md`).
///
/// The owner of the daemon starts it after ``IKEDaemon/start(_:logger:)`` and stops it
/// before ``IKEDaemon/shutdown(grace:)``:
///
/// ```swift
/// let daemon = try await IKEDaemon.start(configuration, logger: logger)
/// let control = try await ControlServer.start(
///     daemon: daemon, path: configuration.settings.controlSocket, logger: logger
/// ) { try loadConfiguration(from: file) }
/// // ... until SIGTERM
/// await control.stop()
/// await daemon.shutdown()
/// ```
///
/// The socket's owner is whoever runs the daemon (root in production); only that user may
/// connect. Connections are served on NIO's shared event loops, each reading one request
/// line of at most ``ControlRequest/maximumLength`` bytes.
public final class ControlServer: Sendable {
    /// Produces the configuration `reload` applies: the daemon's owner re-reads its
    /// configuration file here, and throws (with file, line and a hint) when it is wrong.
    public typealias ReloadHandler = @Sendable () async throws -> DaemonConfiguration

    /// The socket's path.
    public let path: String
    private let channel: any Channel
    /// The socket file as created, so that ``stop()`` removes ours and not a successor's.
    private let file: FileIdentity?

    private init(path: String, channel: any Channel, file: FileIdentity?) {
        self.path = path
        self.channel = channel
        self.file = file
    }

    /// Listens on `path`, replacing a stale socket file left by a daemon that stopped,
    /// and sets the socket's mode to 0600 right after binding.
    ///
    /// - Parameters:
    ///   - requestTimeout: how long a client may take to send its request line before the
    ///     connection is closed.
    ///   - reload: how `reload` gets the new configuration; `nil` answers `reload` with an
    ///     error that says the daemon cannot re-read its configuration.
    /// - Throws: ``ControlError/Code/socketInUse`` when another daemon answers on `path`,
    ///   ``ControlError/Code/socketSetupFailed`` when the socket cannot be made.
    public static func start(
        daemon: IKEDaemon, path: String, logger: Logger, requestTimeout: Duration = .seconds(10),
        reload: ReloadHandler? = nil
    ) async throws(ControlError) -> ControlServer {
        if await ControlClient.isListening(on: path) {
            throw ControlError(
                .socketInUse,
                "another process already answers on the control socket \(path) (a cygnetd still running?); stop it, or configure another control socket path"
            )
        }
        let service = ControlService(daemon: daemon, reload: reload, logger: logger)
        let (seconds, attoseconds) = requestTimeout.components
        let timeout = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 64)
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ControlConnectionHandler(service: service, requestTimeout: timeout))
                    }
                }
                .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
        } catch {
            throw setupError(error, path: path)
        }
        guard chmod(path, 0o600) == 0 else {
            let reason = String(cString: strerror(errno))
            try? await channel.close()
            throw ControlError(
                .socketSetupFailed, "cannot restrict the control socket \(path) to its owner (chmod 0600): \(reason)")
        }
        logger.info("control socket listening", metadata: ["path": "\(path)"])
        return ControlServer(path: path, channel: channel, file: FileIdentity(path: path))
    }

    /// Stops accepting connections and removes the socket file. Requests being answered
    /// finish on their own.
    public func stop() async {
        try? await channel.close()
        if let file, FileIdentity(path: path) == file { unlink(path) }
    }

    private static func setupError(_ error: any Error, path: String) -> ControlError {
        if error is UnixDomainSocketPathWrongType {
            return ControlError(
                .socketSetupFailed,
                "\(path) exists and is not a socket; remove it, or configure another control socket path")
        }
        if error is SocketAddressError {
            return ControlError(
                .socketSetupFailed, "'\(path)' cannot be a Unix socket path (at most 107 bytes): \(error)")
        }
        switch (error as? IOError)?.errnoCode {
        case ENOENT?, ENOTDIR?:
            return ControlError(
                .socketSetupFailed, "cannot create the control socket \(path): its directory does not exist")
        case EACCES?, EPERM?:
            return ControlError(
                .socketSetupFailed,
                "no permission to create the control socket \(path): run cygnetd as root, or configure a control socket path it may write"
            )
        default:
            return ControlError(.socketSetupFailed, "cannot listen on the control socket \(path): \(error)")
        }
    }
}

/// A file's device and inode: who a path names at the moment.
private struct FileIdentity: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64

    init?(path: String) {
        var device: UInt64 = 0
        var inode: UInt64 = 0
        var isSocket: Int32 = 0
        guard cyg_file_identity(path, &device, &inode, &isSocket) == 0 else { return nil }
        self.device = device
        self.inode = inode
    }
}
