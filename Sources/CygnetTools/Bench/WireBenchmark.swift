#if canImport(Glibc)
import Glibc
#endif
import Foundation
import IKEWire
import NIOCore

/// `cygnet bench wire`: decodes and re-encodes captured IKE messages repeatedly and
/// reports messages per second of CPU time and heap allocations per message.
///
/// Time is the calling thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), so a busy host
/// slows the figure less than wall time would; each figure is the median of several
/// rounds. Allocations are counted in a separate pass through
/// ``AllocationCounter`` when the counting library is preloaded.
public struct WireBenchmark: Sendable {
    /// A message to measure.
    public struct Sample: Sendable {
        public var name: String
        public var bytes: [UInt8]

        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// What is timed for one message.
    public enum Operation: String, Codable, CaseIterable, Sendable {
        /// `IKEMessage(decoding:)` then `encoded()`: the headline figure.
        case decodeEncode = "decode+encode"
        case decode
        case encode
    }

    /// The figures for one message and operation.
    public struct Measurement: Codable, Hashable, Sendable {
        public var message: String
        public var bytes: Int
        public var payloads: String
        public var operation: Operation
        /// Median over the rounds.
        public var messagesPerSecond: Double
        /// Each round's figure, in the order run.
        public var roundMessagesPerSecond: [Double]
        /// `nil` when allocations could not be counted.
        public var allocationsPerMessage: Double?
    }

    /// Everything `cygnet bench wire` prints.
    public struct Report: Codable, Hashable, Sendable {
        public var benchmark = "wire"
        public var environment: BenchEnvironment
        public var clock = "CLOCK_THREAD_CPUTIME_ID"
        public var rounds: Int
        public var iterationsPerRound: Int
        /// Why allocations were not counted, when they were not.
        public var allocationCountingUnavailable: String?
        public var measurements: [Measurement]
    }

    /// A sample that does not re-encode to its own bytes: measuring it would be meaningless.
    public struct RoundTripMismatch: Error, CustomStringConvertible {
        public var message: String
        public var description: String { "\(message) does not re-encode to the same bytes" }
    }

    public var iterations: Int
    public var rounds: Int
    public var samples: [Sample]

    public init(iterations: Int = 20_000, rounds: Int = 7, samples: [Sample] = WireBenchmark.capturedSamples) {
        self.iterations = max(1, iterations)
        self.rounds = max(1, rounds)
        self.samples = samples
    }

    /// Runs every sample through every operation.
    public func run(environment: BenchEnvironment) throws -> Report {
        let counter = AllocationCounter.current
        var measurements: [Measurement] = []
        for sample in samples {
            let buffer = ByteBuffer(bytes: sample.bytes)
            let message = try IKEMessage(decoding: buffer)
            // The benchmark is only meaningful on a message that round-trips exactly.
            guard try message.encoded() == buffer else { throw RoundTripMismatch(message: sample.name) }
            let payloads = message.payloads.map { "\($0.type)" }.joined(separator: ",")
            for operation in Operation.allCases {
                let body = Self.body(operation, buffer: buffer, message: message)
                _ = try body(max(1, iterations / 10))  // warm up
                var perRound: [Double] = []
                for _ in 0..<rounds {
                    let start = BenchTimer.threadCPUTime()
                    _ = try body(iterations)
                    let seconds = BenchTimer.threadCPUTime() - start
                    perRound.append(Double(iterations) / max(seconds, 1e-9))
                }
                var allocations: Double?
                if let counter {
                    let countIterations = min(iterations, 10_000)
                    let before = counter.count
                    _ = try body(countIterations)
                    allocations = Double(counter.count - before) / Double(countIterations)
                }
                measurements.append(
                    Measurement(
                        message: sample.name, bytes: sample.bytes.count, payloads: payloads, operation: operation,
                        messagesPerSecond: Self.median(perRound), roundMessagesPerSecond: perRound,
                        allocationsPerMessage: allocations))
            }
        }
        return Report(
            environment: environment, rounds: rounds, iterationsPerRound: iterations,
            allocationCountingUnavailable: counter == nil ? AllocationCounter.unavailableReason : nil,
            measurements: measurements)
    }

    /// A loop of `count` operations returning a checksum, so the work is not optimised away.
    private static func body(_ operation: Operation, buffer: ByteBuffer, message: IKEMessage)
        -> (Int) throws(IKEWireError) -> Int
    {
        switch operation {
        case .decodeEncode:
            return { count throws(IKEWireError) in
                var sum = 0
                for _ in 0..<count {
                    let decoded = try IKEMessage(decoding: buffer)
                    sum &+= try decoded.encoded().readableBytes
                }
                return blackHole(sum)
            }
        case .decode:
            return { count throws(IKEWireError) in
                var sum = 0
                for _ in 0..<count {
                    sum &+= try IKEMessage(decoding: buffer).payloads.count
                }
                return blackHole(sum)
            }
        case .encode:
            return { count throws(IKEWireError) in
                var sum = 0
                for _ in 0..<count {
                    sum &+= try message.encoded().readableBytes
                }
                return blackHole(sum)
            }
        }
    }


    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The report as aligned text.
    public static func render(_ report: Report) -> String {
        let environment = report.environment
        var lines = environment.headerLines("cygnet bench wire")
        lines.append(
            "  clock:       thread CPU time (\(report.clock)), median of \(report.rounds) rounds of "
                + "\(report.iterationsPerRound) messages")
        if let reason = report.allocationCountingUnavailable {
            lines.append("  allocations: not counted: \(reason)")
        } else {
            lines.append("  allocations: malloc/calloc/realloc/memalign calls per message (\(AllocationCounter.libraryName))")
        }
        var currentMessage = ""
        for measurement in report.measurements {
            if measurement.message != currentMessage {
                currentMessage = measurement.message
                lines.append("")
                lines.append("  \(measurement.message), \(measurement.bytes) bytes: \(measurement.payloads)")
            }
            let rate = format(measurement.messagesPerSecond, decimals: 0).leftPadded(to: 10)
            let allocations = measurement.allocationsPerMessage.map { format($0, decimals: 1) } ?? "n/a"
            lines.append(
                "    \(measurement.operation.rawValue.padded(to: 14)) \(rate) msg/s  \(allocations.leftPadded(to: 6)) allocs/msg")
        }
        return lines.joined(separator: "\n")
    }

    /// The report as pretty-printed JSON with sorted keys.
    public static func json(_ report: Report) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    private static func format(_ value: Double, decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}

@inline(never)
private func blackHole(_ value: Int) -> Int { value }
