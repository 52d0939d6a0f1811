import Foundation

/// Everything `cygnet bench esp` prints, as text or JSON.
public struct ESPBenchmarkReport: Codable, Hashable, Sendable {
    /// One way of doing the work, timed.
    public struct Figure: Codable, Hashable, Sendable {
        /// Packets sealed and opened per CPU second (median over the rounds).
        public var packetsPerSecond: Double
        /// Payload bits per CPU second / 1e9 (each packet sealed and opened once).
        public var gigabitsPerSecond: Double
        /// Each round's packets per second, in the order run.
        public var roundPacketsPerSecond: [Double]
        /// Heap allocations per packet (seal + open); `nil` when not counted.
        public var allocationsPerPacket: Double?

        public init(
            packetsPerSecond: Double, gigabitsPerSecond: Double, roundPacketsPerSecond: [Double],
            allocationsPerPacket: Double?
        ) {
            self.packetsPerSecond = packetsPerSecond
            self.gigabitsPerSecond = gigabitsPerSecond
            self.roundPacketsPerSecond = roundPacketsPerSecond
            self.allocationsPerPacket = allocationsPerPacket
        }
    }

    /// One suite at one payload size.
    public struct Row: Codable, Hashable, Sendable {
        /// strongSwan's proposal keyword: `aes256gcm16`, `aes128-sha256`, …
        public var suite: String
        /// A readable name: `AES-GCM-256`, `AES-CBC-128 + HMAC-SHA-256-128`, …
        public var algorithm: String
        /// Inner packet bytes per packet.
        public var payloadBytes: Int
        /// The ESP packet's length on the wire (without outer IP header).
        public var packetBytes: Int
        /// Bytes the AEAD or cipher encrypts per packet (payload, padding, trailer).
        public var encryptedBytes: Int
        /// Packets per round (the same for both figures).
        public var iterationsPerRound: Int
        /// `ESPSecurityAssociation.seal` then `open`, in place.
        public var esp: Figure
        /// The bare AEAD (or cipher and HMAC) context doing the same seal and open on the
        /// same buffer.
        public var bare: Figure
        /// ESP's time on top of the bare work: (esp_time − bare_time) / bare_time, in %;
        /// the median over the rounds of each ESP round against the bare round run just
        /// before it (so a burst of load on a shared machine hits both sides of a pair).
        public var overheadPercent: Double

        public init(
            suite: String, algorithm: String, payloadBytes: Int, packetBytes: Int, encryptedBytes: Int,
            iterationsPerRound: Int, esp: Figure, bare: Figure
        ) {
            self.suite = suite
            self.algorithm = algorithm
            self.payloadBytes = payloadBytes
            self.packetBytes = packetBytes
            self.encryptedBytes = encryptedBytes
            self.iterationsPerRound = iterationsPerRound
            self.esp = esp
            self.bare = bare
            overheadPercent = Self.overhead(esp: esp, bare: bare)
        }

        static func overhead(esp: Figure, bare: Figure) -> Double {
            let pairs = zip(esp.roundPacketsPerSecond, bare.roundPacketsPerSecond).filter { $0.0 > 0 }
            guard pairs.count == esp.roundPacketsPerSecond.count, !pairs.isEmpty else {
                return esp.packetsPerSecond > 0 ? (bare.packetsPerSecond / esp.packetsPerSecond - 1) * 100 : 0
            }
            return BenchTimer.median(pairs.map { ($0.1 / $0.0 - 1) * 100 })
        }
    }

    /// The target: ESP adds less than ``targetPercent`` to the bare AEAD's time
    /// for ``targetPayloadBytes``-byte packets, and allocates nothing per packet.
    public struct Target: Codable, Hashable, Sendable {
        public var description: String
        public var targetPercent: Double
        public var targetPayloadBytes: Int
        /// The largest overhead among the rows of that size; `nil` when none was measured.
        public var worstOverheadPercent: Double?
        /// Whether every counted ESP row allocates nothing; `nil` when not counted.
        public var allocationFree: Bool?
        public var passed: Bool?
    }

    public var benchmark = "esp"
    public var environment: BenchEnvironment
    public var clock = "CLOCK_THREAD_CPUTIME_ID"
    public var rounds: Int
    public var secondsPerRound: Double
    /// Why allocations were not counted, when they were not.
    public var allocationCountingUnavailable: String?
    public var rows: [Row]
    public var target: Target
    /// How the figures were taken, printed under the table.
    public var notes: [String]

    public init(
        environment: BenchEnvironment, rounds: Int, secondsPerRound: Double, allocationCountingUnavailable: String?,
        rows: [Row], targetPercent: Double = 25, targetPayloadBytes: Int = 1400
    ) {
        self.environment = environment
        self.rounds = rounds
        self.secondsPerRound = secondsPerRound
        self.allocationCountingUnavailable = allocationCountingUnavailable
        self.rows = rows
        target = Self.target(rows: rows, percent: targetPercent, payloadBytes: targetPayloadBytes)
        notes = [
            "One packet = seal then open of the same buffer, in place (the payload stays where open leaves it "
                + "for the next seal), one outbound and one inbound SA, sequence numbers and replay window moving.",
            "bare = the same AEAD context (or AES-CBC and HMAC contexts) sealing and opening the same plaintext "
                + "(payload, padding, trailer) with the same 8-byte AAD; ESP adds the header, padding, IV "
                + "derivation (for CBC one more AES block), anti-replay window, checks and lifetime counting.",
            "ESP and bare rounds alternate, so both see the same machine state; each rate is the median of "
                + "its rounds, the overhead the median of each ESP round against the bare round just before it.",
            "Gbit/s counts payload bytes: payload x 8 x packets/s / 1e9, per CPU second of one thread.",
        ]
    }

    static func target(rows: [Row], percent: Double, payloadBytes: Int) -> Target {
        let gated = rows.filter { $0.payloadBytes == payloadBytes }
        let worst = gated.max { $0.overheadPercent < $1.overheadPercent }
        let counted = rows.compactMap(\.esp.allocationsPerPacket)
        let allocationFree: Bool? = counted.isEmpty ? nil : counted.allSatisfy { $0 == 0 }
        let passed = worst.map { $0.overheadPercent < percent && allocationFree != false }
        var description = "ESP overhead on \(payloadBytes)-byte packets < \(Int(percent))% of the bare AEAD/cipher time"
        if let worst {
            description += ": worst " + String(format: "%+.1f%%", worst.overheadPercent) + " (\(worst.suite))"
        } else {
            description += ": not measured"
        }
        switch allocationFree {
        case true?: description += "; 0 allocations per packet"
        case false?: description += "; ESP ALLOCATES on the hot path"
        case nil: description += "; allocations not counted"
        }
        if let passed { description += passed ? ": PASS" : ": FAIL" }
        return Target(
            description: description, targetPercent: percent, targetPayloadBytes: payloadBytes,
            worstOverheadPercent: worst?.overheadPercent, allocationFree: allocationFree, passed: passed)
    }
}
