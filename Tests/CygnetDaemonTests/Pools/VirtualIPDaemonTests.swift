import CygnetControlProtocol
import Foundation
import IKEConfig
import IKECore
import IKEWire
import Logging
import Testing

@testable import CygnetDaemon

/// Two daemons on loopback: the right one leases a virtual IP from its pool to the left
/// one, which asks with `vips = 0.0.0.0`.
@Suite("cygnetd on loopback: a virtual IP from the gateway's pool")
struct VirtualIPDaemonTests {
    @Test("The client gets 10.3.0.1, shows it and writes its DNS server to resolv_conf; the gateway's lease is online, then offline after down")
    func leaseAndRelease() async throws {
        let ports = DaemonFixtures.ports()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let dynamic = TrafficSelectorTemplate.dynamic(ipProtocol: 0, startPort: 0, endPort: 65535)
        var gateway = DaemonFixtures.configuration(
            local: DaemonFixtures.rightID, remote: DaemonFixtures.leftID, address: "127.0.0.2", peerAddress: "127.0.0.1",
            ports: ports, localNet: "203.0.113.0/24", remoteNet: "198.51.100.0/24", engines: 2)
        gateway.connections[0].peer.pools = ["rw"]
        gateway.connections[0].peer.children[0].remoteTrafficSelectors = [dynamic]
        gateway.pools = [AddressPoolConfiguration(
            name: "rw", text: "10.3.0.0/24", addresses: try #require(AddressPoolConfiguration.addresses("10.3.0.0/24")),
            dnsServers: [[10, 3, 0, 53]], location: SourceLocation(file: "fixture", line: 1, column: 1))]
        var client = DaemonFixtures.configuration(
            local: DaemonFixtures.leftID, remote: DaemonFixtures.rightID, address: "127.0.0.1", peerAddress: "127.0.0.2",
            ports: ports, localNet: "198.51.100.0/24", remoteNet: "203.0.113.0/24", engines: 2)
        client.connections[0].peer.virtualIPs = [[0, 0, 0, 0]]
        client.connections[0].peer.children[0].localTrafficSelectors = [dynamic]
        let resolvConf = FileManager.default.temporaryDirectory.appendingPathComponent("cygnet-resolv-\(UUID()).conf").path
        defer { try? FileManager.default.removeItem(atPath: resolvConf) }
        let system = "# the system's own\nnameserver 192.0.2.53\n"
        try system.write(toFile: resolvConf, atomically: false, encoding: .utf8)
        client.settings.resolvConf = resolvConf
        let right = try await IKEDaemon.start(gateway, logger: logger)
        let left = try await IKEDaemon.start(client, logger: logger)
        try await left.up("lab")
        let established = await DaemonFixtures.eventually {
            let l = await left.statuses(), r = await right.statuses()
            return l.first?.children.count == 1 && r.first?.children.count == 1
        }
        #expect(established)
        let status = try #require(await left.statuses().first)
        #expect(status.virtualIPs?.addresses.map(\.address) == [[10, 3, 0, 1]])
        #expect(status.virtualIPs?.dnsServers == [[10, 3, 0, 53]])
        #expect(status.children.first?.localTrafficSelectors.map(\.startAddress) == [[10, 3, 0, 1]])
        #expect(await right.statuses().first?.peerVirtualIPs == [[10, 3, 0, 1]])
        #expect(await left.statusReport().ikeSAs.first?.localVIPs == ["10.3.0.1"])
        #expect(await right.statusReport().ikeSAs.first?.remoteVIPs == ["10.3.0.1"])
        #expect(try String(contentsOfFile: resolvConf, encoding: .utf8) == "nameserver 10.3.0.53 # by cygnet\n" + system)
        let leases = right.pools.report
        #expect(leases.pools.first?.leases == [LeasesReport.Lease(address: "10.3.0.1", identity: "left@lab.test", status: "online")])
        _ = try await left.down("lab")
        let released = await DaemonFixtures.eventually { right.pools.report.pools.first?.offline == 1 }
        #expect(released)
        // The client takes its line back when the answer to its DELETE arrives.
        let restored = await DaemonFixtures.eventually { (try? String(contentsOfFile: resolvConf, encoding: .utf8)) == system }
        #expect(restored)
        await left.shutdown(grace: .zero)
        await right.shutdown(grace: .zero)
    }
}
