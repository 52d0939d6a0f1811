import CygnetControlProtocol
import Foundation
import IKEConfig
import IKECore
import Logging
import Testing

@testable import CygnetDaemon

@Suite("Address pools and leases (swanctl pools { })")
struct AddressPoolTests {
    static let location = SourceLocation(file: "test.conf", line: 1, column: 1)

    static func pool(_ name: String = "rw", _ addrs: String, dns: [[UInt8]] = []) throws -> AddressPoolConfiguration {
        AddressPoolConfiguration(
            name: name, text: addrs, addresses: try #require(AddressPoolConfiguration.addresses(addrs)), dnsServers: dns,
            location: location)
    }

    static func request(_ identity: String, _ addresses: [[UInt8]] = [[0, 0, 0, 0]], pools: [String] = ["rw"])
        -> AddressAssignmentRequest
    {
        AddressAssignmentRequest(
            id: IKECompletionID(localSPI: 1, step: .assignAddresses), connection: "rw",
            peerIdentity: IKEIdentity(identity), requestedAddresses: addresses, pools: pools)
    }

    @Test("A subnet leaves out its network and last address; a range is used whole; IPv6 alike")
    func ranges() throws {
        #expect(try Self.pool("a", "10.3.0.0/24").addresses.description == "10.3.0.1-10.3.0.254")
        #expect(try Self.pool("a", "10.3.0.100/24").addresses.description == "10.3.0.100-10.3.0.254")
        #expect(try Self.pool("a", "10.3.0.10-10.3.0.200").addresses.description == "10.3.0.10-10.3.0.200")
        #expect(try Self.pool("a", "10.3.0.8/31").addresses.description == "10.3.0.8-10.3.0.9")
        #expect(try Self.pool("a", "fd00::/120").addresses.description == "fd00::1-fd00::fe")
        #expect(AddressPool(try Self.pool("a", "fd00::/64")).size == AddressPool.sizeLimit)
        #expect(AddressPoolConfiguration.addresses("10.3.0.0/33") == nil)
        #expect(AddressPoolConfiguration.addresses("10.3.0.9-10.3.0.1") == nil)
    }

    @Test("Leases: the same identity gets its address back, others get the next; exhaustion, then the oldest offline lease")
    func leases() throws {
        var pool = AddressPool(try Self.pool("rw", "10.3.0.1-10.3.0.2"))
        #expect(pool.acquire(identity: "a")?.address == [10, 3, 0, 1])
        #expect(pool.acquire(identity: "b")?.address == [10, 3, 0, 2])
        #expect(pool.acquire(identity: "c") == nil)
        // A second SA of "a" shares its address; it goes offline only when both are released.
        #expect(pool.acquire(identity: "a")?.address == [10, 3, 0, 1])
        let releases = (0..<3).map { _ in (pool.release([10, 3, 0, 1]), pool.onlineCount) }
        #expect(releases.map(\.0) == [true, true, false])
        #expect(releases.map(\.1) == [2, 1, 1])
        // "a" is offline but keeps its address…
        #expect(pool.acquire(identity: "a")?.address == [10, 3, 0, 1])
        pool.release([10, 3, 0, 1])
        pool.release([10, 3, 0, 2])
        // …until the full pool needs one: the oldest offline lease ("a") goes to "c".
        let reassigned = pool.acquire(identity: "c")
        #expect(reassigned?.address == [10, 3, 0, 1])
        #expect(reassigned?.reassigned == "a")
        #expect(pool.acquire(identity: "a")?.address == [10, 3, 0, 2])
    }

    @Test("A requested address is honoured when free")
    func requested() throws {
        var pool = AddressPool(try Self.pool("rw", "10.3.0.0/24"))
        #expect(pool.acquire(identity: "a", requested: [10, 3, 0, 77])?.address == [10, 3, 0, 77])
        #expect(pool.acquire(identity: "b", requested: [10, 3, 0, 77])?.address == [10, 3, 0, 1])
        #expect(pool.acquire(identity: "c", requested: [10, 9, 0, 1])?.address == [10, 3, 0, 2])
    }

    @Test("AddressPools: one address per family from the first pool that has one, attributes of those pools; failures name the pools")
    func pools() throws {
        let pools = AddressPools(
            [try Self.pool("v4", "10.3.0.1-10.3.0.1", dns: [[10, 3, 0, 53]]), try Self.pool("v6", "fd00::/120", dns: [Array(repeating: 0xfd, count: 16)])],
            store: nil, logger: Logger(label: "test"))
        let both = try pools.assign(Self.request("a", [[0, 0, 0, 0], Array(repeating: 0, count: 16)], pools: ["v4", "v6"])).get()
        #expect(both.addresses.map(\.pool) == ["v4", "v6"])
        #expect(both.addresses.map(\.address) == [[10, 3, 0, 1], [0xfd] + Array(repeating: 0, count: 14) + [1]])
        #expect(both.dnsServers.count == 2)
        // v4 is exhausted for "b"; v6 still serves it.
        let partial = try pools.assign(Self.request("b", [[0, 0, 0, 0], Array(repeating: 0, count: 16)], pools: ["v4", "v6"])).get()
        #expect(partial.addresses.map(\.pool) == ["v6"])
        switch pools.assign(Self.request("c", pools: ["v4", "v6"])) {
        case .success: Issue.record("an exhausted pool assigned an address")
        case .failure(let failure):
            #expect(failure.code == .addressPoolExhausted)
        }
        switch pools.assign(Self.request("c", [Array(repeating: 0, count: 16)], pools: ["v4"])) {
        case .success: Issue.record("a v4 pool assigned an IPv6 address")
        case .failure(let failure): #expect(failure.code == .noAddressPool)
        }
        pools.release(both.addresses)
        #expect(pools.snapshot.map(\.onlineCount) == [0, 1])
    }

    @Test("pools = radius: the RADIUS server's Framed-IP-Address comes first and is no pool's; without one the next pool serves")
    func framedAddress() throws {
        let pools = AddressPools([try Self.pool("rw", "10.3.0.1-10.3.0.1")], store: nil, logger: Logger(label: "test"))
        let framed = try pools.assign(Self.request("alice", pools: ["radius", "rw"]), framedAddress: [10, 9, 0, 7]).get()
        #expect(framed.addresses == [AddressAssignment.Address(address: [10, 9, 0, 7], pool: "radius")])
        #expect(pools.snapshot.map(\.onlineCount) == [0])
        // Its release returns nothing to a pool; rw's lease of another identity stays online.
        let pooled = try pools.assign(Self.request("bob", pools: ["radius", "rw"])).get()
        #expect(pooled.addresses == [AddressAssignment.Address(address: [10, 3, 0, 1], pool: "rw")])
        pools.release(framed.addresses)
        #expect(pools.snapshot.map(\.onlineCount) == [1])
        switch pools.assign(Self.request("carol", pools: ["radius"])) {
        case .success: Issue.record("pools = radius assigned an address the RADIUS server did not give")
        case .failure(let failure): #expect(failure.code == .noAddressPool)
        }
    }

    @Test("A lease is for the EAP identity when there is one: the same user gets the same address under another IKE identity")
    func eapIdentityLease() throws {
        let pools = AddressPools([try Self.pool("rw", "10.3.0.0/24")], store: nil, logger: Logger(label: "test"))
        var first = Self.request("laptop@lab.test")
        first.eapIdentity = "alice"
        let address = try pools.assign(first).get().addresses
        pools.release(address)
        var second = Self.request("phone@lab.test")
        second.eapIdentity = "alice"
        #expect(try pools.assign(second).get().addresses == address)
        #expect(pools.report.pools.first?.leases.map(\.identity) == ["alice"])
    }

    @Test("Metrics: each pool's size and addresses in use; a pool that is gone loses its gauges")
    func metrics() throws {
        let pools = AddressPools([try Self.pool("rw", "10.3.0.0/24"), try Self.pool("v6", "fd00::/120")], store: nil, logger: Logger(label: "test"))
        _ = try pools.assign(Self.request("alice")).get()
        let metrics = DaemonMetrics()
        metrics.update(pools: pools.snapshot)
        let value = { (sample: String) in
            metrics.render().split(separator: "\n").first { $0.hasPrefix(sample + " ") }
                .flatMap { Double($0.split(separator: " ").last ?? "") }
        }
        #expect(value(#"cygnet_pool_size{pool="rw"}"#) == 254)
        #expect(value(#"cygnet_pool_addresses_in_use{pool="rw"}"#) == 1)
        #expect(value(#"cygnet_pool_size{pool="v6"}"#) == 254)
        #expect(value(#"cygnet_pool_addresses_in_use{pool="v6"}"#) == 0)
        metrics.update(pools: pools.snapshot.filter { $0.name == "rw" })
        #expect(value(#"cygnet_pool_size{pool="v6"}"#) == nil && value(#"cygnet_pool_addresses_in_use{pool="v6"}"#) == nil)
        #expect(value(#"cygnet_pool_size{pool="rw"}"#) == 254)
    }

    @Test("Leases in SQLite survive a restart: each identity gets its address back from a reopened store")
    func persistence() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cygnet-leases-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try Self.pool("rw", "10.3.0.0/24")
        do {
            let pools = AddressPools([configuration], store: try SQLiteLeaseStore(path: path), logger: Logger(label: "test"))
            for identity in ["a", "b", "c"] { _ = try pools.assign(Self.request(identity)).get() }
        }
        let stored = try SQLiteLeaseStore(path: path).load()
        #expect(Set(stored.map(\.identity)) == ["a", "b", "c"])
        let reopened = AddressPools([configuration], store: try SQLiteLeaseStore(path: path), logger: Logger(label: "test"))
        // In reverse order: without the store, "c" would get 10.3.0.1.
        #expect(try reopened.assign(Self.request("c")).get().addresses.map(\.address) == [[10, 3, 0, 3]])
        #expect(try reopened.assign(Self.request("d")).get().addresses.map(\.address) == [[10, 3, 0, 4]])
        #expect(try reopened.assign(Self.request("a")).get().addresses.map(\.address) == [[10, 3, 0, 1]])
    }
}
