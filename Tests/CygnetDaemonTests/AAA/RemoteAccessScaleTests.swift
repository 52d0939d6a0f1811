import IKECertificates
import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import Logging
import NIOPosix
import Testing

@testable import CygnetDaemon

/// 10,000 road warriors against one gateway engine in virtual time (IKETestSupport's
/// ``ResponderLoadSimulation``), each host answering its engine's effects with the
/// daemon's ``EffectCompleter``: the gateway's ``EAPBackend`` runs EAPCore's MSCHAPv2
/// authenticator against `secrets { eap-… }` and its ``AddressPools`` lease the virtual
/// IPs; each client has an ``EAPBackend`` of its own that runs EAPCore's MSCHAPv2 peer.
/// IKE's own crypto is the ⚠️ insecure provider (fast, deterministic); MSCHAPv2's (MD4,
/// DES, SHA-1) is the real one, once per conversation on each side.
@Suite("Scale: road warriors with EAP-MSCHAPv2 and a virtual IP from a pool, in virtual time")
struct RemoteAccessScaleTests {
    static let gatewayID = IKEIdentity("gateway.lab.test")
    static let gatewayAddress = IKEEndpointAddress(address: [192, 0, 2, 2], port: 500)
    static let pool = "rw"
    static let poolAddresses = "10.8.0.0/18"
    static let location = SourceLocation(file: "scale", line: 1, column: 1)

    /// The daemon's answers to one engine's effects, awaited: those that take an answer
    /// (EAP, address leases…) through ``EffectCompleter/complete(_:answer:)``, the others
    /// handed to it and answered with nothing.
    struct DaemonHost: IKEEffectCompleter {
        let completer: EffectCompleter

        init(eap: EAPBackend, pools: AddressPools) {
            completer = EffectCompleter(
                signer: LocalSigner(keys: [:]), validator: nil, threadPool: .singleton, pools: pools, eap: eap)
        }

        func complete(_ effect: IKEEffect, now: IKEInstant) async -> IKECompletion? {
            switch effect {
            case .eap, .assignAddresses, .sign, .validateCertificates:
                return await withCheckedContinuation { continuation in
                    completer.complete(effect) { continuation.resume(returning: $0) }
                }
            case .releaseAddresses, .installChildSA, .removeChildSA, .updateChildSA, .addVirtualIPs, .removeVirtualIPs:
                completer.complete(effect) { _ in }
                return nil
            }
        }
    }

    /// The simulation, and the daemon parts the test inspects.
    struct RoadWarriors {
        var simulation: ResponderLoadSimulation
        let gatewayEAP: EAPBackend
        let gatewayMetrics: DaemonMetrics
        let pools: AddressPools
        let clientEAP: [EAPBackend]
    }

    /// `count` clients (`u<i>@lab.test` from 10.x.y.z, EAP identity `user<i>` with a
    /// password of its own, `vips = 0.0.0.0`, `local_ts = dynamic`) against a gateway
    /// that authenticates itself with a PSK, asks for the EAP identity (`eap_id = %any`),
    /// runs EAP-MSCHAPv2 and leases from `pools { rw { addrs = 10.8.0.0/18 } }`.
    static func roadWarriors(count: Int, seed: UInt64) throws -> RoadWarriors {
        var logger = Logger(label: "scale")
        logger.logLevel = .critical
        let proposal = ProposalTemplate(
            encryption: [.init(.aesGCM16, keyBits: 256)], pseudorandomFunctions: [.hmacSHA2_256],
            keyExchangeMethods: [.curve25519])
        let esp = ProposalTemplate(encryption: [.init(.aesGCM16, keyBits: 256)])
        let dynamic = TrafficSelectorTemplate.dynamic(ipProtocol: 0, startPort: 0, endPort: 65535)
        let behindGateway = try #require(TrafficSelectorTemplate(ipv4Prefix: "203.0.113.0/24"))
        let psk = Array("scale-test-psk-0123456789abcdef".utf8)
        let identities = (0..<count).map { IKEIdentity("u\($0)@lab.test") }
        let users = (0..<count).map { "user\($0)" }
        let passwords = (0..<count).map { Array("password \($0) of the scale test".utf8) }

        var gatewayPeer = PeerConfiguration(
            name: "rw", proposals: [proposal], localIdentity: gatewayID, remoteIdentity: nil,
            localAuthentication: .preSharedKey, remoteAuthentication: .eap(.method(.mschapv2)),
            children: [ChildSAConfiguration(
                name: "net", localTrafficSelectors: [behindGateway], remoteTrafficSelectors: [dynamic], proposals: [esp],
                rekeyTime: .zero)],
            rekeyTime: .zero)
        gatewayPeer.remoteEAPIdentity = .ask
        gatewayPeer.pools = [pool]
        let gateway = IKEEngine(
            configuration: IKEEngineConfiguration(
                peers: [gatewayPeer], preSharedKeys: [PreSharedKey(identities: [gatewayID] + identities, secret: psk)],
                provider: InsecureCryptoProvider.provider),
            random: SeededRandomSource(seed: seed))
        let gatewayMetrics = DaemonMetrics()
        let gatewayEAP = EAPBackend(
            secrets: users.indices.map {
                EAPSecret(name: "eap-\(users[$0])", identities: [users[$0]], secret: passwords[$0], location: location)
            },
            radius: nil, metrics: gatewayMetrics, logger: logger)
        let pools = AddressPools(
            [AddressPoolConfiguration(
                name: pool, text: poolAddresses, addresses: try #require(AddressPoolConfiguration.addresses(poolAddresses)),
                dnsServers: [[10, 8, 0, 53]], location: location)],
            store: nil, logger: logger)

        let clientMetrics = DaemonMetrics()
        let noPools = AddressPools([], store: nil, logger: logger)
        var clients: [(engine: IKEEngine<SeededRandomSource>, connection: String, address: IKEEndpointAddress)] = []
        var clientEAP: [EAPBackend] = []
        clients.reserveCapacity(count)
        clientEAP.reserveCapacity(count)
        for index in 0..<count {
            var peer = PeerConfiguration(
                name: "gw", proposals: [proposal], localIdentity: identities[index], remoteIdentity: gatewayID,
                localAuthentication: .eap(.method(.mschapv2)), remoteAuthentication: .preSharedKey,
                children: [ChildSAConfiguration(
                    name: "net", localTrafficSelectors: [dynamic], remoteTrafficSelectors: [behindGateway],
                    proposals: [esp], rekeyTime: .zero)],
                rekeyTime: .zero)
            peer.localEAPIdentity = .named(users[index])
            peer.virtualIPs = [[0, 0, 0, 0]]
            let configuration = IKEEngineConfiguration(
                peers: [peer], preSharedKeys: [PreSharedKey(identities: [identities[index], gatewayID], secret: psk)],
                provider: InsecureCryptoProvider.provider)
            clients.append((
                IKEEngine(configuration: configuration, random: SeededRandomSource(seed: seed &+ 1 &+ UInt64(index))), "gw",
                ResponderLoadSimulation.initiatorAddress(index)))
            clientEAP.append(EAPBackend(
                secrets: [EAPSecret(name: "eap-me", identities: [users[index]], secret: passwords[index], location: location)],
                radius: nil, metrics: clientMetrics, logger: logger))
        }
        let simulation = ResponderLoadSimulation(
            responder: gateway, responderAddress: gatewayAddress,
            responderCompleter: DaemonHost(eap: gatewayEAP, pools: pools), initiators: clients,
            initiatorCompleters: clientEAP.map { DaemonHost(eap: $0, pools: noPools) })
        return RoadWarriors(
            simulation: simulation, gatewayEAP: gatewayEAP, gatewayMetrics: gatewayMetrics, pools: pools, clientEAP: clientEAP)
    }

    /// The value of one sample of `metrics`, or `nil`.
    static func metric(_ metrics: DaemonMetrics, _ sample: String) -> Double? {
        metrics.render().split(separator: "\n").first { $0.hasPrefix(sample + " ") }
            .flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("10,000 road warriors: EAP-MSCHAPv2, each a unique virtual IP from the pool and its Child SA; after the deletes every address is back")
    func tenThousand() async throws {
        let count = 10_000
        let roadWarriors = try Self.roadWarriors(count: count, seed: 5)
        var simulation = roadWarriors.simulation
        let finished = await simulation.run()
        #expect(finished, "still running at \(simulation.now)")

        // Every client established with one Child SA whose local selector is its virtual IP.
        let failed = simulation.records.enumerated().filter { !$0.element.isEstablished || $0.element.childSPIs == nil }
        #expect(failed.isEmpty, "\(failed.count) not established; first: \(failed.first.map { "\($0.offset): \(String(describing: $0.element.closeReason))" } ?? "")")
        #expect(simulation.responderEstablished == count && simulation.responder.establishedSPIs.count == count)
        #expect(simulation.responderChildSPIs.count == count)
        #expect(simulation.responderClosed.isEmpty, "\(simulation.responderClosed.prefix(3))")
        #expect(simulation.responderAddressesAssigned == count && simulation.responderAddressFailures.isEmpty)
        let range = try #require(AddressPoolConfiguration.addresses(Self.poolAddresses))
        var seen = Set<[UInt8]>()
        var wrong = 0
        for record in simulation.records {
            let addresses = record.virtualIPs?.addresses.map(\.address) ?? []
            let isRight = addresses.count == 1 && addresses.allSatisfy { range.contains($0) && seen.insert($0).inserted }
                && record.virtualIPs?.dnsServers == [[10, 8, 0, 53]]
                && record.childLocalTrafficSelectors.map(\.startAddress) == addresses
                && record.childLocalTrafficSelectors.map(\.endAddress) == addresses
            if !isRight { wrong += 1 }
        }
        #expect(wrong == 0 && seen.count == count)
        let leased = try #require(roadWarriors.pools.snapshot.first)
        #expect(leased.onlineCount == count && leased.offlineCount == 0)
        #expect(Set(leased.leasedAddresses.map(\.address)) == seen)
        #expect(Self.metric(roadWarriors.gatewayMetrics, #"cygnet_eap_successes_total{method="mschapv2"}"#) == Double(count))
        // No conversation outlives its EAP exchange, on either side.
        #expect(roadWarriors.gatewayEAP.conversationCount == 0)
        #expect(roadWarriors.clientEAP.allSatisfy { $0.conversationCount == 0 })

        // Every client deletes its IKE SA: the gateway removes every Child SA and every
        // address goes back to the pool, its lease kept offline for its identity.
        simulation.deleteAll()
        let deleted = await simulation.run()
        #expect(deleted, "still running at \(simulation.now)")
        #expect(simulation.responder.ikeSACount == 0 && simulation.responderClosed.count == count)
        #expect(simulation.responderChildSAsRemoved == count)
        #expect(simulation.initiators.allSatisfy { $0.ikeSACount == 0 })
        let released = try #require(roadWarriors.pools.snapshot.first)
        #expect(released.onlineCount == 0 && released.offlineCount == count)
        #expect(Set(released.leasedAddresses.map(\.address)) == seen)
        print("scale: \(count) road warriors with EAP-MSCHAPv2 and a pool, virtual time \(simulation.now), datagrams \(simulation.delivered)")
    }
}
