import CCygnetNet
import Glibc

/// Runs a program to completion, the one way Cygnet starts one (`ip` for routes, `openssl
/// speed` for `cygnet bench crypto`): with no signal blocked and every signal at its
/// default action, whatever the calling thread blocks or the process ignores (a blocked
/// SIGALRM would keep `openssl speed -seconds` running for ever), and with a time limit
/// past which it is killed together with everything it started (its process group).
/// Its standard output and error are read apart, up to ``outputLimit`` bytes each.
///
/// Foundation's `Process` passes the caller's signal mask and ignored signals on, which
/// is why Cygnet does not use it.
public enum ChildProcess {
    /// Bytes of standard output, and of standard error, kept; the rest is read and
    /// dropped.
    public static let outputLimit = 1 << 20

    /// How a run ended.
    public enum Termination: Hashable, Sendable {
        /// The program exited with this status.
        case exited(Int32)
        /// This signal ended it.
        case signalled(Int32)
        /// It outlived its time limit and was killed.
        case timedOut
    }

    /// What a run produced.
    public struct Result: Sendable {
        public var termination: Termination
        public var standardOutput: [UInt8]
        public var standardError: [UInt8]

        /// Standard output and error as text, for messages.
        public var text: String { String(decoding: standardOutput + standardError, as: UTF8.self) }
    }

    /// Runs `executable` (an absolute path) with `arguments` and waits for it, at most
    /// `timeout`.
    ///
    /// - Parameter environment: the program's environment; `nil` passes this process's.
    /// - Throws: ``ChildProcessError/Code-swift.struct/startFailed`` when it cannot be
    ///   started (no such file, no permission, no pipes).
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, timeout: Duration
    ) throws(ChildProcessError) -> Result {
        var output: [Int32] = [-1, -1]
        var errors: [Int32] = [-1, -1]
        var result = cyg_pipe(&output)
        guard result == 0 else { throw ChildProcessError(.startFailed, "no pipe: \(String(cString: strerror(-result)))") }
        result = cyg_pipe(&errors)
        guard result == 0 else {
            output.forEach { close($0) }
            throw ChildProcessError(.startFailed, "no pipe: \(String(cString: strerror(-result)))")
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            argv.forEach { free($0) }
            envp?.forEach { free($0) }
        }
        let pid = envp.map { cyg_spawn(executable, argv, $0, output[1], errors[1]) }
            ?? cyg_spawn(executable, argv, nil, output[1], errors[1])
        close(output[1])
        close(errors[1])
        defer {
            close(output[0])
            close(errors[0])
        }
        guard pid > 0 else {
            throw ChildProcessError(.startFailed, "cannot start \(executable): \(String(cString: strerror(-pid)))")
        }
        let (standardOutput, standardError, timedOut) = read(output[0], errors[0], until: ContinuousClock.now + timeout)
        if timedOut { kill(-pid, SIGKILL) }
        var code: Int32 = 0
        let waited = cyg_wait(pid, &code)
        let termination: Termination =
            timedOut ? .timedOut : waited == 1 ? .signalled(code) : waited == 0 ? .exited(code) : .signalled(SIGKILL)
        return Result(termination: termination, standardOutput: standardOutput, standardError: standardError)
    }

    /// Reads both pipes until both are closed or `deadline` passes (then `timedOut`).
    private static func read(_ output: Int32, _ errors: Int32, until deadline: ContinuousClock.Instant)
        -> (output: [UInt8], errors: [UInt8], timedOut: Bool)
    {
        var collected: [[UInt8]] = [[], []]
        var pollers = [pollfd(fd: output, events: Int16(POLLIN), revents: 0), pollfd(fd: errors, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while pollers.contains(where: { $0.fd >= 0 }) {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return (collected[0], collected[1], true) }
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            let ready = poll(&pollers, nfds_t(pollers.count), milliseconds)
            if ready < 0, errno != EINTR { break }
            for index in pollers.indices where pollers[index].fd >= 0 && pollers[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(pollers[index].fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    let room = max(0, outputLimit - collected[index].count)
                    collected[index] += buffer.prefix(min(count, room))
                } else if count == 0 || errno != EINTR {
                    pollers[index].fd = -1
                }
            }
        }
        return (collected[0], collected[1], false)
    }
}

/// A program ``ChildProcess`` could not start.
public struct ChildProcessError: Error, Hashable, CustomStringConvertible, Sendable {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// No pipe, or posix_spawn failed (no such program, no permission).
        public static let startFailed = Code(rawValue: 1)
    }

    public var code: Code
    public var description: String

    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
