import CygnetHostSupport
import Synchronization

/// Counters of the data plane as a whole: what no SA accounts for, and the totals of SAs
/// already removed (so the metrics only ever grow).
final class DataPlaneCounters: Sendable {
    /// Outbound packets no Child SA's selectors matched.
    let outboundNoSA = Atomic<UInt64>(0)
    /// Outbound packets that could not be sealed (sequence numbers exhausted).
    let outboundSealFailures = Atomic<UInt64>(0)
    /// Packets read from the TUN device that are not IPv4 or IPv6.
    let outboundMalformed = Atomic<UInt64>(0)
    /// Outbound packets the socket did not take.
    let sendFailures = Atomic<UInt64>(0)
    /// ESP for an SPI we do not have (RFC 4303 §3.4.2).
    let inboundUnknownSPI = Atomic<UInt64>(0)
    /// Datagrams too short to be ESP, or cut by the receive buffer.
    let inboundMalformed = Atomic<UInt64>(0)
    /// Dummy packets (Next Header 59, RFC 4303 §2.6), discarded.
    let inboundDummy = Atomic<UInt64>(0)
    /// The counters of removed Child SAs.
    let retired = Mutex(ChildSATraffic())

    func absorb(_ traffic: ChildSATraffic) {
        retired.withLock { $0 += traffic }
    }
}
