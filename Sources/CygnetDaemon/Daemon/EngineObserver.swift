import IKECore
import IKEWire
import Logging

/// Turns engine events into log lines (with the metadata keys `Docs/architecture.md` lists) and metric updates.
/// Called from every shard's loop; it keeps no state of its own (the events say who
/// initiated and whether an SA was established).
final class EngineObserver: Sendable {
    let logger: Logger
    let metrics: DaemonMetrics

    init(logger: Logger, metrics: DaemonMetrics) {
        self.logger = logger
        self.metrics = metrics
    }

    func observe(_ event: IKEEvent, shard: Int) {
        switch event {
        case .ikeSAStarted(let name, let spi, let isInitiator):
            metrics.handshakesStarted(isInitiator: isInitiator)
            logger.info(
                isInitiator ? "initiating IKE SA" : "IKE_SA_INIT answered",
                metadata: ["peer": "\(name)", "ike.spi": "\(HexText.string(spi))"])
        case .ikeSAEstablished(let name, let localSPI, let remoteSPI, let isInitiator):
            metrics.handshakeCompleted()
            logger.info(
                "IKE SA established",
                metadata: [
                    "peer": "\(name)", "ike.spi_i": "\(HexText.string(isInitiator ? localSPI : remoteSPI))",
                    "ike.spi_r": "\(HexText.string(isInitiator ? remoteSPI : localSPI))",
                ])
        case .ikeSAClosed(let name, let spi, let reason, let wasEstablished):
            metrics.ikeSAClosed(reason: reason, duringHandshake: !wasEstablished)
            let metadata: Logger.Metadata = ["peer": "\(name)", "ike.spi": "\(HexText.string(spi))", "reason": "\(reason.code.name)"]
            switch reason.code {
            case .deletedLocally, .deletedByPeer, .rekeyed, .reauthenticated:
                logger.info("IKE SA closed: \(reason.text)", metadata: metadata)
            default:
                logger.warning("IKE SA closed: \(reason.text)", metadata: metadata)
            }
        case .childSAInstalled(let name, let inbound, let outbound, _):
            metrics.childSAInstalled()
            logger.info(
                "Child SA installed",
                metadata: ["peer": "\(name)", "child.spi_in": "\(HexText.string(inbound))", "child.spi_out": "\(HexText.string(outbound))"])
        case .childSAExpired(let name, let inbound, let outbound, let reason):
            logger.warning(
                "Child SA expired: \(reason)",
                metadata: ["peer": "\(name)", "child.spi_in": "\(HexText.string(inbound))", "child.spi_out": "\(HexText.string(outbound))"])
        case .childSAFailed(let name, let spi, let reason):
            logger.warning(
                "Child SA not installed: \(reason.text)",
                metadata: ["peer": "\(name)", "ike.spi": "\(HexText.string(spi))", "reason": "\(reason.code.name)"])
        case .ikeSARekeyed(let name, let old, let new, _):
            metrics.ikeSARekeyed()
            logger.info("IKE SA rekeyed", metadata: ["peer": "\(name)", "ike.spi": "\(HexText.string(old))", "ike.spi_new": "\(HexText.string(new))"])
        case .datagramDropped(let reason):
            metrics.datagramDropped(reason)
            logger.debug(
                "dropped: \(reason.text)", metadata: ["reason": "\(reason.code.name)", "category": "\(reason.category.name)"])
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
            logger.warning("refused \(remote): \(reason.text)", metadata: ["reason": "\(reason.code.name)"])
        case .errorNotifyReceived(let spi, let type, let data):
            logger.warning(
                "peer sent \(type)", metadata: ["ike.spi": "\(HexText.string(spi))", "notify.data": "\(HexText.string(data))"])
        }
    }
}
