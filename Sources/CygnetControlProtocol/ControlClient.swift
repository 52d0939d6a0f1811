import CCygnetNet
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Talks to a running cygnetd over its control socket: one request, one response, per
/// connection (`Docs/control-protocol.md`). What `cygnet status`, `up`, `down` and
/// `reload` use.
public struct ControlClient: Sendable {
    /// Where cygnetd listens unless configured otherwise.
    public static let defaultSocketPath = "/run/cygnet.ctl"
    /// The environment variable that overrides ``defaultSocketPath``.
    public static let socketEnvironmentVariable = "CYGNET_SOCKET"
    /// The longest response read, in bytes (a status of many thousand SAs fits).
    static let maximumResponseLength = 64 * 1024 * 1024

    /// The control socket's path.
    public var path: String
    /// How long to wait for the daemon's answer.
    public var timeout: Duration

    public init(path: String, timeout: Duration = .seconds(30)) {
        self.path = path
        self.timeout = timeout
    }

    /// The socket path to use: `explicit` (from `--socket`) if given, else
    /// `CYGNET_SOCKET`, else ``defaultSocketPath``.
    public static func socketPath(
        explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let variable = environment[socketEnvironmentVariable], !variable.isEmpty { return variable }
        return defaultSocketPath
    }

    /// Every IKE SA with its Child SAs.
    public func status() async throws(ControlError) -> StatusReport {
        try await send(.status, expecting: StatusReport.self)
    }

    /// Initiates the connection `name`.
    public func up(_ name: String) async throws(ControlError) -> UpResult {
        try await send(.up(name: name), expecting: UpResult.self)
    }

    /// Deletes every IKE SA of the connection `name`.
    public func down(_ name: String) async throws(ControlError) -> DownResult {
        try await send(.down(name: name), expecting: DownResult.self)
    }

    /// Has the daemon re-read its configuration file.
    public func reload() async throws(ControlError) -> ReloadResult {
        try await send(.reload, expecting: ReloadResult.self)
    }

    /// The address pools and their leases.
    public func leases() async throws(ControlError) -> LeasesReport {
        try await send(.leases, expecting: LeasesReport.self)
    }

    /// Sends `command` and decodes its result, or throws the daemon's error.
    public func send<Result: Codable & Sendable>(_ command: ControlCommand, expecting: Result.Type)
        async throws(ControlError) -> Result
    {
        try ControlResponse<Result>.result(from: try await exchange(command.request.line))
    }

    /// Sends `bytes` as they are and returns the response line without its newline: for
    /// diagnostics and tests of the protocol itself.
    public func exchange(_ bytes: [UInt8]) async throws(ControlError) -> [UInt8] {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .connect(unixDomainSocketPath: path) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw Self.connectionError(error, path: path)
        }
        let timedOut = NIOLockedValueBox(false)
        let (seconds, attoseconds) = timeout.components
        let limit = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        let deadline = channel.channel.eventLoop.scheduleTask(in: limit) {
            timedOut.withLockedValue { $0 = true }
            channel.channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        let response: [UInt8]
        do {
            response = try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(bytes: bytes))
                var received: [UInt8] = []
                for try await chunk in inbound {
                    received += chunk.readableBytesView
                    if let newline = received.firstIndex(of: UInt8(ascii: "\n")) { return Array(received[..<newline]) }
                    guard received.count <= Self.maximumResponseLength else { break }
                }
                return received
            }
        } catch {
            if timedOut.withLockedValue({ $0 }) { throw timeoutError }
            throw ControlError(.connectionFailed, "the connection to \(path) failed: \(error)")
        }
        if timedOut.withLockedValue({ $0 }) { throw timeoutError }
        guard !response.isEmpty else {
            throw ControlError(
                .malformedResponse, "cygnetd closed the connection on \(path) without answering; its log may say why")
        }
        return response
    }

    private var timeoutError: ControlError {
        ControlError(
            .timedOut,
            "cygnetd did not answer on \(path) within \(timeout); it may be overloaded or stuck (see its log)")
    }

    /// Whether something accepts connections on `path` (the server's check before it
    /// takes a socket file over).
    package static func isListening(on path: String) async -> Bool {
        guard
            let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(2)).connect(unixDomainSocketPath: path).get()
        else { return false }
        try? await channel.close()
        return true
    }

    /// An operator's explanation of a failed connect, saying what to do.
    static func connectionError(_ error: any Error, path: String) -> ControlError {
        let start =
            "start it with `cygnetd --config FILE`, or point `--socket` (or \(socketEnvironmentVariable)) at the socket it listens on"
        if error is SocketAddressError {
            return ControlError(
                .connectionFailed, "'\(path)' cannot be a Unix socket path (at most 107 bytes): \(error)")
        }
        guard let errno = (error as? IOError)?.errnoCode else {
            return ControlError(.connectionFailed, "cannot connect to cygnetd's control socket \(path): \(error)")
        }
        switch errno {
        case ENOENT:
            return ControlError(
                .daemonNotRunning, "no control socket at \(path): is cygnetd running? \(capitalized(start))")
        case ECONNREFUSED where !isSocket(path):
            return ControlError(
                .daemonNotRunning, "\(path) is not a socket: is it cygnetd's control socket? \(capitalized(start))")
        case ECONNREFUSED:
            return ControlError(
                .daemonNotRunning,
                "nothing listens on \(path) (left behind by a cygnetd that stopped?): is cygnetd running? \(capitalized(start))"
            )
        case EACCES, EPERM:
            return ControlError(
                .permissionDenied,
                "permission denied on \(path): the control socket is only for the user cygnetd runs as (root); run cygnet as root, e.g. with sudo"
            )
        case ENOTDIR:
            return ControlError(.daemonNotRunning, "\(path) is not a socket path (a part of it is not a directory)")
        default:
            return ControlError(.connectionFailed, "cannot connect to cygnetd's control socket \(path): \(error)")
        }
    }

    /// Whether `path` names a socket file (false when it cannot be examined).
    private static func isSocket(_ path: String) -> Bool {
        var device: UInt64 = 0
        var inode: UInt64 = 0
        var isSocket: Int32 = 0
        return cyg_file_identity(path, &device, &inode, &isSocket) == 0 && isSocket != 0
    }

    private static func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
}
