import IKECore
import IKEWire
import Logging
import Synchronization

/// Turns engine events into log lines (with the metadata keys `Docs/architecture.md` lists) and metric updates.
/// Called from every shard's loop. The events say who initiated and whether an SA was
/// established, so it keeps no table of SAs; its only state is the rate limits of the
/// lines any datagram can cause.
///
/// Text from the engine can carry what a peer chose (identities, names in its
/// certificates): it goes through ``IKEWire/PeerText`` before it is logged. Lines a peer
/// can cause without authenticating (answered IKE_SA_INIT requests, failed handshakes,
/// refusals, half-open limits, cookies, drops) are limited to
/// ``warningsPerSecond`` a second per kind; the first line after a pause says how many
/// similar ones were left out. Metrics count every event.
final class EngineObserver: Sendable {
    /// Lines of one throttled kind logged per second at most.
    static let warningsPerSecond = 10

    /// The longest text of an event (a close or refusal reason) logged, in characters.
    static let reasonLimit = 1024

    /// The kinds of lines a peer can cause with datagrams alone.
    enum Throttled: Hashable, Sendable {
        case answered, handshakeFailed, refused, halfOpenLimit, cookie, dropped, errorNotify, retransmitted
    }

    /// Lines of IKE SAs, Child SAs and dropped datagrams (subsystems `ike`, `chd`, `net`).
    private let logIKE: Logger
    private let logChild: Logger
    private let logNetwork: Logger
    let metrics: DaemonMetrics
    private let clock: @Sendable () -> UInt64
    private let limits = Mutex<[Throttled: RateLimit]>([:])

    /// - Parameter clock: the current second, for the rate limits (the monotonic clock;
    ///   tests pass their own).
    init(logger: Logger, metrics: DaemonMetrics, clock: @escaping @Sendable () -> UInt64 = { RateLimit.currentSecond }) {
        logIKE = logger.subsystem("ike")
        logChild = logger.subsystem("chd")
        logNetwork = logger.subsystem("net")
        self.metrics = metrics
        self.clock = clock
    }

    func observe(_ event: IKEEvent, shard: Int) {
        switch event {
        case .ikeSAStarted(let name, let spi, let isInitiator):
            metrics.handshakesStarted(isInitiator: isInitiator)
            let metadata: Logger.Metadata = ["peer": "\(name)", "ike.spi": "\(HexText.string(spi))"]
            if isInitiator {
                logIKE.info("initiating IKE SA", metadata: metadata)
            } else {
                throttled(.answered) { logIKE.info("IKE_SA_INIT answered\($0)", metadata: metadata.merging($1) { $1 }) }
            }
        case .ikeSAEstablished(let name, let localSPI, let remoteSPI, let isInitiator):
            metrics.handshakeCompleted()
            logIKE.info(
                "IKE SA established",
                metadata: [
                    "peer": "\(name)", "ike.spi_i": "\(HexText.string(isInitiator ? localSPI : remoteSPI))",
                    "ike.spi_r": "\(HexText.string(isInitiator ? remoteSPI : localSPI))",
                ])
        case .ikeSAClosed(let name, let spi, let reason, let wasEstablished):
            metrics.ikeSAClosed(reason: reason, duringHandshake: !wasEstablished)
            let metadata: Logger.Metadata = ["peer": "\(name)", "ike.spi": "\(HexText.string(spi))", "reason": "\(reason.code.name)"]
            let text = Self.text(reason.text)
            switch reason.code {
            case .deletedLocally, .deletedByPeer, .rekeyed, .reauthenticated:
                logIKE.info("IKE SA closed: \(text)", metadata: metadata)
            default:
                if wasEstablished {
                    logIKE.warning("IKE SA closed: \(text)", metadata: metadata)
                } else {
                    throttled(.handshakeFailed) { logIKE.warning("IKE SA closed: \(text)\($0)", metadata: metadata.merging($1) { $1 }) }
                }
            }
        case .childSAInstalled(let name, let inbound, let outbound, _):
            metrics.childSAInstalled()
            logChild.info(
                "Child SA installed",
                metadata: ["peer": "\(name)", "child.spi_in": "\(HexText.string(inbound))", "child.spi_out": "\(HexText.string(outbound))"])
        case .childSADeletedByPeer(let name, _, let child, let inbound, let outbound):
            logChild.info(
                "Child SA '\(child)' deleted by the peer",
                metadata: ["peer": "\(name)", "child.spi_in": "\(HexText.string(inbound))", "child.spi_out": "\(HexText.string(outbound))"])
        case .childSAExpired(let name, let inbound, let outbound, let reason):
            logChild.warning(
                "Child SA expired: \(Self.text(reason))",
                metadata: ["peer": "\(name)", "child.spi_in": "\(HexText.string(inbound))", "child.spi_out": "\(HexText.string(outbound))"])
        case .childSAFailed(let name, let spi, let reason):
            logChild.warning(
                "Child SA not installed: \(Self.text(reason.text))",
                metadata: ["peer": "\(name)", "ike.spi": "\(HexText.string(spi))", "reason": "\(reason.code.name)"])
        case .ikeSARekeyed(let name, let old, let new, _):
            metrics.ikeSARekeyed()
            logIKE.info("IKE SA rekeyed", metadata: ["peer": "\(name)", "ike.spi": "\(HexText.string(old))", "ike.spi_new": "\(HexText.string(new))"])
        case .ikeSAAddressesUpdated(let name, let spi, let oldLocal, let oldRemote, let newLocal, let newRemote, let cause):
            metrics.addressesUpdated(cause: cause)
            logIKE.info(
                "IKE SA moved (\(cause)): \(oldLocal) - \(oldRemote) → \(newLocal) - \(newRemote)",
                metadata: ["peer": "\(name)", "ike.spi": "\(HexText.string(spi))", "cause": "\(cause)"])
        case .addressUpdateSkipped(let name, let spi, let reason):
            logIKE.info(
                "IKE SA not moved to the new source address: \(reason)", metadata: ["peer": "\(name)", "ike.spi": "\(HexText.string(spi))", "reason": "\(reason)"])
        case .datagramDropped(let reason):
            metrics.datagramDropped(reason)
            throttled(.dropped) {
                logNetwork.debug(
                    "dropped: \(Self.text(reason.text))\($0)",
                    metadata: ["reason": "\(reason.code.name)", "category": "\(reason.category.name)"].merging($1) { $1 })
            }
        case .retransmitted(let spi, let messageID, let attempt):
            metrics.retransmitted()
            throttled(.retransmitted) {
                logIKE.info(
                    "retransmit \(attempt) of request\($0)",
                    metadata: ["ike.spi": "\(HexText.string(spi))", "ike.msgid": "\(messageID)"].merging($1) { $1 })
            }
        case .cookieRequested(let remote):
            metrics.cookieSent()
            throttled(.cookie) {
                logIKE.info("asked \(remote) for a COOKIE (half-open SAs above cookie_threshold)\($0)", metadata: $1)
            }
        case .halfOpenLimitReached(let remote, let limit):
            metrics.halfOpenLimitReached()
            throttled(.halfOpenLimit) {
                logIKE.warning(
                    "IKE_SA_INIT from \(remote) dropped: half-open limit (\(limit == .perAddress ? "per address" : "total")) reached\($0)",
                    metadata: $1)
            }
        case .negotiationRefused(let remote, let reason):
            metrics.negotiationRefused()
            throttled(.refused) {
                logIKE.warning("refused \(remote): \(Self.text(reason.text))\($0)", metadata: ["reason": "\(reason.code.name)"].merging($1) { $1 })
            }
        case .addressesAssigned(let name, let spi, let assignment):
            let dns = assignment.dnsServers.map(IPAddressText.format).joined(separator: ", ")
            let addresses = assignment.addresses.map { "\($0) (pool '\($0.pool)')" }.joined(separator: ", ")
            logIKE.info(
                "assigned virtual IP \(addresses)\(dns.isEmpty ? "" : ", DNS servers \(dns)")",
                metadata: ["peer": "\(name)", "ike.spi": "\(HexText.string(spi))"])
        case .addressAssignmentFailed(let name, let spi, let pools, let reason):
            logIKE.warning(
                "no virtual IP from pools \(pools): \(Self.text(reason.reason)); answered INTERNAL_ADDRESS_FAILURE, no Child SA",
                metadata: ["peer": "\(name)", "ike.spi": "\(HexText.string(spi))", "reason": "\(reason.code.name)"])
        case .virtualIPsReceived(let name, let spi, let assignment):
            // The Child SAs put the address on the TUN device; the shard writes the DNS
            // servers to `resolv_conf` when there is one.
            let dns = assignment.dnsServers.map(IPAddressText.format).joined(separator: ", ")
            let addresses = assignment.addresses.map(\.description).joined(separator: ", ")
            logIKE.info(
                "got virtual IP \(addresses)\(dns.isEmpty ? "" : ", DNS servers \(dns)")",
                metadata: ["peer": "\(name)", "ike.spi": "\(HexText.string(spi))"])
        case .errorNotifyReceived(let spi, let type, let data):
            throttled(.errorNotify) {
                logIKE.warning(
                    "peer sent \(type)\($0)",
                    metadata: ["ike.spi": "\(HexText.string(spi))", "notify.data": "\(PeerText.hex(data))"].merging($1) { $1 })
            }
        }
    }

    /// An event's text as logged: escaped and cut (it may quote the peer).
    static func text(_ text: String) -> String { PeerText.escaped(text, limit: reasonLimit) }

    /// Calls `log` with a suffix and metadata saying how many lines of `kind` were left
    /// out since the last one, unless `kind` is over its limit this second.
    private func throttled(_ kind: Throttled, _ log: (_ suffix: String, _ metadata: Logger.Metadata) -> Void) {
        let second = clock()
        guard let suppressed = limits.withLock({ $0[kind, default: RateLimit(perSecond: Self.warningsPerSecond)].admit(atSecond: second) })
        else { return }
        if suppressed == 0 {
            log("", [:])
        } else {
            log(" (\(suppressed) similar suppressed)", ["suppressed": "\(suppressed)"])
        }
    }
}
