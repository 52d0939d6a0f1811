import IKECore
import NIOConcurrencyHelpers
import Prometheus

/// The daemon's Prometheus metrics: counters updated as events happen, gauges set from
/// the SAs when scraped (``update(statuses:halfOpen:)``).
final class DaemonMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let startedAsInitiator: Counter
    private let startedAsResponder: Counter
    private let completed: Counter
    private let childSAsInstalled: Counter
    private let retransmissions: Counter
    private let cookiesSent: Counter
    private let halfOpenLimitHits: Counter
    private let rekeys: Counter
    private let refusals: Counter
    private let halfOpen: Gauge
    private let childSAs: Gauge

    init() {
        startedAsInitiator = registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "cygnet_ike_handshakes_started", unitName: "total", helpText: "IKE SA handshakes started (IKE_SA_INIT sent or answered with state)"), labels: [("role", "initiator")])
        startedAsResponder = registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "cygnet_ike_handshakes_started", unitName: "total", helpText: "IKE SA handshakes started (IKE_SA_INIT sent or answered with state)"), labels: [("role", "responder")])
        completed = registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "cygnet_ike_handshakes_completed", unitName: "total", helpText: "IKE SAs established by IKE_AUTH"))
        childSAsInstalled = registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "cygnet_child_sas_installed", unitName: "total", helpText: "Child SAs installed"))
        retransmissions = registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "cygnet_retransmissions", unitName: "total", helpText: "IKE requests retransmitted"))
        cookiesSent = registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "cygnet_cookies_sent", unitName: "total", helpText: "IKE_SA_INIT requests answered with a COOKIE (RFC 7296 §2.6)"))
        halfOpenLimitHits = registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "cygnet_half_open_limit_drops", unitName: "total", helpText: "IKE_SA_INIT requests dropped by a half-open limit"))
        rekeys = registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "cygnet_ike_rekeys", unitName: "total", helpText: "IKE SAs rekeyed (RFC 7296 §2.18)"))
        refusals = registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "cygnet_negotiations_refused", unitName: "total", helpText: "Peer requests refused for want of a common proposal or acceptable traffic selectors"))
        halfOpen = registry.makeGauge(descriptor: MetricNameDescriptor(metricName: "cygnet_half_open_ike_sas", unitName: "", helpText: "Responder IKE SAs waiting for IKE_AUTH"))
        childSAs = registry.makeGauge(descriptor: MetricNameDescriptor(metricName: "cygnet_child_sas", unitName: "", helpText: "Installed Child SA pairs"))
    }

    func handshakesStarted(isInitiator: Bool) { (isInitiator ? startedAsInitiator : startedAsResponder).increment() }
    func handshakeCompleted() { completed.increment() }
    func childSAInstalled() { childSAsInstalled.increment() }
    func retransmitted() { retransmissions.increment() }
    func cookieSent() { cookiesSent.increment() }
    /// Counts a dropped IKE datagram by the category and code of its reason.
    func datagramDropped(_ reason: IKEDropReason) {
        registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "cygnet_datagrams_dropped", unitName: "total", helpText: "IKE datagrams dropped, by category and reason"), labels: [("category", reason.category.name), ("reason", reason.code.name)]).increment()
    }
    /// An IKE SA moved to other addresses (MOBIKE or a NAT mapping change), by cause.
    func addressesUpdated(cause: IKEAddressUpdateCause) {
        registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "cygnet_ike_address_updates", unitName: "total", helpText: "IKE SAs moved to other addresses, by cause (mobike, nat_mapping_change)"), labels: [("cause", cause.rawValue)]).increment()
    }
    func halfOpenLimitReached() { halfOpenLimitHits.increment() }
    func ikeSARekeyed() { rekeys.increment() }
    func negotiationRefused() { refusals.increment() }

    /// Counts an EAP conversation that authenticated, by method (`mschapv2`, `md5`, `radius`).
    func eapSucceeded(method: String) {
        registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "cygnet_eap_successes", unitName: "total", helpText: "EAP conversations that authenticated, by method"), labels: [("method", method)]).increment()
    }

    /// Counts an EAP conversation that failed, by method and reason (`wrong_password`,
    /// `unknown_user`, `rejected`, `radius_servers_unreachable`, …).
    func eapFailed(method: String, reason: String) {
        registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "cygnet_eap_failures", unitName: "total", helpText: "EAP conversations that failed, by method and reason"), labels: [("method", method), ("reason", reason)]).increment()
    }

    /// Counts a closed IKE SA by reason; one closed before IKE_AUTH completed is also a
    /// failed handshake.
    func ikeSAClosed(reason: IKECloseReason, duringHandshake: Bool) {
        registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "cygnet_ike_sas_closed", unitName: "total", helpText: "IKE SAs closed, by reason"), labels: [("reason", reason.code.name)]).increment()
        if duringHandshake {
            registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "cygnet_ike_handshakes_failed", unitName: "total", helpText: "IKE SA handshakes that failed, by reason"), labels: [("reason", reason.code.name)]).increment()
        }
    }

    /// Sets the gauges from the SAs of every engine.
    func update(statuses: [IKESAStatus], halfOpen count: Int) {
        for phase in [IKESAStatus.Phase.connecting, .established, .deleting] {
            registry.makeGauge(descriptor: MetricNameDescriptor(metricName: "cygnet_ike_sas", unitName: "", helpText: "IKE SAs by state"), labels: [("state", phase.rawValue)])
                .set(to: Double(statuses.filter { $0.phase == phase }.count))
        }
        halfOpen.set(to: Double(count))
        childSAs.set(to: Double(statuses.reduce(0) { $0 + $1.children.count }))
    }

    /// The gauges of each pool reported so far: size, addresses in use.
    private let poolGauges = NIOLockedValueBox<[String: (size: Gauge, inUse: Gauge)]>([:])

    /// Sets each address pool's gauges: its size and the addresses leased to an IKE SA
    /// now (online leases). The gauges of a pool a reload removed go away.
    func update(pools: [AddressPool]) {
        poolGauges.withLockedValue { gauges in
            for pool in pools {
                let size = registry.makeGauge(descriptor: MetricNameDescriptor(metricName: "cygnet_pool_size", unitName: "", helpText: "Addresses an address pool hands out"), labels: [("pool", pool.name)])
                let inUse = registry.makeGauge(descriptor: MetricNameDescriptor(metricName: "cygnet_pool_addresses_in_use", unitName: "", helpText: "Addresses of an address pool leased to an IKE SA now"), labels: [("pool", pool.name)])
                size.set(to: Double(pool.size))
                inUse.set(to: Double(pool.onlineCount))
                gauges[pool.name] = (size, inUse)
            }
            for (name, gone) in gauges where !pools.contains(where: { $0.name == name }) {
                registry.unregisterGauge(gone.size)
                registry.unregisterGauge(gone.inUse)
                gauges[name] = nil
            }
        }
    }

    private let reportedDataPlane = NIOLockedValueBox<[String: UInt64]>([:])

    /// Brings the data plane's counters (``DataPlane/totals``) up to date: packets and
    /// bytes each way, drops by reason, NAT keepalives.
    func update(dataPlane totals: [String: UInt64]) {
        let previous = reportedDataPlane.withLockedValue { reported in
            defer { reported = totals }
            return reported
        }
        for (name, value) in totals {
            let delta = value - min(value, previous[name] ?? 0)
            let counter: Counter
            switch name {
            case "packets_in", "packets_out", "bytes_in", "bytes_out":
                let parts = name.split(separator: "_")
                counter = registry.makeCounter(
                    descriptor: MetricNameDescriptor(metricName: "cygnet_esp_\(parts[0])", unitName: "total", helpText: "ESP \(parts[0]) carried (inner packets)"),
                    labels: [("direction", String(parts[1]))])
            case let drop where drop.hasPrefix("drop_"):
                counter = registry.makeCounter(
                    descriptor: MetricNameDescriptor(metricName: "cygnet_esp_drops", unitName: "total", helpText: "Packets the data plane dropped, by reason"),
                    labels: [("reason", String(drop.dropFirst(5)))])
            default:
                let parts = name.split(separator: "_")
                counter = registry.makeCounter(
                    descriptor: MetricNameDescriptor(metricName: "cygnet_nat_keepalives", unitName: "total", helpText: "NAT keepalives (RFC 3948 §2.3)"),
                    labels: [("direction", String(parts[1]))])
            }
            if delta > 0 { counter.increment(by: Int64(clamping: delta)) }
        }
    }

    /// The Prometheus text exposition.
    func render() -> String { registry.emitToString() }
}
