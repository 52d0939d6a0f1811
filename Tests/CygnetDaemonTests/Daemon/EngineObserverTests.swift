import IKECore
import IKEWire
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import CygnetDaemon

/// What the engine's events become in the log: peer text escaped and cut, per-packet
/// warnings limited per second with a count of what was left out.
@Suite("Engine observer: log lines from engine events")
struct EngineObserverTests {
    static let remote = IKEEndpointAddress(address: [192, 0, 2, 9], port: 500)

    /// An observer logging to `lines`, whose clock reads `second`.
    static func observer(_ lines: CapturingLogHandler.Lines, second: NIOLockedValueBox<UInt64>) -> EngineObserver {
        EngineObserver(
            logger: CapturingLogHandler.logger(lines), metrics: DaemonMetrics(),
            clock: { second.withLockedValue { $0 } })
    }

    @Test("Text a peer controls reaches the log escaped and cut: no line break, no terminal escape, no 64 KiB line")
    func peerTextEscaped() {
        let lines = CapturingLogHandler.Lines()
        let observer = Self.observer(lines, second: NIOLockedValueBox(0))
        let forged = "gw\n2025-01-01T00:00:00 info cygnetd: IKE SA established \u{1B}[2J"
        observer.observe(
            .ikeSAClosed(
                name: "lab", localSPI: 1,
                reason: IKECloseReason(.authenticationFailed, "certificate of '\(forged)' refused" + String(repeating: "x", count: 65_536)),
                wasEstablished: false),
            shard: 0)
        observer.observe(.negotiationRefused(remote: Self.remote, reason: IKERefusal(.noProposalChosen, "offer \(forged)")), shard: 0)
        observer.observe(.datagramDropped(IKEDropReason(.malformedMessage, "bad \(forged)")), shard: 0)
        #expect(lines.all.count == 3)
        for line in lines.all {
            #expect(!line.message.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(line.message.prefix(80))")
            #expect(line.message.utf8.count < 5000)
        }
        #expect(lines.all[0].message.contains("gw\\x0a2025"))
    }

    @Test("Refusals and half-open limits: at most the limit per second, then a line saying how many were left out")
    func rateLimited() {
        let lines = CapturingLogHandler.Lines()
        let second = NIOLockedValueBox<UInt64>(100)
        let observer = Self.observer(lines, second: second)
        let refusal = IKEEvent.negotiationRefused(remote: Self.remote, reason: IKERefusal(.noProposalChosen, "no common proposal"))
        let limit = IKEEvent.halfOpenLimitReached(remote: Self.remote, limit: .perAddress)
        for _ in 0..<1000 {
            observer.observe(refusal, shard: 0)
            observer.observe(limit, shard: 0)
        }
        let perKind = EngineObserver.warningsPerSecond
        #expect(lines.all.count == 2 * perKind)
        #expect(lines.all.allSatisfy { $0.metadata["suppressed"] == nil })
        lines.removeAll()
        second.withLockedValue { $0 += 1 }
        observer.observe(refusal, shard: 0)
        observer.observe(limit, shard: 0)
        #expect(lines.all.count == 2)
        #expect(lines.all.map { $0.metadata["suppressed"] } == ["\(1000 - perKind)", "\(1000 - perKind)"])
        #expect(lines.all.allSatisfy { $0.message.contains("\(1000 - perKind) similar") })
        // Nothing left out since: no count.
        lines.removeAll()
        second.withLockedValue { $0 += 5 }
        observer.observe(refusal, shard: 0)
        #expect(lines.all.count == 1 && lines.all[0].metadata["suppressed"] == nil)
    }

    @Test("An IKE SA that moved is logged old → new and counted by cause (cygnet_ike_address_updates_total{cause})")
    func addressUpdatesCountedByCause() {
        let lines = CapturingLogHandler.Lines()
        let observer = Self.observer(lines, second: NIOLockedValueBox(0))
        let old = IKEEndpointAddress(address: [192, 0, 2, 1], port: 4500)
        let new = IKEEndpointAddress(address: [192, 0, 2, 77], port: 4500)
        for cause in [IKEAddressUpdateCause.mobike, .mobike, .natMappingChange] {
            observer.observe(
                .ikeSAAddressesUpdated(
                    name: "rw", localSPI: 7, oldLocal: old, oldRemote: Self.remote, newLocal: new, newRemote: Self.remote,
                    cause: cause),
                shard: 0)
        }
        let page = observer.metrics.render().split(separator: "\n")
        #expect(page.contains(#"cygnet_ike_address_updates_total{cause="mobike"} 2"#))
        #expect(page.contains(#"cygnet_ike_address_updates_total{cause="nat_mapping_change"} 1"#))
        #expect(lines.all.count == 3 && lines.all.allSatisfy { $0.metadata["cause"] != nil })
        #expect(lines.all[0].message.contains("\(old) - \(Self.remote) → \(new) - \(Self.remote)"))
    }
}
