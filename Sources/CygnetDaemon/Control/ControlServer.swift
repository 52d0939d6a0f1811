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
/// The socket file appears at its path already with mode 0600: it is bound in a private
/// directory (mode 0700) beside the path, set to 0600 there, and renamed onto the path,
/// so there is no moment at which another user could connect, whatever the umask. What
/// is at the path is never followed or replaced unless it is a socket (a stale one, left
/// by a daemon that stopped; one that answers is another daemon's and is left alone).
///
/// Each connection's peer is checked (SO_PEERCRED): only root and the user the daemon
/// runs as may use the socket, even if its mode is loosened by hand; anyone else is
/// answered `permission-denied`. Connections are served on NIO's shared event loops,
/// each reading one request line of at most ``ControlRequest/maximumLength`` bytes.
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

    /// The users who may use the socket: root and the user the daemon runs as.
    static var defaultPermittedUsers: Set<UInt32> { [0, UInt32(geteuid())] }

    /// Listens on `path`, replacing a stale socket file left by a daemon that stopped.
    ///
    /// - Parameters:
    ///   - requestTimeout: how long a client may take to send its request line before the
    ///     connection is closed.
    ///   - reload: how `reload` gets the new configuration; `nil` answers `reload` with an
    ///     error that says the daemon cannot re-read its configuration.
    /// - Throws: ``ControlError/Code/socketInUse`` when another daemon answers on `path`,
    ///   ``ControlError/Code/socketSetupFailed`` when the socket cannot be made or `path`
    ///   holds something that is not a socket.
    public static func start(
        daemon: IKEDaemon, path: String, logger: Logger, requestTimeout: Duration = .seconds(10),
        reload: ReloadHandler? = nil
    ) async throws(ControlError) -> ControlServer {
        try await start(
            daemon: daemon, path: path, logger: logger, requestTimeout: requestTimeout, permittedUsers: defaultPermittedUsers,
            reload: reload)
    }

    /// ``start(daemon:path:logger:requestTimeout:reload:)`` for the users in
    /// `permittedUsers` (tests pretend to be someone else with it).
    static func start(
        daemon: IKEDaemon, path: String, logger: Logger, requestTimeout: Duration = .seconds(10),
        permittedUsers: Set<UInt32>, reload: ReloadHandler? = nil
    ) async throws(ControlError) -> ControlServer {
        if await ControlClient.isListening(on: path) {
            throw ControlError(
                .socketInUse,
                "another process already answers on the control socket \(path) (a cygnetd still running?); stop it, or configure another control socket path"
            )
        }
        try checkReplaceable(path)
        let logger = logger.subsystem("cfg")
        let service = ControlService(daemon: daemon, reload: reload, logger: logger)
        let (seconds, attoseconds) = requestTimeout.components
        let timeout = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                peerUser(of: channel).flatMapThrowing { user in
                    try channel.pipeline.syncOperations.addHandler(
                        ControlConnectionHandler(
                            service: service, requestTimeout: timeout,
                            refusal: user.map(permittedUsers.contains) == true ? nil : refusal(user: user)))
                }
            }
        let directory = try makePrivateDirectory(beside: path)
        defer { rmdir(directory) }
        let privatePath = directory + "/s"
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(unixDomainSocketPath: privatePath).get()
        } catch {
            throw setupError(error, path: path)
        }
        // In a directory only we may enter, the mode is set before anyone can connect;
        // then the file moves to its path in one step.
        guard chmod(privatePath, 0o600) == 0, (try? checkReplaceable(path)) != nil, rename(privatePath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? await channel.close()
            unlink(privatePath)
            try checkReplaceable(path)
            throw ControlError(.socketSetupFailed, "cannot put the control socket at \(path): \(reason)")
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

    /// The user ID of the process at the other end of a Unix socket, `nil` when it cannot
    /// be read.
    private static func peerUser(of channel: any Channel) -> EventLoopFuture<UInt32?> {
        guard let provider = channel as? any SocketOptionProvider else { return channel.eventLoop.makeSucceededFuture(nil) }
        let credentials: EventLoopFuture<cyg_peer_credentials> = provider.unsafeGetSocketOption(
            level: .socket, name: NIOBSDSocket.Option(rawValue: CInt(CYG_SO_PEERCRED)))
        return credentials.map { Optional($0.uid) }.recover { _ in nil }
    }

    private static func refusal(user: UInt32?) -> ControlError {
        ControlError(
            .permissionDenied,
            "\(user.map { "uid \($0)" } ?? "a client whose user cannot be read") may not use the control socket: only root and cygnetd's user (uid \(geteuid())) may"
        )
    }

    /// Throws unless nothing or a socket is at `path` (a symlink is not followed).
    private static func checkReplaceable(_ path: String) throws(ControlError) {
        var status = cyg_file_status()
        guard cyg_path_status(path, 0, &status) == 0 else { return }
        let type = status.mode & UInt32(S_IFMT)
        guard type != UInt32(S_IFSOCK) else { return }
        throw ControlError(
            .socketSetupFailed,
            "\(path) exists and is \(type == UInt32(S_IFLNK) ? "a symbolic link" : "not a socket"); remove it, or configure another control socket path")
    }

    /// A new directory of mode 0700 beside `path`, for binding the socket before it moves
    /// to `path`.
    private static func makePrivateDirectory(beside path: String) throws(ControlError) -> String {
        let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        var template = ((parent.isEmpty ? "" : parent) + "/.cygnet-XXXXXX").utf8CString
        // The socket is bound as TEMPLATE/s, which must fit sockaddr_un's 107 bytes.
        guard template.count - 1 + 2 <= 107 else {
            throw ControlError(
                .socketSetupFailed,
                "the directory of '\(path)' has too long a path for a Unix socket (at most 90 bytes); configure a shorter control socket path")
        }
        guard let made = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw setupError(IOError(errnoCode: errno, reason: "mkdtemp"), path: path)
        }
        return String(cString: made)
    }

    private static func setupError(_ error: any Error, path: String) -> ControlError {
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
