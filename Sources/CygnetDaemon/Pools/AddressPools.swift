import CygnetControlProtocol
import IKEConfig
import IKECore
import IKEWire
import Logging
import NIOConcurrencyHelpers

/// The daemon's address pools, shared by every engine: they answer
/// ``IKECore/IKEEffect/assignAddresses(_:)`` and ``IKECore/IKEEffect/releaseAddresses(_:)``,
/// and keep the leases in a ``LeaseStore`` when `cygnet { lease_database }` names one.
final class AddressPools: Sendable {
    private let state: NIOLockedValueBox<[String: AddressPool]>
    private let store: (any LeaseStore)?
    private let logger: Logger

    init(_ configurations: [AddressPoolConfiguration], store: (any LeaseStore)?, logger: Logger) {
        var pools: [String: AddressPool] = [:]
        for configuration in configurations { pools[configuration.name] = AddressPool(configuration) }
        if let store {
            do {
                for lease in try store.load() { pools[lease.pool]?.restore(address: lease.address, identity: lease.identity) }
            } catch {
                logger.error("could not read the lease database: \(error); leases start empty")
            }
        }
        self.state = NIOLockedValueBox(pools)
        self.store = store
        self.logger = logger
    }

    /// Leases one address per family asked for, from the first of the request's pools
    /// of that family that has one, and adds the attributes (`dns`, `nbns`, `subnet`) of
    /// the pools it leased from (of all the request's pools when it asked for none).
    /// Where the request names the pool `radius`, `framedAddress` (the Framed-IP-Address
    /// of the peer's RADIUS Access-Accept) comes first; it is no pool's, so its release
    /// returns it nowhere.
    func assign(_ request: AddressAssignmentRequest, framedAddress: [UInt8]? = nil) -> Result<AddressAssignment, IKECompletionFailure> {
        let identity = request.leaseIdentity
        var saved: [StoredLease] = []
        var failures: [String] = []
        let result = state.withLockedValue { pools -> Result<AddressAssignment, IKECompletionFailure> in
            var assignment = AddressAssignment(addresses: [])
            var attributePools: [AddressPool] = []
            var exhausted: [String] = []
            for requested in request.requestedAddresses {
                let isIPv6 = requested.count == 16
                if let framedAddress, framedAddress.count == requested.count,
                    request.pools.contains(AddressPoolConfiguration.radius)
                {
                    assignment.addresses.append(AddressAssignment.Address(address: framedAddress, pool: AddressPoolConfiguration.radius))
                    continue
                }
                let candidates = request.pools.filter { pools[$0]?.isIPv6 == isIPv6 }
                var leased = false
                for name in candidates {
                    let preferred = requested.allSatisfy { $0 == 0 } ? nil : requested
                    guard let (address, reassigned) = pools[name]?.acquire(identity: identity, requested: preferred) else {
                        exhausted.append(name)
                        continue
                    }
                    if let reassigned { logger.info("pool '\(name)': offline lease of '\(PeerText.escaped(reassigned))' reassigned") }
                    assignment.addresses.append(AddressAssignment.Address(address: address, pool: name))
                    saved.append(StoredLease(pool: name, address: address, identity: identity))
                    if let pool = pools[name] { attributePools.append(pool) }
                    leased = true
                    break
                }
                if !leased {
                    let radius = request.pools.contains(AddressPoolConfiguration.radius) ? " (the RADIUS server gave none)" : ""
                    failures.append(
                        candidates.isEmpty
                            ? "no pool of \(request.pools) serves IPv\(isIPv6 ? 6 : 4)\(radius)"
                            : "pool \(candidates.map { "'\($0)'" }.joined(separator: ", ")) exhausted")
                }
            }
            if request.requestedAddresses.isEmpty { attributePools = request.pools.compactMap { pools[$0] } }
            if !request.requestedAddresses.isEmpty, assignment.addresses.isEmpty {
                return .failure(IKECompletionFailure(
                    exhausted.isEmpty ? .noAddressPool : .addressPoolExhausted,
                    "no virtual IP for '\(PeerText.escaped(identity))': \(failures.joined(separator: "; "))"))
            }
            for pool in attributePools {
                assignment.dnsServers += pool.configuration.dnsServers.filter { !assignment.dnsServers.contains($0) }
                assignment.nbnsServers += pool.configuration.nbnsServers.filter { !assignment.nbnsServers.contains($0) }
                assignment.subnets += pool.configuration.subnets.filter { !assignment.subnets.contains($0) }
            }
            return .success(assignment)
        }
        for failure in failures { logger.warning("\(failure) for '\(PeerText.escaped(identity))' of connection '\(request.connection)'") }
        persist(saved)
        return result
    }

    /// Takes the pools of a reloaded configuration: a pool configured as before keeps its
    /// leases; a new or changed one starts from the lease store (or empty).
    func reconfigure(_ configurations: [AddressPoolConfiguration]) {
        let stored = (try? store?.load()) ?? []
        state.withLockedValue { pools in
            var next: [String: AddressPool] = [:]
            for configuration in configurations {
                if let pool = pools[configuration.name], pool.configuration == configuration {
                    next[configuration.name] = pool
                    continue
                }
                var pool = AddressPool(configuration)
                for lease in stored where lease.pool == configuration.name {
                    pool.restore(address: lease.address, identity: lease.identity)
                }
                next[configuration.name] = pool
            }
            pools = next
        }
    }

    /// Returns the addresses of a closed IKE SA to their pools (their leases go offline).
    func release(_ addresses: [AddressAssignment.Address]) {
        state.withLockedValue { pools in
            for address in addresses { pools[address.pool]?.release(address.address) }
        }
    }

    /// The pools and their leases.
    var snapshot: [AddressPool] {
        state.withLockedValue { pools in pools.values.sorted { $0.name < $1.name } }
    }

    private func persist(_ leases: [StoredLease]) {
        guard let store else { return }
        for lease in leases {
            do {
                try store.save(lease)
            } catch {
                logger.error("could not store the lease of \(IPAddressText.format(lease.address)) in the lease database: \(error)")
            }
        }
    }
}

extension IKEDaemon {
    /// The lease store `cygnet { lease_database }` names, or `nil` (leases in memory).
    static func leaseStore(_ settings: DaemonSettings, logger: Logger) -> (any LeaseStore)? {
        guard let path = settings.leaseDatabase else { return nil }
        do {
            return try SQLiteLeaseStore(path: path)
        } catch {
            logger.error("could not open the lease database \(path): \(error); leases are kept in memory")
            return nil
        }
    }
}

extension AddressPools {
    /// The pools and their leases, for `cygnet leases`.
    var report: LeasesReport {
        LeasesReport(pools: snapshot.map { pool in
            let range = pool.configuration.addresses
            return LeasesReport.Pool(
                name: pool.name, base: pool.configuration.text,
                range: "\(IPAddressText.format(range.first))-\(IPAddressText.format(range.last))",
                size: Int(clamping: pool.size), online: pool.onlineCount, offline: pool.offlineCount,
                leases: pool.leasedAddresses.map { address, lease in
                    LeasesReport.Lease(
                        address: IPAddressText.format(address), identity: PeerText.escaped(lease.identity),
                        status: lease.online > 0 ? "online" : "offline")
                })
        })
    }
}
