import IKECore
import IKEWire
import Logging
import NIOConcurrencyHelpers

/// Turns engine events into log lines (DESIGN.md metadata keys) and metric updates.
/// Called from every shard's loop; its own bookkeeping is behind a lock.
final class EngineObserver: Sendable {
    let logger: Logger
    let metrics: DaemonMetrics
    /// Per local SPI: whether we initiated it and whether it got established, to name
    /// `ike.spi_i`/`ike.spi_r` and to tell a failed handshake from a closed SA.
    private let handshakes = NIOLockedValueBox<[UInt64: Handshake]>([:])

    struct Handshake {
        var isInitiator: Bool
        var isEstablished = false
    }

    init(logger: Logger, metrics: DaemonMetrics) {
        self.logger = logger
        self.metrics = metrics
    }

    func observe(_ event: IKEEvent, shard: Int) {
        switch event {
        case .ikeSAStarted(let name, let spi, let isInitiator):
            handshakes.withLockedValue { $0[spi] = Handshake(isInitiator: isInitiator) }
            metrics.handshakesStarted(isInitiator: isInitiator)
            logger.info(
                isInitiator ? "initiating IKE SA" : "IKE_SA_INIT answered",
                metadata: ["peer": "\(name)", "ike.spi": "\(HexText.string(spi))"])
        case .ikeSAEstablished(let name, let localSPI, let remoteSPI):
            let isInitiator = handshakes.withLockedValue { table -> Bool in
                table[localSPI, default: Handshake(isInitiator: false)].isEstablished = true
                return table[localSPI]?.isInitiator ?? false
            }
            metrics.handshakeCompleted()
            logger.info(
                "IKE SA established",
                metadata: [
                    "peer": "\(name)", "ike.spi_i": "\(HexText.string(isInitiator ? localSPI : remoteSPI))",
                    "ike.spi_r": "\(HexText.string(isInitiator ? remoteSPI : localSPI))",
                ])
        case .ikeSAClosed(let name, let spi, let reason):
            let wasEstablished = handshakes.withLockedValue { $0.removeValue(forKey: spi)?.isEstablished ?? true }
            metrics.ikeSAClosed(reason: reason, duringHandshake: !wasEstablished)
            let metadata: Logger.Metadata = ["peer": "\(name)", "ike.spi": "\(HexText.string(spi))", "reason": "\(reason.code.name)"]
            switch reason.code {
            case .deletedLocally, .deletedByPeer, .rekeyed, .reauthenticated:
                logger.info("IKE SA closed: \(reason.text)", metadata: metadata)
            default:
                logger.warning("IKE SA closed: \(reason.text)", metadata: metadata)
            }
        case .childSAInstalled(let name, let inbound, let outbound):
            metrics.childSAInstalled()
            logger.info(
                "Child SA installed",
                metadata: ["peer": "\(name)", "child.spi_in": "\(HexText.string(inbound))", "child.spi_out": "\(HexText.string(outbound))"])
        case .childSAExpired(let name, let inbound, let outbound, let reason):
            logger.warning(
                "Child SA expired: \(reason)",
                metadata: ["peer": "\(name)", "child.spi_in": "\(HexText.string(inbound))", "child.spi_out": "\(HexText.string(outbound))"])
        case .ikeSARekeyed(let name, let old, let new):
            handshakes.withLockedValue { $0[new] = Handshake(isInitiator: false, isEstablished: true) }
            metrics.ikeSARekeyed()
            logger.info("IKE SA rekeyed", metadata: ["peer": "\(name)", "ike.spi": "\(HexText.string(old))", "ike.spi_new": "\(HexText.string(new))"])
        case .datagramDropped(let reason):
            metrics.datagramDropped()
            logger.debug("dropped: \(reason)")
        case .retransmitted(let spi, let messageID, let attempt):
            metrics.retransmitted()
            logger.info("retransmit \(attempt) of request", metadata: ["ike.spi": "\(HexText.string(spi))", "ike.msgid": "\(messageID)"])
        case .cookieRequested(let remote):
            metrics.cookieSent()
            logger.info("asked \(remote) for a COOKIE (half-open SAs above cookie_threshold)")
        case .halfOpenLimitReached(let remote, let limit):
            metrics.halfOpenLimitReached()
            logger.warning("IKE_SA_INIT from \(remote) dropped: half-open limit (\(limit == .perAddress ? "per address" : "total")) reached")
        case .negotiationRefused(let remote, let reason):
            metrics.negotiationRefused()
            logger.warning("refused \(remote): \(reason)")
        case .errorNotifyReceived(let spi, let type, let data):
            logger.warning(
                "peer sent \(type)", metadata: ["ike.spi": "\(HexText.string(spi))", "notify.data": "\(HexText.string(data))"])
        }
    }
}
