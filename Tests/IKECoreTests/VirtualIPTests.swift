import IKEConfig
import IKECore
import IKETestSupport
import IKEWire
import Testing

/// A host's address pool for engine tests: hands out 10.3.0.1, 10.3.0.2 … up to `size`,
/// the same address to the same identity while it is leased, and records releases.
actor TestAddressPool: IKEEffectCompleter {
    let size: Int
    var leases: [String: [UInt8]] = [:]
    var released: [[UInt8]] = []
    var requests: [AddressAssignmentRequest] = []

    init(size: Int = 10) { self.size = size }

    nonisolated func complete(_ effect: IKEEffect, now: IKEInstant) async -> IKECompletion? {
        await answer(effect)
    }

    private func answer(_ effect: IKEEffect) -> IKECompletion? {
        switch effect {
        case .assignAddresses(let request):
            requests.append(request)
            let identity = request.leaseIdentity
            if let address = leases[identity] {
                return .addressesAssigned(request.id, .success(Self.assignment(address)))
            }
            guard let free = (1...size).map({ [10, 3, 0, UInt8($0)] }).first(where: { !leases.values.contains($0) }) else {
                return .addressesAssigned(
                    request.id, .failure(IKECompletionFailure(.addressPoolExhausted, "pool 'rw' exhausted")))
            }
            leases[identity] = free
            var assignment = Self.assignment(free)
            // An IPv6 address beside it when asked for, with the same host number.
            if request.requestedAddresses.contains(where: { $0.count == 16 }) {
                let v6: [UInt8] = [0xfd, 0] + Array(repeating: 0, count: 13) + [free[3]]
                assignment.addresses.append(AddressAssignment.Address(address: v6, pool: "rw6"))
            }
            return .addressesAssigned(request.id, .success(assignment))
        case .releaseAddresses(let addresses):
            released += addresses.map(\.address)
            leases = leases.filter { !addresses.map(\.address).contains($0.value) }
            return nil
        default:
            return nil
        }
    }

    static func assignment(_ address: [UInt8]) -> AddressAssignment {
        AddressAssignment(
            addresses: [AddressAssignment.Address(address: address, pool: "rw")], dnsServers: [[10, 3, 0, 53]],
            subnets: [AddressPrefix(address: [10, 1, 0, 0], length: 16)])
    }
}

/// A gateway (node 0, 192.0.2.1) with a pool and `dynamic` remote selectors, and road
/// warriors (nodes 1…, 192.0.2.11…) that ask for a virtual IP with `vips = 0.0.0.0`.
enum RoadWarriorFixtures {
    static let gatewayAddress: [UInt8] = [192, 0, 2, 1]
    static let gatewayID = IKEIdentity("gw@lab.test")
    static let secret = Array("lab-only-psk-0123456789abcdef".utf8)

    static func clientID(_ index: Int) -> IKEIdentity { IKEIdentity("rw\(index)@lab.test") }
    static func clientAddress(_ index: Int) -> [UInt8] { [192, 0, 2, UInt8(10 + index)] }

    static let dynamic = TrafficSelectorTemplate.dynamic(ipProtocol: 0, startPort: 0, endPort: 65535)
    static let lan = TrafficSelectorTemplate(ipv4Prefix: "10.1.0.0/16")!

    static func network(
        clients: Int, pool: TestAddressPool, pools: [String] = ["rw"], vips: [[UInt8]] = [[0, 0, 0, 0]]
    ) -> SimulatedNetwork {
        var gateway = PeerConfiguration(
            name: "rw", proposals: [EngineFixtures.gcmX25519], localIdentity: gatewayID, remoteIdentity: nil,
            localAuthentication: .preSharedKey, remoteAuthentication: .preSharedKey,
            children: [ChildSAConfiguration(
                name: "net", localTrafficSelectors: [lan], remoteTrafficSelectors: [dynamic],
                proposals: [EngineFixtures.espGCM], rekeyTime: .zero)],
            rekeyTime: .zero)
        gateway.pools = pools
        let keys = (1...clients).map { PreSharedKey(identities: [gatewayID, clientID($0)], secret: secret) }
        var nodes: [SimulatedNetwork.Node] = [
            .init(
                address: gatewayAddress,
                engine: IKEEngine(
                    configuration: IKEEngineConfiguration(peers: [gateway], preSharedKeys: keys),
                    random: SeededRandomSource(seed: 100)),
                completer: pool)
        ]
        for index in 1...clients {
            var client = PeerConfiguration(
                name: "home", proposals: [EngineFixtures.gcmX25519], localIdentity: clientID(index),
                remoteIdentity: gatewayID, localAuthentication: .preSharedKey, remoteAuthentication: .preSharedKey,
                children: [ChildSAConfiguration(
                    name: "net", localTrafficSelectors: [dynamic], remoteTrafficSelectors: [lan],
                    proposals: [EngineFixtures.espGCM], rekeyTime: .zero)],
                rekeyTime: .zero)
            client.virtualIPs = vips
            nodes.append(.init(
                address: clientAddress(index),
                engine: IKEEngine(
                    configuration: IKEEngineConfiguration(peers: [client], preSharedKeys: keys),
                    random: SeededRandomSource(seed: UInt64(index)))))
        }
        return SimulatedNetwork(nodes: nodes, seed: 5)
    }

    static func connect(_ network: inout SimulatedNetwork, client index: Int) async throws {
        try network.command(
            index,
            .initiate(
                peer: "home", local: IKEEndpointAddress(address: clientAddress(index), port: 500),
                remote: IKEEndpointAddress(address: gatewayAddress, port: 500)))
        _ = await network.runCompletingEffects()
    }

    static func received(_ node: SimulatedNetwork.Node) -> [AddressAssignment] {
        node.events.compactMap { if case .virtualIPsReceived(_, _, let assignment) = $0 { assignment } else { nil } }
    }
}

@Suite("Virtual IPs through the Configuration payload (RFC 7296 §2.19, §3.15)")
struct VirtualIPTests {
    typealias Fixtures = RoadWarriorFixtures

    @Test("§3.15.1 the client gets an address and DNS server, and the Child SA's selectors are narrowed to it")
    func clientGetsAddress() async throws {
        let pool = TestAddressPool()
        var network = Fixtures.network(clients: 1, pool: pool)
        try await Fixtures.connect(&network, client: 1)
        let client = network.nodes[1]
        let assignment = try #require(Fixtures.received(client).first)
        #expect(assignment.addresses.map(\.address) == [[10, 3, 0, 1]])
        #expect(assignment.dnsServers == [[10, 3, 0, 53]])
        #expect(assignment.subnets == [AddressPrefix(address: [10, 1, 0, 0], length: 16)])
        #expect(client.effects.contains { if case .addVirtualIPs(let got) = $0 { got == assignment } else { false } })
        let status = try #require(client.engine.statuses.first)
        #expect(status.virtualIPs?.addresses.map(\.address) == [[10, 3, 0, 1]])
        #expect(network.nodes[0].engine.statuses.first?.peerVirtualIPs == [[10, 3, 0, 1]])
        // §2.9: the client proposed 0.0.0.0/0 for its side; the gateway narrowed it to the
        // virtual IP, and both sides install that.
        let clientChild = try #require(EngineFixtures.installations(client).first)
        let gatewayChild = try #require(EngineFixtures.installations(network.nodes[0]).first)
        let host = TrafficSelector(type: .ipv4AddressRange, startAddress: [10, 3, 0, 1], endAddress: [10, 3, 0, 1])
        #expect(clientChild.localTrafficSelectors == [host])
        #expect(gatewayChild.remoteTrafficSelectors == [host])
        let request = try #require(await pool.requests.first)
        #expect(request.peerIdentity == Fixtures.clientID(1))
        #expect(request.requestedAddresses == [[0, 0, 0, 0]])
        #expect(request.pools == ["rw"])
        #expect(request.eapIdentity == nil)
    }

    @Test("§3.15.1 IPv4 and IPv6 together: INTERNAL_IP6_ADDRESS with its prefix length, both become the client's selectors")
    func dualStack() async throws {
        let pool = TestAddressPool()
        var network = Fixtures.network(clients: 1, pool: pool, vips: [[0, 0, 0, 0], Array(repeating: 0, count: 16)])
        try await Fixtures.connect(&network, client: 1)
        let v6: [UInt8] = [0xfd, 0] + Array(repeating: 0, count: 13) + [1]
        let request = try #require(await pool.requests.first)
        #expect(request.requestedAddresses == [[0, 0, 0, 0], Array(repeating: 0, count: 16)])
        let assignment = try #require(Fixtures.received(network.nodes[1]).first)
        #expect(assignment.addresses.map(\.address) == [[10, 3, 0, 1], v6])
        let gatewayChild = try #require(EngineFixtures.installations(network.nodes[0]).first)
        #expect(gatewayChild.remoteTrafficSelectors.map(\.startAddress) == [[10, 3, 0, 1], v6])
        let clientChild = try #require(EngineFixtures.installations(network.nodes[1]).first)
        #expect(clientChild.localTrafficSelectors.map(\.startAddress) == [[10, 3, 0, 1], v6])
    }

    @Test("One connection serves two clients at once: distinct addresses, each its own selectors")
    func twoClients() async throws {
        let pool = TestAddressPool()
        var network = Fixtures.network(clients: 2, pool: pool)
        try await Fixtures.connect(&network, client: 1)
        try await Fixtures.connect(&network, client: 2)
        let first = try #require(Fixtures.received(network.nodes[1]).first?.addresses.first?.address)
        let second = try #require(Fixtures.received(network.nodes[2]).first?.addresses.first?.address)
        #expect(first != second)
        let remotes = EngineFixtures.installations(network.nodes[0]).map { $0.remoteTrafficSelectors.map(\.startAddress) }
        #expect(remotes == [[first], [second]])
    }

    @Test("§3.15.4 an exhausted pool: INTERNAL_ADDRESS_FAILURE, no Child SA, the IKE SA stands, an event names the pools")
    func exhausted() async throws {
        let pool = TestAddressPool(size: 1)
        var network = Fixtures.network(clients: 2, pool: pool)
        try await Fixtures.connect(&network, client: 1)
        try await Fixtures.connect(&network, client: 2)
        let gateway = network.nodes[0]
        let failures = gateway.events.compactMap {
            if case .addressAssignmentFailed(_, _, let pools, let reason) = $0 { (pools, reason.code) } else { nil }
        }
        #expect(failures.map(\.0) == [["rw"]])
        #expect(failures.map(\.1) == [.addressPoolExhausted])
        #expect(EngineFixtures.installations(gateway).count == 1)
        #expect(gateway.engine.establishedSPIs.count == 2)
        let second = network.nodes[2]
        #expect(EngineFixtures.isEstablished(second))
        #expect(EngineFixtures.installations(second).isEmpty)
        #expect(Fixtures.received(second).isEmpty)
        let childFailures = second.events.compactMap { if case .childSAFailed(_, _, let reason) = $0 { reason } else { nil } }
        #expect(childFailures.map(\.peerNotify) == [.internalAddressFailure])
    }

    @Test("A connection without pools answers a request for an address with INTERNAL_ADDRESS_FAILURE, without asking the host")
    func noPools() async throws {
        let pool = TestAddressPool()
        var network = Fixtures.network(clients: 1, pool: pool, pools: [])
        try await Fixtures.connect(&network, client: 1)
        #expect(await pool.requests.isEmpty)
        let reasons = network.nodes[0].events.compactMap {
            if case .addressAssignmentFailed(_, _, _, let reason) = $0 { reason.code } else { nil }
        }
        #expect(reasons == [.noAddressPool])
        #expect(EngineFixtures.isEstablished(network.nodes[1]))
    }

    @Test("The leases go back when the IKE SA is deleted; the client takes its address off")
    func releaseOnDelete() async throws {
        let pool = TestAddressPool()
        var network = Fixtures.network(clients: 1, pool: pool)
        try await Fixtures.connect(&network, client: 1)
        let spi = try #require(network.nodes[1].engine.establishedSPIs.first)
        try network.command(1, .delete(localSPI: spi))
        _ = await network.runCompletingEffects()
        #expect(await pool.released == [[10, 3, 0, 1]])
        #expect(network.nodes[1].effects.contains { if case .removeVirtualIPs = $0 { true } else { false } })
        // The same identity connects again and gets the same address.
        try await Fixtures.connect(&network, client: 1)
        #expect(Fixtures.received(network.nodes[1]).map { $0.addresses.map(\.address) } == [[[10, 3, 0, 1]], [[10, 3, 0, 1]]])
    }

    @Test("An answer that comes after the SA is gone is released at once")
    func lateAnswerReleased() throws {
        let pool = TestAddressPool()
        var network = Fixtures.network(clients: 1, pool: pool)
        try network.command(
            1,
            .initiate(
                peer: "home", local: IKEEndpointAddress(address: Fixtures.clientAddress(1), port: 500),
                remote: IKEEndpointAddress(address: Fixtures.gatewayAddress, port: 500)))
        network.run()
        let request = try #require(network.nodes[0].effects.compactMap {
            if case .assignAddresses(let request) = $0 { request } else { nil }
        }.first)
        // The gateway gives up (completion timeout) before the host answers.
        network.run(for: .seconds(120))
        network.complete(0, .addressesAssigned(request.id, .success(TestAddressPool.assignment([10, 3, 0, 7]))))
        let released = network.nodes[0].effects.compactMap { if case .releaseAddresses(let addresses) = $0 { addresses } else { nil } }
        #expect(released.map { $0.map(\.address) } == [[[10, 3, 0, 7]]])
    }

    @Test("Without vips the client sends no CFG_REQUEST and the gateway's dynamic selector is the client's address")
    func dynamicWithoutVirtualIP() async throws {
        let pool = TestAddressPool()
        var network = Fixtures.network(clients: 1, pool: pool, vips: [])
        try await Fixtures.connect(&network, client: 1)
        #expect(await pool.requests.isEmpty)
        let gatewayChild = try #require(EngineFixtures.installations(network.nodes[0]).first)
        #expect(gatewayChild.remoteTrafficSelectors.map(\.startAddress) == [Fixtures.clientAddress(1)])
        let clientChild = try #require(EngineFixtures.installations(network.nodes[1]).first)
        #expect(clientChild.localTrafficSelectors.map(\.startAddress) == [Fixtures.clientAddress(1)])
    }
}
