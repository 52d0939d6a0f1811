import ESPCore
import Foundation
import IKECrypto
import IKEWire

/// `cygnet bench esp`: ESP seal + open throughput of ``ESPSecurityAssociation`` on one
/// core, beside the bare AEAD (or cipher and HMAC) contexts doing the same cryptographic
/// work on the same buffers in the same run, so the figure that matters is ESP's own
/// cost: (esp_time − bare_time) / bare_time.
///
/// Each packet is sealed by an outbound SA and opened by an inbound one, in place in one
/// preallocated buffer: the payload sits where `open` leaves it for the next `seal`, so
/// nothing is copied. Time is this thread's CPU time (``BenchTimer``); ESP and bare rounds
/// alternate. Heap allocations per packet are counted when `libCygnetMallocCounter.so` is
/// preloaded (the command re-executes itself with it).
public struct ESPBenchmark: Sendable {
    /// A suite measured: its strongSwan proposal keyword and how to key it.
    public enum Suite: String, Codable, CaseIterable, Sendable {
        case aes256gcm16
        case aes128gcm16
        case chacha20poly1305
        case aes128sha256 = "aes128-sha256"

        /// A readable name for the table.
        public var algorithm: String {
            switch self {
            case .aes256gcm16: "AES-GCM-256 (16-byte ICV)"
            case .aes128gcm16: "AES-GCM-128 (16-byte ICV)"
            case .chacha20poly1305: "ChaCha20-Poly1305"
            case .aes128sha256: "AES-CBC-128 + HMAC-SHA-256-128"
            }
        }

        func transforms() throws -> (EncryptionAlgorithm, (any IntegrityAlgorithm)?) {
            let provider = CryptoProvider.default
            switch self {
            case .aes256gcm16: return (try provider.encryptionAlgorithm(.aesGCM16, keyBits: 256), nil)
            case .aes128gcm16: return (try provider.encryptionAlgorithm(.aesGCM16, keyBits: 128), nil)
            case .chacha20poly1305: return (try provider.encryptionAlgorithm(.chacha20Poly1305, keyBits: nil), nil)
            case .aes128sha256:
                return (
                    try provider.encryptionAlgorithm(.aesCBC, keyBits: 128),
                    try provider.integrityAlgorithm(.hmacSHA2_256_128)
                )
            }
        }
    }

    public var rounds: Int
    /// Target CPU seconds per timed round (each of ESP and bare).
    public var secondsPerRound: Double
    public var payloadSizes: [Int]
    public var suites: [Suite]

    public init(
        rounds: Int = 7, secondsPerRound: Double = 0.1, payloadSizes: [Int] = [1400, 64],
        suites: [Suite] = Suite.allCases
    ) {
        self.rounds = max(1, rounds)
        self.secondsPerRound = max(0, secondsPerRound)
        self.payloadSizes = payloadSizes.filter { $0 > 0 && $0 <= 65_000 }
        self.suites = suites
    }

    /// A few seconds: three short rounds.
    public static var quick: ESPBenchmark { ESPBenchmark(rounds: 3, secondsPerRound: 0.01) }

    /// A benchmark that cannot run meaningfully (a transform missing, a self-check failed).
    public struct BenchmarkFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Measures every suite at every size and builds the report. `progress` receives a
    /// short line as each suite starts.
    public func run(environment: BenchEnvironment, progress: (String) -> Void = { _ in }) throws -> ESPBenchmarkReport {
        let counter = AllocationCounter.current
        var rows: [ESPBenchmarkReport.Row] = []
        for suite in suites {
            progress("measuring \(suite.rawValue)")
            for size in payloadSizes {
                rows.append(try measure(suite, payloadLength: size, counter: counter))
            }
        }
        return ESPBenchmarkReport(
            environment: environment, rounds: rounds, secondsPerRound: secondsPerRound,
            allocationCountingUnavailable: counter == nil ? AllocationCounter.unavailableReason : nil, rows: rows)
    }

    /// A progress handler for the command line: "cygnet bench esp: LINE" on stderr, so
    /// `--json` output on stdout stays clean.
    public static func printToStandardError(_ line: String) {
        FileHandle.standardError.write(Data("cygnet bench esp: \(line)\n".utf8))
    }

    // MARK: - One row

    /// The two SAs of a pair, in a class so the timed loops take them `inout` once per
    /// batch (no copy, no copy-on-write of the replay bitmap, no per-packet access check).
    private final class Pair {
        var outbound: ESPSecurityAssociation
        var inbound: ESPSecurityAssociation

        init(outbound: ESPSecurityAssociation, inbound: ESPSecurityAssociation) {
            self.outbound = outbound
            self.inbound = inbound
        }
    }

    private func measure(_ suite: Suite, payloadLength: Int, counter: AllocationCounter?) throws -> ESPBenchmarkReport.Row {
        let (encryption, integrity) = try suite.transforms()
        // Fixed keys: the figures do not depend on them.
        let encryptionKey = SecretBytes((0..<encryption.keyMaterialLength).map { UInt8(truncatingIfNeeded: $0 &* 29 &+ 7) })
        let integrityKey = SecretBytes((0..<(integrity?.keyLength ?? 0)).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 1) })
        func makeSA() throws -> ESPSecurityAssociation {
            try ESPSecurityAssociation(
                spi: 0xC0FF_EE01, encryption: encryption, encryptionKey: encryptionKey, integrity: integrity,
                integrityKey: integrityKey, usesExtendedSequenceNumbers: false)
        }
        let pair = Pair(outbound: try makeSA(), inbound: try makeSA())
        let packetLength = pair.outbound.sealedLength(payloadLength: payloadLength)
        let headerLength = pair.outbound.headerLength
        let icvLength = pair.outbound.icvLength
        let encryptedLength = packetLength - headerLength - icvLength

        // ESP: one buffer, the payload at the header's end.
        let espPacket = BenchPacketBuffer(byteCount: packetLength)
        defer { espPacket.deallocate() }
        for index in 0..<payloadLength {
            espPacket.bytes[headerLength + index] = UInt8(truncatingIfNeeded: index)
        }
        // Bare: the same layout (SPI and sequence number as AAD, IV, plaintext, ICV), plus
        // room for a second ICV when the HMAC is verified.
        let barePacket = BenchPacketBuffer(byteCount: packetLength + 64)
        defer { barePacket.deallocate() }
        let bare: Bare
        switch (encryption, integrity) {
        case (.aead(let aead), nil):
            bare = .aead(try aead.makeContext(keyMaterial: encryptionKey))
        case (.cipher(let cipher), let integrity?):
            bare = .cipher(try cipher.makeContext(key: encryptionKey), try integrity.makeContext(key: integrityKey))
        default:
            throw BenchmarkFailure(description: "\(suite.rawValue): unexpected transforms")
        }

        // Check both once: ESP returns the payload intact; bare opens what it sealed.
        let check = try Self.sealOpenESP(1, pair: pair, packet: espPacket.bytes, payloadLength: payloadLength)
        guard check == payloadLength, espPacket.bytes[headerLength + payloadLength - 1] == UInt8(truncatingIfNeeded: payloadLength - 1)
        else {
            throw BenchmarkFailure(description: "\(suite.rawValue): ESP did not return the payload")
        }
        var bareSequence: UInt64 = 0
        _ = try Self.sealOpenBare(
            1, bare, packet: barePacket.bytes, headerLength: headerLength, dataLength: encryptedLength,
            icvLength: icvLength, sequence: &bareSequence)

        let timing = try alternate(
            esp: { count in try Self.sealOpenESP(count, pair: pair, packet: espPacket.bytes, payloadLength: payloadLength) },
            bare: { count in
                try Self.sealOpenBare(
                    count, bare, packet: barePacket.bytes, headerLength: headerLength, dataLength: encryptedLength,
                    icvLength: icvLength, sequence: &bareSequence)
            })

        var espAllocations: Double?
        var bareAllocations: Double?
        if let counter {
            let count = max(1, min(timing.iterations, 1000))
            var before = counter.count
            _ = BenchTimer.sink(try Self.sealOpenESP(count, pair: pair, packet: espPacket.bytes, payloadLength: payloadLength))
            espAllocations = Double(counter.count &- before) / Double(count)
            before = counter.count
            _ = BenchTimer.sink(
                try Self.sealOpenBare(
                    count, bare, packet: barePacket.bytes, headerLength: headerLength, dataLength: encryptedLength,
                    icvLength: icvLength, sequence: &bareSequence))
            bareAllocations = Double(counter.count &- before) / Double(count)
        }
        func figure(_ rates: [Double], _ allocations: Double?) -> ESPBenchmarkReport.Figure {
            let median = BenchTimer.median(rates)
            return ESPBenchmarkReport.Figure(
                packetsPerSecond: median, gigabitsPerSecond: median * Double(payloadLength) * 8 / 1e9,
                roundPacketsPerSecond: rates, allocationsPerPacket: allocations)
        }
        return ESPBenchmarkReport.Row(
            suite: suite.rawValue, algorithm: suite.algorithm, payloadBytes: payloadLength, packetBytes: packetLength,
            encryptedBytes: encryptedLength, iterationsPerRound: timing.iterations,
            esp: figure(timing.esp, espAllocations), bare: figure(timing.bare, bareAllocations))
    }

    // MARK: - Timing

    /// Warms up and calibrates on the ESP body (the slower), then times rounds of the
    /// same packet count, bare and ESP alternately; rates are packets per CPU second.
    private func alternate(
        esp: (Int) throws -> Int, bare: (Int) throws -> Int
    ) rethrows -> (esp: [Double], bare: [Double], iterations: Int) {
        func time(_ count: Int, _ body: (Int) throws -> Int) rethrows -> Double {
            let start = BenchTimer.threadCPUTime()
            _ = BenchTimer.sink(try body(count))
            return BenchTimer.threadCPUTime() - start
        }
        var batch = 1
        var elapsed = try time(batch, esp)
        _ = try time(batch, bare)
        while elapsed < secondsPerRound / 4, batch < 1 << 30 {
            let scale = elapsed > 0 ? min(16, max(2, (secondsPerRound / 4) / elapsed)) : 16
            batch = Int((Double(batch) * scale).rounded(.up))
            elapsed = try time(batch, esp)
        }
        _ = try time(batch, bare)
        let iterations = max(1, Int(secondsPerRound / max(elapsed / Double(batch), 1e-12)))
        var espRates: [Double] = []
        var bareRates: [Double] = []
        for _ in 0..<rounds {
            bareRates.append(Double(iterations) / max(try time(iterations, bare), 1e-9))
            espRates.append(Double(iterations) / max(try time(iterations, esp), 1e-9))
        }
        return (espRates, bareRates, iterations)
    }

    // MARK: - The timed loops

    /// `count` packets sealed then opened in place through the SAs.
    private static func sealOpenESP(
        _ count: Int, pair: Pair, packet: UnsafeMutableRawBufferPointer, payloadLength: Int
    ) throws -> Int {
        try sealOpenESP(count, &pair.outbound, &pair.inbound, packet: packet, payloadLength: payloadLength)
    }

    private static func sealOpenESP(
        _ count: Int, _ outbound: inout ESPSecurityAssociation, _ inbound: inout ESPSecurityAssociation,
        packet: UnsafeMutableRawBufferPointer, payloadLength: Int
    ) throws -> Int {
        let start = outbound.headerLength
        let payload = UnsafeRawBufferPointer(rebasing: packet[start..<start + payloadLength])
        var sum = 0
        for _ in 0..<count {
            let length = try outbound.seal(payload: payload, nextHeader: .ipv4, into: packet)
            let opened = try inbound.open(UnsafeMutableRawBufferPointer(rebasing: packet[0..<length]))
            sum &+= opened.payloadRange.count
        }
        return sum
    }

    /// The contexts doing the bare work.
    private enum Bare {
        case aead(any AEADContext)
        case cipher(any CipherContext, any IntegrityContext)
    }

    /// `count` packets' worth of the bare work on an ESP-shaped buffer: AEAD seal and
    /// open with SPI ‖ sequence number as AAD; or encrypt, HMAC, HMAC again and compare
    /// in constant time, decrypt. The IV is a counter.
    private static func sealOpenBare(
        _ count: Int, _ bare: Bare, packet: UnsafeMutableRawBufferPointer, headerLength: Int, dataLength: Int,
        icvLength: Int, sequence: inout UInt64
    ) throws -> Int {
        let aad = UnsafeRawBufferPointer(rebasing: packet[0..<8])
        let iv = UnsafeMutableRawBufferPointer(rebasing: packet[8..<headerLength])
        let data = UnsafeMutableRawBufferPointer(rebasing: packet[headerLength..<headerLength + dataLength])
        let icvStart = headerLength + dataLength
        let icv = UnsafeMutableRawBufferPointer(rebasing: packet[icvStart..<icvStart + icvLength])
        let computed = UnsafeMutableRawBufferPointer(rebasing: packet[icvStart + icvLength..<icvStart + 2 * icvLength])
        switch bare {
        case .aead(let context):
            for _ in 0..<count {
                sequence &+= 1
                packet.storeBytes(of: UInt32(truncatingIfNeeded: sequence).bigEndian, toByteOffset: 4, as: UInt32.self)
                iv.storeBytes(of: sequence.bigEndian, as: UInt64.self)
                try context.seal(iv: UnsafeRawBufferPointer(iv), aad: aad, data: data, icv: icv)
                try context.open(iv: UnsafeRawBufferPointer(iv), aad: aad, data: data, icv: UnsafeRawBufferPointer(icv))
            }
        case .cipher(let cipher, let integrity):
            let covered = UnsafeRawBufferPointer(rebasing: packet[0..<icvStart])
            for _ in 0..<count {
                sequence &+= 1
                packet.storeBytes(of: UInt32(truncatingIfNeeded: sequence).bigEndian, toByteOffset: 4, as: UInt32.self)
                iv.storeBytes(of: sequence.bigEndian, toByteOffset: iv.count - 8, as: UInt64.self)
                try cipher.encrypt(iv: UnsafeRawBufferPointer(iv), data: data)
                integrity.authenticate(covered, icv: icv)
                integrity.authenticate(covered, icv: computed)
                guard ConstantTime.equal(UnsafeRawBufferPointer(computed), UnsafeRawBufferPointer(icv)) else {
                    throw BenchmarkFailure(description: "bare HMAC did not verify")
                }
                try cipher.decrypt(iv: UnsafeRawBufferPointer(iv), data: data)
            }
        }
        return Int(data[0])
    }
}
