import CygnetHostSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Every program Cygnet starts (`ip` for routes, `openssl speed` for `cygnet bench
/// crypto`) goes through ``ChildProcess``: a clean signal state and a time limit.
@Suite("Child processes: a clean signal mask and default dispositions, and a timeout")
struct ChildProcessTests {
    /// Runs `body` with SIGALRM blocked on this thread and SIGUSR1 ignored in the process.
    static func withSignalsDisturbed<T>(_ body: () throws -> T) rethrows -> T {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGALRM)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let previousAction = signal(SIGUSR1, SIG_IGN)
        defer { signal(SIGUSR1, previousAction) }
        return try body()
    }

    @Test("A child blocks and ignores no signal, whatever its parent blocks or ignores")
    func cleanSignalState() throws {
        let result = try Self.withSignalsDisturbed {
            try ChildProcess.run("/usr/bin/env", ["grep", "-E", "^Sig(Blk|Ign):", "/proc/self/status"], timeout: .seconds(60))
        }
        #expect(result.termination == .exited(0))
        // Signal masks by line: nothing blocked, and none of the standard signals (1 to 31)
        // ignored. (glibc's posix_spawn leaves its own two internal real-time signals
        // ignored; glibc installs its handlers for them again in the new program.)
        let masks = String(decoding: result.standardOutput, as: UTF8.self).split(separator: "\n").map {
            UInt64($0.split(separator: "\t").last ?? "", radix: 16)
        }
        #expect(masks.count == 2)
        #expect(masks.first == 0)
        #expect(masks.last.map { $0.map { $0 & 0x7FFF_FFFF } } == 0)
    }

    @Test("An alarm the child raises fires even when the parent blocks SIGALRM (what `openssl speed -seconds` relies on)")
    func alarmFires() throws {
        let result = try Self.withSignalsDisturbed {
            // Were SIGALRM still blocked, it would stay pending through the exec and sleep
            // would run its minute and exit 0.
            try ChildProcess.run("/bin/sh", ["-c", "kill -ALRM $$; exec sleep 60"], timeout: .seconds(120))
        }
        #expect(result.termination == .signalled(SIGALRM))
    }

    @Test("A child that outlives its timeout is killed with its own children, and reported as timed out")
    func timeout() throws {
        let result = try ChildProcess.run("/bin/sh", ["-c", "echo started; sleep 600 & sleep 600"], timeout: .milliseconds(300))
        #expect(result.termination == .timedOut)
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "started\n")
    }

    @Test("Output and errors are read apart, the environment is the one given, and a missing program is an error")
    func outputAndErrors() throws {
        let result = try ChildProcess.run(
            "/bin/sh", ["-c", "echo out; echo err >&2; echo $CYGNET_TEST_VALUE; exit 7"], environment: ["CYGNET_TEST_VALUE": "v"],
            timeout: .seconds(60))
        #expect(result.termination == .exited(7))
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "out\nv\n")
        #expect(String(decoding: result.standardError, as: UTF8.self) == "err\n")
        #expect(throws: ChildProcessError.self) { try ChildProcess.run("/nonexistent/cygnet-test", [], timeout: .seconds(1)) }
    }
}
