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
/// Then, in the same run, the remote-access case (``EAPFigures``): N more initiators,
/// each a user of its own who proves itself with EAP-MSCHAPv2 (EAPCore's authenticator
/// and peer, RFC 7296 §2.16; `eap_id = %any`, so an EAP-Identity round first) while the
/// gateway proves itself with the PSK, and who asks for a virtual IP (CFG_REQUEST) that
/// the gateway's host leases from a pool; the Child SA's selectors are `dynamic`. The
/// responder's figures include its host's work for EAP and the lease, as cygnetd would
/// do it.
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
        /// The remote-access case, measured in the same run after the PSK one.
        public var eapMSCHAPv2: EAPFigures
        public var reference = Reference()
    }

    /// The responder's figures with EAP-MSCHAPv2 and a virtual IP from a pool.
    public struct EAPFigures: Codable, Hashable, Sendable {
        public var setup = "PSK AUTH from the gateway, EAP-MSCHAPv2 (EAPCore) from each client with eap_id = %any, a virtual IP (CFG_REQUEST) leased from a pool, dynamic selectors"
        public var count: Int
        /// IKE SAs established, Child SAs installed and addresses leased, in the measured run.
        public var established: Int
        public var childSAsInstalled: Int
        public var addressesLeased: Int
        /// EAP conversations the gateway's host still held at the end (0: none outlived its SA's authentication).
        public var conversationsLeft: Int
        /// IKE_AUTH exchanges per IKE SA.
        public var authExchangesPerSA: Double
        /// Responder CPU per IKE SA, all exchanges, its host's EAP method and pool included.
        public var responderCPUMicrosecondsPerSA: Double
        public var responderSAInitMicrosecondsPerSA: Double
        /// Every IKE_AUTH exchange.
        public var responderAuthMicrosecondsPerSA: Double
        /// Of the responder's CPU: its host's EAP-MSCHAPv2 authenticator and address leases.
        public var responderHostMicrosecondsPerSA: Double
        public var initiatorCPUMicrosecondsPerSA: Double
        public var heapBytesPerSA: Double?
        public var rssKiBPerSA: Double?
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
        var psk = PSKBenchmarkHost()
        let pskRun = try measure(
            responderConfiguration: Self.peers.responder, host: &psk, initiator: { _ in (Self.peers.initiator, PSKBenchmarkHost()) })
        var gateway = EAPGatewayBenchmarkHost(passwords: Dictionary(
            uniqueKeysWithValues: (0..<(warmUp + count)).map { (Self.eapUser($0), Self.eapPassword($0)) }))
        let eapRun = try measure(responderConfiguration: Self.eapResponder, host: &gateway) { index in
            (Self.eapInitiator(user: Self.eapUser(index)), EAPClientBenchmarkHost(user: Self.eapUser(index), password: Self.eapPassword(index)))
        }
        let leased = gateway.pool.onlineCount
        guard leased == warmUp + count, gateway.failures == 0 else {
            throw Failure(description: "EAP: \(leased) of \(warmUp + count) addresses leased, \(gateway.failures) EAP failures")
        }
        withExtendedLifetime((pskRun.responder, eapRun.responder)) {}
        let n = Double(count)
        let counts = pskRun.counts
        let eap = eapRun.counts
        return Report(
            environment: environment, count: count, warmUp: warmUp, established: pskRun.established,
            childSAsInstalled: counts.childSAs,
            responderCPUMicrosecondsPerSA: (counts.responderInit + counts.responderAuth) / n * 1e6,
            responderSAInitMicrosecondsPerSA: counts.responderInit / n * 1e6,
            responderAuthMicrosecondsPerSA: counts.responderAuth / n * 1e6,
            initiatorCPUMicrosecondsPerSA: counts.initiator / n * 1e6,
            handshakesPerWallSecond: n / max(pskRun.wall, 1e-9),
            heapBytesPerSA: pskRun.heapBytesPerSA, rssKiBPerSA: pskRun.rssKiBPerSA,
            eapMSCHAPv2: EAPFigures(
                count: count, established: eapRun.established, childSAsInstalled: eap.childSAs, addressesLeased: leased,
                conversationsLeft: gateway.conversations.count, authExchangesPerSA: Double(eap.authExchanges) / n,
                responderCPUMicrosecondsPerSA: (eap.responderInit + eap.responderAuth) / n * 1e6,
                responderSAInitMicrosecondsPerSA: eap.responderInit / n * 1e6,
                responderAuthMicrosecondsPerSA: eap.responderAuth / n * 1e6,
                responderHostMicrosecondsPerSA: eap.responderHost / n * 1e6,
                initiatorCPUMicrosecondsPerSA: eap.initiator / n * 1e6,
                heapBytesPerSA: eapRun.heapBytesPerSA, rssKiBPerSA: eapRun.rssKiBPerSA))
    }

    // MARK: The EAP case

    /// The gateway: `remote { id = %any  auth = eap-mschapv2  eap_id = %any }`,
    /// `pools = bench`, `remote_ts = dynamic`; its PSK is shared with `*@bench.test`.
    static let eapResponder: IKEEngineConfiguration = {
        var configuration = peers.responder
        configuration.preSharedKeys = [PreSharedKey(
            identities: [peers.responderIdentity, IKEIdentity("*@bench.test")], secret: peers.secret)]
        configuration.peers[0].remoteIdentity = nil
        configuration.peers[0].remoteAuthentication = .eap(.method(.mschapv2))
        configuration.peers[0].remoteEAPIdentity = .ask
        configuration.peers[0].pools = [BenchAddressPool.name]
        configuration.peers[0].children[0].remoteTrafficSelectors = [.dynamic(ipProtocol: 0, startPort: 0, endPort: 65535)]
        return configuration
    }()

    /// A client: `local { id = user@bench.test  auth = eap-mschapv2  eap_id = user }`,
    /// `vips = 0.0.0.0`, `local_ts = dynamic`. Each has an IKE identity of its own:
    /// its lease is for it.
    static func eapInitiator(user: String) -> IKEEngineConfiguration {
        var configuration = peers.initiator
        let identity = IKEIdentity("\(user)@bench.test")
        configuration.preSharedKeys = [PreSharedKey(identities: [identity, peers.responderIdentity], secret: peers.secret)]
        configuration.peers[0].localIdentity = identity
        configuration.peers[0].localAuthentication = .eap(.method(.mschapv2))
        configuration.peers[0].localEAPIdentity = .named(user)
        configuration.peers[0].virtualIPs = [[0, 0, 0, 0]]
        configuration.peers[0].children[0].localTrafficSelectors = [.dynamic(ipProtocol: 0, startPort: 0, endPort: 65535)]
        return configuration
    }

    static func eapUser(_ index: Int) -> String { "user\(index)" }
    static func eapPassword(_ index: Int) -> SecretBytes { SecretBytes(Array("bench password \(index)".utf8)) }

    // MARK: Measuring

    struct Counts {
        var responderInit = 0.0
        var responderAuth = 0.0
        /// Of the responder's time, its host's answers.
        var responderHost = 0.0
        var initiator = 0.0
        var childSAs = 0
        var authExchanges = 0
    }

    /// One case measured: `warmUp` then `count` handshakes against one responder that
    /// keeps them.
    struct Run {
        var responder: IKEEngine<SystemRandomSource>
        var counts: Counts
        var established: Int
        var wall: Double
        var heapBytesPerSA: Double?
        var rssKiBPerSA: Double?
    }

    private func measure<ResponderHost: HandshakeBenchmarkHost, InitiatorHost: HandshakeBenchmarkHost>(
        responderConfiguration: IKEEngineConfiguration, host: inout ResponderHost,
        initiator: (Int) -> (IKEEngineConfiguration, InitiatorHost)
    ) throws -> Run {
        var responder = IKEEngine(configuration: responderConfiguration, random: SystemRandomSource())
        var counts = Counts()
        for index in 0..<warmUp {
            try handshake(index: index, responder: &responder, host: &host, initiator: initiator(index), counts: &counts)
        }
        counts = Counts()
        let heapBefore = Self.heapInUse()
        let rssBefore = Self.residentBytes()
        let wallStart = Date()
        for index in warmUp..<(warmUp + count) {
            try handshake(index: index, responder: &responder, host: &host, initiator: initiator(index), counts: &counts)
        }
        let wall = Date().timeIntervalSince(wallStart)
        let heapAfter = Self.heapInUse()
        let rssAfter = Self.residentBytes()
        let established = responder.establishedSPIs.count
        guard established == warmUp + count, counts.childSAs == count else {
            throw Failure(description: "\(established) of \(warmUp + count) IKE SAs established, \(counts.childSAs) Child SAs")
        }
        let n = Double(count)
        return Run(
            responder: responder, counts: counts, established: established, wall: wall,
            heapBytesPerSA: heapBefore.flatMap { before in heapAfter.map { Double(Int($0) - Int(before)) / n } },
            rssKiBPerSA: rssBefore.flatMap { before in rssAfter.map { Double(Int($0) - Int(before)) / 1024 / n } })
    }

    /// One IKE SA from IKE_SA_INIT to established, each side's effects answered by its
    /// host as they come; the first exchange counts as IKE_SA_INIT, every other one as
    /// IKE_AUTH.
    private func handshake<ResponderHost: HandshakeBenchmarkHost, InitiatorHost: HandshakeBenchmarkHost>(
        index: Int, responder: inout IKEEngine<SystemRandomSource>, host: inout ResponderHost,
        initiator configuration: (IKEEngineConfiguration, InitiatorHost), counts: inout Counts
    ) throws {
        let address = IKEEndpointAddress(
            address: [10, UInt8(truncatingIfNeeded: index >> 16), UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index)],
            port: 500)
        var initiator = IKEEngine(configuration: configuration.0, random: SystemRandomSource())
        var initiatorHost = configuration.1
        let now = IKEInstant(nanoseconds: Int64(index) * 1_000_000)

        var start = BenchTimer.threadCPUTime()
        try initiator.handleCommand(.initiate(peer: "bench", local: address, remote: Self.responderAddress), now: now)
        var request = Host.drain(&initiator, host: &initiatorHost, now: now).datagram
        counts.initiator += BenchTimer.threadCPUTime() - start
        var exchanges = 0
        while true {
            guard let datagram = request else { throw Failure(description: "initiator \(index) sent no request after \(exchanges) exchanges") }
            start = BenchTimer.threadCPUTime()
            responder.handleDatagram(datagram, from: address, to: Self.responderAddress, now: now)
            let answer = Host.drain(&responder, host: &host, now: now)
            let elapsed = BenchTimer.threadCPUTime() - start
            if exchanges == 0 { counts.responderInit += elapsed } else { counts.responderAuth += elapsed }
            counts.responderHost += answer.hostTime
            counts.childSAs += answer.childSAs
            exchanges += 1
            guard let response = answer.datagram else { throw Failure(description: "responder did not answer request \(exchanges) of \(index)") }

            start = BenchTimer.threadCPUTime()
            initiator.handleDatagram(response, from: Self.responderAddress, to: address, now: now)
            let next = Host.drain(&initiator, host: &initiatorHost, now: now)
            counts.initiator += BenchTimer.threadCPUTime() - start
            if next.isEstablished { break }
            guard exchanges < 16 else { throw Failure(description: "initiator \(index) did not establish in \(exchanges) exchanges") }
            request = next.datagram
        }
        counts.authExchanges += exchanges - 1
    }

    /// What one input of an engine produced, as far as the benchmark cares: the first
    /// datagram, the Child SAs installed (the responder's are counted), whether an IKE SA
    /// was established, and the time its host took to answer effects.
    struct Host: IKEEngineHost {
        var datagram: ByteBuffer?
        var childSAs = 0
        var isEstablished = false
        var effects: [IKEEffect] = []
        var hostTime = 0.0

        /// Drains `engine` in its documented order, hands its effects to `host` and the
        /// answers back to the engine, until it asks for nothing more.
        static func drain<EffectHost: HandshakeBenchmarkHost>(
            _ engine: inout IKEEngine<SystemRandomSource>, host: inout EffectHost, now: IKEInstant
        ) -> Host {
            var output = Host()
            while true {
                engine.drain(into: &output)
                guard !output.effects.isEmpty else { return output }
                let start = BenchTimer.threadCPUTime()
                let completions = output.effects.compactMap { host.complete($0) }
                output.hostTime += BenchTimer.threadCPUTime() - start
                output.effects = []
                guard !completions.isEmpty else { return output }
                for completion in completions { engine.handleCompletion(completion, now: now) }
            }
        }

        mutating func send(_ transmit: IKETransmit) { datagram = datagram ?? transmit.datagram }
        func scheduleTimeout(at deadline: IKEInstant?) {}
        mutating func carryOut(_ effect: IKEEffect) {
            if case .installChildSA = effect { childSAs += 1 }
            effects.append(effect)
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
        let eap = report.eapMSCHAPv2
        lines.append("")
        lines.append("  with EAP-MSCHAPv2 and a virtual IP, same run: \(eap.count) more SAs, \(eap.established) held, \(eap.childSAsInstalled) Child SAs installed and \(eap.addressesLeased) addresses leased in all")
        lines.append("    setup:     \(eap.setup)")
        lines.append("    responder CPU per IKE SA:   \(f(eap.responderCPUMicrosecondsPerSA)) µs  (IKE_SA_INIT \(f(eap.responderSAInitMicrosecondsPerSA)) µs + \(f(eap.authExchangesPerSA, 0)) IKE_AUTH \(f(eap.responderAuthMicrosecondsPerSA)) µs; of it EAP method and lease \(f(eap.responderHostMicrosecondsPerSA)) µs)")
        lines.append("    responder heap per IKE SA:  \(eap.heapBytesPerSA.map { f($0 / 1024, 2) + " KiB (\(f($0, 0)) bytes)" } ?? "n/a"); EAP conversations left: \(eap.conversationsLeft)")
        lines.append("    process RSS per IKE SA:     \(eap.rssKiBPerSA.map { f($0, 2) + " KiB" } ?? "n/a")")
        lines.append("    initiator CPU per IKE SA:   \(f(eap.initiatorCPUMicrosecondsPerSA)) µs (not in the responder figure)")
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
