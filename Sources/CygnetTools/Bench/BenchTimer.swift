#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Times a body in this thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`): warm-up,
/// calibration to a target round length, then timed rounds whose median is the figure.
///
/// The body runs `count` operations and returns a checksum, which is passed through an
/// opaque function so the work is not optimised away.
struct BenchTimer {
    /// Timed rounds per figure.
    var rounds: Int
    /// Target CPU seconds per round; a round always runs at least one operation.
    var secondsPerRound: Double

    /// The outcome of timing one body.
    struct Timing {
        /// Median over the rounds, in operations per CPU second.
        var operationsPerSecond: Double
        /// Each round's figure, in the order run.
        var roundOperationsPerSecond: [Double]
        /// Operations in each timed round.
        var iterationsPerRound: Int
    }

    /// Warms up with one operation, grows the batch until it takes a quarter of a round,
    /// sizes the rounds from that, then times them.
    func measure(_ body: (Int) throws -> Int) rethrows -> Timing {
        var batch = 1
        var elapsed = try Self.time(batch, body)
        while elapsed < secondsPerRound / 4, batch < 1 << 30 {
            let scale = elapsed > 0 ? min(16, max(2, (secondsPerRound / 4) / elapsed)) : 16
            batch = Int((Double(batch) * scale).rounded(.up))
            elapsed = try Self.time(batch, body)
        }
        let perOperation = elapsed / Double(batch)
        let iterations = max(1, Int(secondsPerRound / max(perOperation, 1e-12)))
        var perRound: [Double] = []
        for _ in 0..<max(1, rounds) {
            let seconds = try Self.time(iterations, body)
            perRound.append(Double(iterations) / max(seconds, 1e-9))
        }
        return Timing(
            operationsPerSecond: Self.median(perRound), roundOperationsPerSecond: perRound,
            iterationsPerRound: iterations)
    }

    private static func time(_ count: Int, _ body: (Int) throws -> Int) rethrows -> Double {
        let start = threadCPUTime()
        _ = sink(try body(count))
        return threadCPUTime() - start
    }

    /// This thread's CPU time in seconds.
    static func threadCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// An opaque use of a checksum.
    @inline(never)
    static func sink(_ value: Int) -> Int { value }
}
