/// The address pools and their leases, as `swanctl --list-pools --leases` shows them:
/// the result of the `leases` command.
public struct LeasesReport: Codable, Hashable, Sendable {
    /// One pool, with vici's key names (`base`, `size`, `online`, `offline`).
    public struct Pool: Codable, Hashable, Sendable {
        public var name: String
        /// `addrs` as configured.
        public var base: String
        /// The first and last address handed out.
        public var range: String
        /// How many addresses it hands out.
        public var size: Int
        public var online: Int
        public var offline: Int
        public var leases: [Lease]

        public init(name: String, base: String, range: String, size: Int, online: Int, offline: Int, leases: [Lease]) {
            self.name = name
            self.base = base
            self.range = range
            self.size = size
            self.online = online
            self.offline = offline
            self.leases = leases
        }
    }

    /// One leased address.
    public struct Lease: Codable, Hashable, Sendable {
        public var address: String
        /// The identity it is leased to (escaped: it is the peer's text).
        public var identity: String
        /// `online` while an IKE SA holds it, `offline` after.
        public var status: String

        public init(address: String, identity: String, status: String) {
            self.address = address
            self.identity = identity
            self.status = status
        }
    }

    public var pools: [Pool]

    public init(pools: [Pool]) { self.pools = pools }

    /// The report as indented JSON with sorted keys, ending with a newline: what
    /// `cygnet leases --json` prints.
    public var jsonText: String {
        // Strings and numbers only: encoding cannot fail.
        guard let text = try? prettyJSON() else { return "{}\n" }
        return text + "\n"
    }

    /// The text `cygnet leases` prints: one line per pool, one per lease under it.
    public var text: String {
        guard !pools.isEmpty else { return "no address pools (pools { } in the configuration)\n" }
        return pools.map { pool in
            var lines = [
                "\(pool.name) \(pool.base) (\(pool.range)): \(pool.size) addresses, \(pool.online) online, \(pool.offline) offline"
            ]
            lines += pool.leases.map { "  \($0.address) \($0.status) '\($0.identity)'" }
            return lines.joined(separator: "\n") + "\n"
        }.joined()
    }
}
