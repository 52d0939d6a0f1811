import Foundation
import IKEConfig
import IKEWire
import Testing

@Suite("swanctl.conf pools { }, pools and vips on connections")
struct PoolConfigurationTests {
    static let file = "/etc/swanctl/swanctl.conf"

    func load(_ text: String) throws(ConfigurationErrors) -> CygnetConfiguration {
        try CygnetConfiguration.load(file: Self.file, fileSystem: InMemorySettingsFileSystem(text: [Self.file: text]))
    }

    /// Each error's code and line.
    func errors(_ text: String) -> [ConfigurationError.Code: [Int]] {
        do {
            _ = try load(text)
            return [:]
        } catch {
            return Dictionary(grouping: error.errors, by: \.code).mapValues { $0.compactMap(\.location?.line).sorted() }
        }
    }

    static func gateway(pools: String = "rw4, rw6", extra: String = "") -> String {
        """
        connections {
            rw {
                pools = \(pools)
                local { auth = psk
                        id = gw.example.org }
                remote { auth = psk }
                children { net { local_ts = 10.1.0.0/16 } }
            }
            home {
                remote_addrs = 192.0.2.1
                vips = 0.0.0.0, ::, 10.3.0.9
                local { auth = psk
                        id = rw.example.org }
                remote { auth = psk
                         id = gw.example.org }
                children { net { remote_ts = 10.1.0.0/16 } }
            }
        }
        pools {
            rw4 { addrs = 10.3.0.0/24
                  dns = 10.3.0.1, fd00::53
                  nbns = 10.3.0.2
                  subnet = 10.1.0.0/16, fd00:1::/64 }
            rw6 { addrs = fd00::/120 }
            \(extra)
        }
        secrets { ike { id = gw.example.org
                        id-rw = rw.example.org
                        secret = "a secret long enough for the lint" } }
        cygnet { lease_database = /var/lib/cygnet/leases.sqlite }
        """
    }

    @Test("Pools, their attributes, a connection's pools and a client's vips reach the model")
    func model() throws {
        let configuration = try load(Self.gateway())
        #expect(configuration.pools.map(\.name) == ["rw4", "rw6"])
        let rw4 = try #require(configuration.pools.first)
        #expect(rw4.addresses.description == "10.3.0.1-10.3.0.254")
        #expect(rw4.dnsServers.map(IPAddressText.format) == ["10.3.0.1", "fd00::53"])
        #expect(rw4.nbnsServers.map(IPAddressText.format) == ["10.3.0.2"])
        #expect(rw4.subnets.map(\.description) == ["10.1.0.0/16", "fd00:1::/64"])
        #expect(configuration.pools[1].addresses.description == "fd00::1-fd00::fe")
        #expect(configuration.connections[0].peer.pools == ["rw4", "rw6"])
        #expect(configuration.connections[1].peer.virtualIPs.map(IPAddressText.format) == ["0.0.0.0", "::", "10.3.0.9"])
        #expect(configuration.daemon.leaseDatabase == "/var/lib/cygnet/leases.sqlite")
        // The gateway's remote_ts and the client's local_ts are `dynamic`, resolved per SA.
        #expect(configuration.connections[0].peer.children[0].remoteTrafficSelectors.map(\.isDynamic) == [true])
        #expect(configuration.connections[1].peer.children[0].localTrafficSelectors.map(\.isDynamic) == [true])
    }

    @Test("A connection naming an undefined pool is an error at the pools line")
    func unknownPool() {
        #expect(errors(Self.gateway(pools: "rw4, rw5")) == [.inconsistent: [3]])
    }

    @Test("pools = radius is for remote auth = eap-radius only, and no pool may be named radius")
    func radiusPool() throws {
        #expect(errors(Self.gateway(pools: "radius, rw4")) == [.inconsistent: [3]])
        #expect(errors(Self.gateway(extra: "radius { addrs = 10.9.0.0/24 }")) == [.inconsistent: [25]])
        let radius = Self.gateway(pools: "radius, rw4")
            .replacingOccurrences(of: "remote { auth = psk }", with: "remote { auth = eap-radius }")
            .replacingOccurrences(of: "cygnet {", with: "cygnet { eap-radius { servers { r { address = 127.0.0.1\nsecret = s } } }")
        #expect(errors(radius).isEmpty)
        #expect(try load(radius).connections[0].peer.pools == ["radius", "rw4"])
    }

    @Test("Overlapping pools are an error at the later pool")
    func overlapping() {
        #expect(errors(Self.gateway(extra: "again { addrs = 10.3.0.200-10.3.1.10 }")) == [.inconsistent: [25]])
    }

    @Test("Bad pool values, a pool without addrs, Unity attributes and a relative lease database")
    func badValues() {
        let text = Self.gateway(extra: """
            bad { addrs = 10.9.0.0/33
                  dns = nameserver }
            empty { dns = 10.9.0.1 }
            unity { addrs = 10.8.0.0/24
                    split_include = 10.1.0.0/16 }
            """)
            .replacingOccurrences(of: "/var/lib/cygnet/leases.sqlite", with: "leases.sqlite")
            .replacingOccurrences(of: "vips = 0.0.0.0, ::, 10.3.0.9", with: "vips = 0.0.0.0, home")
        #expect(errors(text) == [.invalidValue: [11, 25, 26, 34], .missing: [27], .unsupported: [29]])
    }
}
