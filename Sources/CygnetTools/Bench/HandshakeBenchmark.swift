#if canImport(Glibc)
import Glibc
#endif
import Foundation
import IKEConfig
import IKECore
import IKECrypto
import IKEWire
import NIOCore

/// `cygnet bench handshake --in-memory`: N initiators set up one IKE SA with one Child
/// SA each against one responder engine, in memory (no sockets), with the real default
/// provider and the operating system's randomness: PSK, X25519, AES-GCM-256
/// (`aes256gcm16-prfsha256-x25519`, ESP `aes256gcm16`).
///
/// Measured:
/// - the responder's CPU time per IKE SA: this thread's CPU time
///   (`CLOCK_THREAD_CPUTIME_ID`) spent in the responder's `handleDatagram` calls and in
///   polling their outputs, for IKE_SA_INIT and IKE_AUTH — what a responder host pays;
///   the initiators' work is timed apart and not included;
/// - the heap the responder holds per established IKE SA with its Child SA: glibc's
///   heap in use (`malloc_info`, what `mallinfo2().uordblks` counts) before and after establishing N SAs that are kept, over N
///   (the initiators are dropped after each handshake; the Child SA installations the
///   engine hands out are dropped as a data plane would copy them); and the process RSS
///   growth over N, the figure strongSwan's lab measured.
///
/// Each handshake runs to completion before the next starts, so the half-open limits and
/// COOKIE threshold never trigger.
public struct HandshakeBenchmark: Sendable {
    public var count: Int
    /// Handshakes before the baseline, not measured (code paths and caches warm).
    public var warmUp: Int

    public init(count: Int = 1000, warmUp: Int = 50) {
        self.count = max(1, count)
        self.warmUp = max(0, warmUp)
    }

    /// strongSwan's figures, measured before on a machine of this kind: charon 5.9.8 as
    /// responder, a second charon driving 10 000 IKE SAs over vici, 3 runs, medians.
    public struct Reference: Codable, Hashable, Sendable {
        public var label = "reference measured earlier on this machine type (not this run)"
        public var source = "strongSwan 5.9.8 charon, 10 000 IKE SAs driven over vici, aes256gcm16-prfsha256-x25519"
        /// PSK IKE SA without Child SA: psk-childless-uniq 861, psk-childless 1137 (median µs).
        public var responderCPUMicrosecondsPerSAWithoutChild: [Double] = [861, 1137]
        /// PSK IKE SA with a kernel-libipsec Child SA.
        public var responderCPUMicrosecondsPerSAWithChild: Double = 7209
        /// Responder RSS per IKE SA with a libipsec Child SA.
        public var responderRSSKiBPerSAWithChild: Double = 19.2
        /// Responder RSS per IKE SA without Child SA (psk-childless, -uniq).
        public var responderRSSKiBPerSAWithoutChild: [Double] = [10.7, 11.2]
    }

    public struct Report: Codable, Hashable, Sendable {
        public var benchmark = "handshake"
        public var mode = "in-memory"
        public var environment: BenchEnvironment
        public var clock = "CLOCK_THREAD_CPUTIME_ID"
        public var proposal = "aes256gcm16-prfsha256-x25519, ESP aes256gcm16, PSK, one Child SA per IKE SA"
        public var provider = "CryptoProvider.default, SystemRandomSource"
        public var count: Int
        public var warmUp: Int
        /// IKE SAs the responder holds established at the end (warm-up included).
        public var established: Int
        public var childSAsInstalled: Int
        /// Responder CPU per IKE SA, both exchanges.
        public var responderCPUMicrosecondsPerSA: Double
        public var responderSAInitMicrosecondsPerSA: Double
        public var responderAuthMicrosecondsPerSA: Double
        /// Initiator CPU per IKE SA (not part of the responder figure).
        public var initiatorCPUMicrosecondsPerSA: Double
        /// Handshakes per second of wall time, both sides on one thread.
        public var handshakesPerWallSecond: Double
        /// Heap bytes in use (glibc malloc_info) the responder holds per established SA.
        public var heapBytesPerSA: Double?
        /// Process RSS growth per established SA, in KiB.
        public var rssKiBPerSA: Double?
        public var reference = Reference()
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    static let responderAddress = IKEEndpointAddress(address: [192, 0, 2, 2], port: 500)

    /// Every initiator shares one identity, as in strongSwan's load test (which sets
    /// `unique = never` on the responder): their IKE SAs must coexist.
    static let peers = PSKPeerPair(
        connection: "bench", child: "net", ikeProposals: [PSKPeerPair.defaultIKEProposal],
        espProposals: [PSKPeerPair.defaultESPProposal], initiatorIdentity: IKEIdentity("client@bench.test"),
        responderIdentity: IKEIdentity("gateway.bench.test"), initiatorSubnet: "10.0.0.0/8",
        responderSubnet: "203.0.113.0/24", secret: Array("bench-only-psk-0123456789abcdef".utf8), uniqueness: .never)

    public func run(environment: BenchEnvironment) throws -> Report {
        var responder = IKEEngine(configuration: Self.peers.responder, random: SystemRandomSource())
        let initiatorConfiguration = Self.peers.initiator
        var counts = Counts()
        for index in 0..<warmUp {
            try handshake(index: index, responder: &responder, initiatorConfiguration: initiatorConfiguration, counts: &counts)
        }
        counts = Counts()
        let heapBefore = Self.heapInUse()
        let rssBefore = Self.residentBytes()
        let wallStart = Date()
        for index in warmUp..<(warmUp + count) {
            try handshake(index: index, responder: &responder, initiatorConfiguration: initiatorConfiguration, counts: &counts)
        }
        let wall = Date().timeIntervalSince(wallStart)
        let heapAfter = Self.heapInUse()
        let rssAfter = Self.residentBytes()
        let established = responder.establishedSPIs.count
        guard established == warmUp + count, counts.childSAs == count else {
            throw Failure(description: "\(established) of \(warmUp + count) IKE SAs established, \(counts.childSAs) Child SAs")
        }
        let n = Double(count)
        let report = Report(
            environment: environment, count: count, warmUp: warmUp, established: established,
            childSAsInstalled: counts.childSAs,
            responderCPUMicrosecondsPerSA: (counts.responderInit + counts.responderAuth) / n * 1e6,
            responderSAInitMicrosecondsPerSA: counts.responderInit / n * 1e6,
            responderAuthMicrosecondsPerSA: counts.responderAuth / n * 1e6,
            initiatorCPUMicrosecondsPerSA: counts.initiator / n * 1e6,
            handshakesPerWallSecond: n / max(wall, 1e-9),
            heapBytesPerSA: heapBefore.flatMap { before in heapAfter.map { Double(Int($0) - Int(before)) / n } },
            rssKiBPerSA: rssBefore.flatMap { before in rssAfter.map { Double(Int($0) - Int(before)) / 1024 / n } })
        withExtendedLifetime(responder) {}
        return report
    }

    struct Counts {
        var responderInit = 0.0
        var responderAuth = 0.0
        var initiator = 0.0
        var childSAs = 0
    }

    private func handshake(
        index: Int, responder: inout IKEEngine<SystemRandomSource>, initiatorConfiguration: IKEEngineConfiguration,
        counts: inout Counts
    ) throws {
        let address = IKEEndpointAddress(
            address: [10, UInt8(truncatingIfNeeded: index >> 16), UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index)],
            port: 500)
        var initiator = IKEEngine(configuration: initiatorConfiguration, random: SystemRandomSource())
        let now = IKEInstant(nanoseconds: Int64(index) * 1_000_000)

        var start = BenchTimer.threadCPUTime()
        try initiator.handleCommand(.initiate(peer: "bench", local: address, remote: Self.responderAddress), now: now)
        let request = Host.drain(&initiator).datagram
        counts.initiator += BenchTimer.threadCPUTime() - start
        guard let request else { throw Failure(description: "initiator \(index) sent no IKE_SA_INIT") }

        start = BenchTimer.threadCPUTime()
        responder.handleDatagram(request, from: address, to: Self.responderAddress, now: now)
        let saInit = Host.drain(&responder)
        let response = saInit.datagram
        counts.responderInit += BenchTimer.threadCPUTime() - start
        guard let response else { throw Failure(description: "responder did not answer IKE_SA_INIT \(index)") }

        start = BenchTimer.threadCPUTime()
        initiator.handleDatagram(response, from: Self.responderAddress, to: address, now: now)
        let auth = Host.drain(&initiator).datagram
        counts.initiator += BenchTimer.threadCPUTime() - start
        guard let auth else { throw Failure(description: "initiator \(index) sent no IKE_AUTH") }

        start = BenchTimer.threadCPUTime()
        responder.handleDatagram(auth, from: address, to: Self.responderAddress, now: now)
        let authAnswer = Host.drain(&responder)
        let authResponse = authAnswer.datagram
        counts.childSAs += saInit.childSAs + authAnswer.childSAs
        counts.responderAuth += BenchTimer.threadCPUTime() - start
        guard let authResponse else { throw Failure(description: "responder did not answer IKE_AUTH \(index)") }

        start = BenchTimer.threadCPUTime()
        initiator.handleDatagram(authResponse, from: Self.responderAddress, to: address, now: now)
        let initiatorEstablished = Host.drain(&initiator).isEstablished
        counts.initiator += BenchTimer.threadCPUTime() - start
        guard initiatorEstablished else { throw Failure(description: "initiator \(index) did not establish") }
    }

    /// What one input of an engine produced, as far as the benchmark cares: the first
    /// datagram, the Child SAs installed (the responder's are counted), and whether an
    /// IKE SA was established.
    struct Host: IKEEngineHost {
        var datagram: ByteBuffer?
        var childSAs = 0
        var isEstablished = false

        /// Drains `engine` in its documented order.
        static func drain(_ engine: inout IKEEngine<SystemRandomSource>) -> Host {
            var host = Host()
            engine.drain(into: &host)
            return host
        }

        mutating func send(_ transmit: IKETransmit) { datagram = datagram ?? transmit.datagram }
        func scheduleTimeout(at deadline: IKEInstant?) {}
        mutating func carryOut(_ effect: IKEEffect) {
            if case .installChildSA = effect { childSAs += 1 }
        }
        mutating func observe(_ event: IKEEvent) {
            if case .ikeSAEstablished = event { isEstablished = true }
        }
    }

    /// Bytes in allocated heap chunks, as glibc's `mallinfo2().uordblks` would give
    /// them: from `malloc_info(3)` (malloc.h is not part of Swift's Glibc module, so it is
    /// looked up with `dlsym`), the arenas' current size plus mmapped chunks minus free
    /// chunks. `nil` when the allocator is not glibc's.
    static func heapInUse() -> UInt64? {
        #if os(Linux)
        typealias MallocInfo = @convention(c) (Int32, UnsafeMutablePointer<FILE>?) -> Int32
        guard let symbol = dlsym(nil, "malloc_info") else { return nil }
        let mallocInfo = unsafeBitCast(symbol, to: MallocInfo.self)
        var buffer: UnsafeMutablePointer<CChar>?
        var length = 0
        guard let stream = open_memstream(&buffer, &length) else { return nil }
        let status = mallocInfo(0, stream)
        fclose(stream)
        guard let buffer else { return nil }
        let xml = String(cString: buffer)
        free(buffer)
        guard status == 0 else { return nil }
        // The totals over every arena follow the last </heap>.
        let totals = xml.range(of: "</heap>", options: .backwards).map { String(xml[$0.upperBound...]) } ?? xml
        func size(_ element: String, _ type: String) -> UInt64? {
            guard let start = totals.range(of: "<\(element) type=\"\(type)\"") else { return nil }
            let rest = totals[start.upperBound...]
            guard let sizeStart = rest.range(of: "size=\"") else { return nil }
            let digits = rest[sizeStart.upperBound...].prefix { $0.isNumber }
            return UInt64(digits)
        }
        guard let current = size("system", "current") else { return nil }
        let freeBytes = (size("total", "fast") ?? 0) + (size("total", "rest") ?? 0)
        let mmapped = size("total", "mmap") ?? 0
        return current + mmapped >= freeBytes ? current + mmapped - freeBytes : 0
        #else
        return nil
        #endif
    }

    /// Resident set size from /proc/self/statm.
    static func residentBytes() -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = UInt64(fields[1]) else { return nil }
        return pages * UInt64(sysconf(Int32(_SC_PAGESIZE)))
    }

    // MARK: Output

    public static func render(_ report: Report) -> String {
        let environment = report.environment
        func f(_ value: Double, _ decimals: Int = 1) -> String { String(format: "%.\(decimals)f", value) }
        var lines = environment.headerLines("cygnet bench handshake --in-memory")
        lines.append("  setup:       \(report.proposal); \(report.provider); in memory, no sockets")
        lines.append("  SAs:         \(report.count) measured after \(report.warmUp) warm-up; responder holds \(report.established) established, \(report.childSAsInstalled) Child SAs installed in the measured run")
        lines.append("  clock:       \(report.clock), responder's handleDatagram + polling only")
        lines.append("")
        lines.append("  responder CPU per IKE SA:   \(f(report.responderCPUMicrosecondsPerSA)) µs  (IKE_SA_INIT \(f(report.responderSAInitMicrosecondsPerSA)) µs + IKE_AUTH \(f(report.responderAuthMicrosecondsPerSA)) µs)")
        lines.append("  responder heap per IKE SA:  \(report.heapBytesPerSA.map { f($0 / 1024, 2) + " KiB (\(f($0, 0)) bytes, glibc malloc_info in-use)" } ?? "n/a")")
        lines.append("  process RSS per IKE SA:     \(report.rssKiBPerSA.map { f($0, 2) + " KiB" } ?? "n/a")")
        lines.append("  initiator CPU per IKE SA:   \(f(report.initiatorCPUMicrosecondsPerSA)) µs (not in the responder figure)")
        lines.append("  handshakes per wall second: \(f(report.handshakesPerWallSecond, 0)) (both sides on one thread)")
        let reference = report.reference
        lines.append("")
        lines.append("  strongSwan — \(reference.label):")
        lines.append("    \(reference.source)")
        lines.append("    responder CPU per PSK IKE SA without Child SA: \(reference.responderCPUMicrosecondsPerSAWithoutChild.map { f($0, 0) }.joined(separator: "–")) µs; with a libipsec Child SA: \(f(reference.responderCPUMicrosecondsPerSAWithChild, 0)) µs")
        lines.append("    responder RSS per IKE SA with a libipsec Child SA: \(f(reference.responderRSSKiBPerSAWithChild)) KiB (without: \(reference.responderRSSKiBPerSAWithoutChild.map { f($0) }.joined(separator: "–")) KiB)")
        lines.append("    (charon's figures include its sockets, threads and kernel-libipsec; ours are the engine alone)")
        return lines.joined(separator: "\n")
    }

    public static func json(_ report: Report) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }
}
