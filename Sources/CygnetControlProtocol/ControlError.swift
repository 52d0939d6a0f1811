/// A failure of the control protocol, on either end of the socket: a request the daemon
/// refuses, a command that failed, or a client that cannot reach the daemon.
///
/// The ``code`` travels in the response's `"code"` field so that scripts can branch on
/// it; ``message`` is the sentence an operator reads, and says what to do. Equality
/// compares the code only.
public struct ControlError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable kebab-case word (`Docs/control-protocol.md` lists
    /// them). Open: a newer daemon may send codes an older client does not know.
    public struct Code: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // Refused requests (the daemon answers `ok: false`).

        /// The request is not one JSON object of the expected shape.
        public static let malformedRequest = Code(rawValue: "malformed-request")
        /// The request line is longer than ``ControlRequest/maximumLength``.
        public static let requestTooLarge = Code(rawValue: "request-too-large")
        /// The request's `version` is not one this daemon speaks.
        public static let unsupportedVersion = Code(rawValue: "unsupported-version")
        /// The request's `command` is not one this daemon knows.
        public static let unknownCommand = Code(rawValue: "unknown-command")
        /// `up` or `down` without a connection `name`.
        public static let missingName = Code(rawValue: "missing-name")
        /// `up` or `down` names a connection that is not loaded.
        public static let unknownConnection = Code(rawValue: "unknown-connection")

        // Commands that ran and failed.

        /// The daemon could not carry out `up` or `down`.
        public static let commandFailed = Code(rawValue: "command-failed")
        /// This daemon was started without a way to re-read its configuration.
        public static let reloadUnavailable = Code(rawValue: "reload-unavailable")
        /// Reading or applying the new configuration failed.
        public static let reloadFailed = Code(rawValue: "reload-failed")

        // The client's side.

        /// No daemon listens on the socket path (no file, or a stale one).
        public static let daemonNotRunning = Code(rawValue: "daemon-not-running")
        /// The socket exists but this user may not connect to it.
        public static let permissionDenied = Code(rawValue: "permission-denied")
        /// Connecting or talking to the socket failed for another reason.
        public static let connectionFailed = Code(rawValue: "connection-failed")
        /// The daemon's answer is not a response of this protocol.
        public static let malformedResponse = Code(rawValue: "malformed-response")
        /// The daemon did not answer in time.
        public static let timedOut = Code(rawValue: "timed-out")

        // The server's side.

        /// Another daemon already serves the socket path.
        public static let socketInUse = Code(rawValue: "socket-in-use")
        /// The socket could not be created or its permissions set.
        public static let socketSetupFailed = Code(rawValue: "socket-setup-failed")
        /// A bug in the daemon: it could not produce its answer.
        public static let internalError = Code(rawValue: "internal")
    }

    /// What went wrong, for scripts.
    public var code: Code
    /// What happened and what to do about it, for an operator.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: ControlError, rhs: ControlError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
