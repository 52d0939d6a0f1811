/// One lease as kept across restarts: which identity has which address of which pool.
struct StoredLease: Sendable, Hashable {
    var pool: String
    /// 4 or 16 bytes.
    var address: [UInt8]
    var identity: String
}

/// Where the leases of the address pools outlive the daemon (`cygnet { lease_database }`).
protocol LeaseStore: Sendable {
    /// Every lease kept.
    func load() throws -> [StoredLease]
    /// Records that `lease.identity` holds `lease.address` of `lease.pool` (replacing
    /// whoever held it).
    func save(_ lease: StoredLease) throws
}
