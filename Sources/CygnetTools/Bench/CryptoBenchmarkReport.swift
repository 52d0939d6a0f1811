import Foundation

/// Everything `cygnet bench crypto` prints, as text or JSON.
public struct CryptoBenchmarkReport: Codable, Hashable, Sendable {
    /// A group of figures in the table.
    public enum Section: String, Codable, CaseIterable, Sendable {
        case keyExchange = "key exchange"
        case aead = "AEAD"
        case cipher
        case integrity
        case signature
    }

    /// openssl's figure for the same primitive and the ratio to ours.
    public struct Comparison: Codable, Hashable, Sendable {
        /// The `openssl speed` command that produced the figure.
        public var command: String
        /// openssl's operations per second (for a cipher: its bytes/s over the size).
        public var operationsPerSecond: Double
        /// openssl's bytes per second, for ciphers, AEADs and HMACs.
        public var bytesPerSecond: Double?
        /// Ours over openssl's: bytes per second when both have it, else operations per second.
        public var ratio: Double
        /// What differs between the two operations, when something does.
        public var note: String?
    }

    /// One figure.
    public struct Measurement: Codable, Hashable, Sendable {
        public var section: Section
        /// `AES-256-GCM-16`, `MODP-2048 (14)`, `ECDSA P-256 (method 9)`, …
        public var algorithm: String
        /// `seal`, `open`, `encrypt`, `decrypt`, `compute`, `verify`, `generate`, `respond`,
        /// `complete`, `exchange`, `sign`.
        public var operation: String
        /// Bytes processed per operation, for the symmetric sections.
        public var bytes: Int?
        /// Median over the rounds, per CPU second.
        public var operationsPerSecond: Double
        /// Each round's figure, in the order run.
        public var roundOperationsPerSecond: [Double]
        public var iterationsPerRound: Int
        /// `operationsPerSecond × bytes`.
        public var bytesPerSecond: Double?
        /// Heap allocations per operation; `nil` when not counted.
        public var allocationsPerOperation: Double?
        public var openssl: Comparison?
    }

    /// The acceptance figure: in-place AES-256-GCM seal of 1400-byte packets against
    /// `openssl speed -aead` in the same run.
    public struct Gate: Codable, Hashable, Sendable {
        public var description: String
        /// Ours over openssl's, bytes per second.
        public var ratio: Double?
        public var target: Double
        /// `nil` when there was no openssl figure to compare with.
        public var passed: Bool?
    }

    /// The reference run.
    public struct OpenSSLInfo: Codable, Hashable, Sendable {
        /// `openssl version`, or `nil` when not run.
        public var version: String?
        /// Why there is no comparison, when there is none.
        public var unavailable: String?
        /// `-seconds` per primitive.
        public var seconds: Int
        public var clock = "user CPU time (openssl speed's default divisor)"
        /// Every command run.
        public var commands: [String] = []
        /// Commands that failed, with their error.
        public var failures: [String] = []
    }

    public var benchmark = "crypto"
    public var environment: BenchEnvironment
    public var clock = "CLOCK_THREAD_CPUTIME_ID"
    public var rounds: Int
    public var secondsPerRound: Double
    public var provider = "CryptoProvider.default.addingLegacyTransforms()"
    /// Why allocations were not counted, when they were not.
    public var allocationCountingUnavailable: String?
    public var openssl: OpenSSLInfo
    public var measurements: [Measurement]
    public var gate: Gate
    /// How the figures were taken, printed under the table.
    public var notes: [String]

    /// The measurements of one section, in the order run.
    public func measurements(in section: Section) -> [Measurement] {
        measurements.filter { $0.section == section }
    }
}
