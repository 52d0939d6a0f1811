import IKEConfig

/// One address pool and its leases, as strongSwan's in-memory pools keep them: a lease
/// binds an address to an identity; it is online while an IKE SA holds it and offline
/// after, and an offline lease stays with its identity (which gets the same address
/// back) until the pool has no unused address left and hands out the oldest offline one.
struct AddressPool: Sendable {
    /// The most addresses one pool serves (strongSwan limits its pools the same way).
    static let sizeLimit: UInt64 = 1 << 31

    struct Lease: Sendable, Equatable {
        var identity: String
        /// How many IKE SAs hold it (the same identity may connect twice).
        var online: Int
        /// When it went offline, as a sequence number; `nil` while online.
        var offlineSince: UInt64?
    }

    let configuration: AddressPoolConfiguration
    let size: UInt64
    /// By offset from the first address.
    private(set) var leases: [UInt64: Lease] = [:]
    private var offsetByIdentity: [String: UInt64] = [:]
    /// The lowest offset never leased.
    private var nextUnused: UInt64 = 0
    private var sequence: UInt64 = 0

    init(_ configuration: AddressPoolConfiguration) {
        self.configuration = configuration
        size = configuration.addresses.count(limit: Self.sizeLimit)
    }

    var name: String { configuration.name }
    var isIPv6: Bool { configuration.addresses.isIPv6 }
    var onlineCount: Int { leases.values.filter { $0.online > 0 }.count }
    var offlineCount: Int { leases.values.filter { $0.online == 0 }.count }

    /// Leases an address to `identity`: the one it has, else `requested` when that is free
    /// in this pool, else an unused one, else the oldest offline lease of another
    /// identity. `nil` when the pool is exhausted. `reassigned` names the identity that
    /// lost an offline lease.
    mutating func acquire(identity: String, requested: [UInt8]? = nil) -> (address: [UInt8], reassigned: String?)? {
        if let offset = offsetByIdentity[identity], let address = configuration.addresses.address(at: offset) {
            take(offset, for: identity)
            return (address, nil)
        }
        if let requested, let offset = configuration.addresses.offset(of: requested), offset < size, leases[offset] == nil {
            take(offset, for: identity)
            return (requested, nil)
        }
        while nextUnused < size, leases[nextUnused] != nil { nextUnused += 1 }
        if nextUnused < size, let address = configuration.addresses.address(at: nextUnused) {
            take(nextUnused, for: identity)
            return (address, nil)
        }
        guard let (offset, oldest) = leases.filter({ $0.value.online == 0 }).min(by: {
            ($0.value.offlineSince ?? 0, $0.key) < ($1.value.offlineSince ?? 0, $1.key)
        }), let address = configuration.addresses.address(at: offset)
        else { return nil }
        offsetByIdentity[oldest.identity] = nil
        take(offset, for: identity)
        return (address, oldest.identity)
    }

    /// An IKE SA let `address` go: its lease goes offline when no other SA holds it.
    /// Returns whether the address was leased here.
    @discardableResult
    mutating func release(_ address: [UInt8]) -> Bool {
        guard let offset = configuration.addresses.offset(of: address), var lease = leases[offset], lease.online > 0 else {
            return false
        }
        lease.online -= 1
        if lease.online == 0 {
            sequence += 1
            lease.offlineSince = sequence
        }
        leases[offset] = lease
        return true
    }

    /// Restores an offline lease (from the lease store, after a restart).
    mutating func restore(address: [UInt8], identity: String) {
        guard let offset = configuration.addresses.offset(of: address), offset < size, leases[offset] == nil,
            offsetByIdentity[identity] == nil
        else { return }
        sequence += 1
        leases[offset] = Lease(identity: identity, online: 0, offlineSince: sequence)
        offsetByIdentity[identity] = offset
    }

    /// The leases with their addresses, in address order.
    var leasedAddresses: [(address: [UInt8], lease: Lease)] {
        leases.sorted { $0.key < $1.key }.compactMap { offset, lease in
            configuration.addresses.address(at: offset).map { ($0, lease) }
        }
    }

    private mutating func take(_ offset: UInt64, for identity: String) {
        var lease = leases[offset] ?? Lease(identity: identity, online: 0, offlineSince: nil)
        lease.identity = identity
        lease.online += 1
        lease.offlineSince = nil
        leases[offset] = lease
        offsetByIdentity[identity] = offset
    }
}
