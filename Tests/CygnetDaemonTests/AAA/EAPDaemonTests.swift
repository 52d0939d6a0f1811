@testable import CygnetDaemon
import CygnetControlProtocol
import IKEConfig
import IKECore
import IKEWire
import Logging
import NIOPosix
import Testing

/// EAP in IKE_AUTH (RFC 7296 §2.16) between two daemons on loopback: the left daemon is
/// the client (`local { auth = eap-mschapv2 }`, verifying the gateway's PSK AUTH), the
/// right one the gateway (`remote { auth = eap-mschapv2 | eap-radius }`), each answering
/// the engine's EAP effects with its ``EAPBackend``.
@Suite("cygnetd on loopback: EAP-MSCHAPv2 from secrets { eap-… } and through RADIUS", .serialized)
struct EAPDaemonTests {
    static let password = "correct horse battery staple"

    /// Starts the gateway (right) and the client (left). The client authenticates as
    /// `user` with `clientPassword`; the gateway knows `alice` with ``password``.
    static func pair(
        user: String = "alice", clientPassword: String = password, gatewayAuth: EAPMethodChoice = .method(.mschapv2),
        radius: EAPRADIUSSettings? = nil,
        configure: (_ client: inout DaemonConfiguration, _ gateway: inout DaemonConfiguration) throws -> Void = { _, _ in }
    ) async throws -> (client: IKEDaemon, gateway: IKEDaemon) {
        let ports = DaemonFixtures.ports()
        var gateway = DaemonFixtures.configuration(
            local: DaemonFixtures.rightID, remote: DaemonFixtures.leftID, address: "127.0.0.2", peerAddress: "127.0.0.1",
            ports: ports, localNet: "203.0.113.0/24", remoteNet: "198.51.100.0/24")
        gateway.connections[0].peer.remoteAuthentication = .eap(gatewayAuth)
        gateway.connections[0].peer.remoteEAPIdentity = .ask
        gateway.eapSecrets = [EAPSecret(name: "eap-alice", identities: ["alice"], secret: Array(password.utf8), location: Self.location)]
        gateway.settings.eapRADIUS = radius
        var client = DaemonFixtures.configuration(
            local: DaemonFixtures.leftID, remote: DaemonFixtures.rightID, address: "127.0.0.1", peerAddress: "127.0.0.2",
            ports: ports, localNet: "198.51.100.0/24", remoteNet: "203.0.113.0/24")
        client.connections[0].peer.localAuthentication = .eap(.method(.mschapv2))
        client.connections[0].peer.localEAPIdentity = .named(user)
        client.eapSecrets = [EAPSecret(name: "eap-me", identities: [user], secret: Array(clientPassword.utf8), location: Self.location)]
        try configure(&client, &gateway)
        return try await start(client: client, gateway: gateway)
    }

    /// Starts the gateway, then the client; logs only what is critical.
    static func start(client: DaemonConfiguration, gateway: DaemonConfiguration) async throws
        -> (client: IKEDaemon, gateway: IKEDaemon)
    {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let right = try await IKEDaemon.start(gateway, logger: logger)
        do {
            return (try await IKEDaemon.start(client, logger: logger), right)
        } catch {
            await right.shutdown(grace: .zero)
            throw error
        }
    }

    static let location = SourceLocation(file: "fixture", line: 1, column: 1)

    /// Starts a pair whose client asks for a virtual IP (`vips = 0.0.0.0`, `local_ts`
    /// dynamic) and whose gateway has `pools` (`remote_ts` dynamic) with pool `rw`
    /// (10.3.0.0/24, DNS 10.3.0.53) defined.
    static func virtualIPPair(pools: [String], gatewayAuth: EAPMethodChoice = .method(.mschapv2), radius: EAPRADIUSSettings? = nil)
        async throws -> (client: IKEDaemon, gateway: IKEDaemon)
    {
        let dynamic = TrafficSelectorTemplate.dynamic(ipProtocol: 0, startPort: 0, endPort: 65535)
        let rw = AddressPoolConfiguration(
            name: "rw", text: "10.3.0.0/24", addresses: try #require(AddressPoolConfiguration.addresses("10.3.0.0/24")),
            dnsServers: [[10, 3, 0, 53]], location: location)
        return try await pair(gatewayAuth: gatewayAuth, radius: radius) { client, gateway in
            gateway.connections[0].peer.pools = pools
            gateway.connections[0].peer.children[0].remoteTrafficSelectors = [dynamic]
            gateway.pools = [rw]
            client.connections[0].peer.virtualIPs = [[0, 0, 0, 0]]
            client.connections[0].peer.children[0].localTrafficSelectors = [dynamic]
        }
    }

    /// The value of one sample of the daemon's metrics, or `nil`.
    static func metric(_ daemon: IKEDaemon, _ sample: String) async -> Double? {
        await daemon.renderMetrics().split(separator: "\n").first { $0.hasPrefix(sample + " ") }
            .flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    /// Brings the connection up and waits until both sides established it, or until
    /// `failure` (the close reason's code) is counted on both.
    static func run(_ client: IKEDaemon, _ gateway: IKEDaemon, failure: IKECloseReason.Code? = nil) async throws -> Bool {
        try await client.up("lab")
        return await DaemonFixtures.eventually {
            if let failure {
                let sample = #"cygnet_ike_handshakes_failed_total{reason="\#(failure.name)"}"#
                let c = await metric(client, sample), g = await metric(gateway, sample)
                return c == 1 && g == 1
            }
            let c = await client.statuses(), g = await gateway.statuses()
            return c.first?.phase == .established && g.first?.phase == .established && g.first?.children.count == 1
        }
    }

    /// Both sides establish and count a success of `method`, no conversation is left;
    /// then both daemons stop.
    static func expectSuccess(
        _ client: IKEDaemon, _ gateway: IKEDaemon, method: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws {
        #expect(try await run(client, gateway), sourceLocation: sourceLocation)
        for daemon in [gateway, client] {
            #expect(
                await metric(daemon, #"cygnet_eap_successes_total{method="\#(method)"}"#) == 1, sourceLocation: sourceLocation)
        }
        #expect(gateway.eap.conversationCount == 0 && client.eap.conversationCount == 0, sourceLocation: sourceLocation)
        await client.shutdown(grace: .zero)
        await gateway.shutdown(grace: .zero)
    }

    @Test("§2.16 EAP-MSCHAPv2 with the right password: both sides establish with AUTH from the MSK; the gateway counts a success")
    func mschapv2Success() async throws {
        let (client, gateway) = try await Self.pair()
        try await Self.expectSuccess(client, gateway, method: "mschapv2")
    }

    /// The conversation fails: AUTHENTICATION_FAILED counted on both sides, the gateway
    /// counts the EAP failure of `method` with `reason`, no SA and no conversation is
    /// left; then both daemons stop.
    static func expectFailure(
        _ client: IKEDaemon, _ gateway: IKEDaemon, method: String, reason: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws {
        #expect(try await run(client, gateway, failure: .authenticationFailed), sourceLocation: sourceLocation)
        #expect(
            await metric(gateway, #"cygnet_eap_failures_total{method="\#(method)",reason="\#(reason)"}"#) == 1,
            sourceLocation: sourceLocation)
        let (clientSAs, gatewaySAs) = (await client.statuses(), await gateway.statuses())
        #expect(clientSAs.isEmpty && gatewaySAs.isEmpty, sourceLocation: sourceLocation)
        #expect(gateway.eap.conversationCount == 0 && client.eap.conversationCount == 0, sourceLocation: sourceLocation)
        await client.shutdown(grace: .zero)
        await gateway.shutdown(grace: .zero)
    }

    @Test("EAP and a virtual IP: the lease is for the EAP identity, which status shows; the address comes back after a reconnect")
    func virtualIP() async throws {
        let (client, gateway) = try await Self.virtualIPPair(pools: ["rw"])
        #expect(try await Self.run(client, gateway))
        let status = try #require(await gateway.statuses().first)
        #expect(status.remoteEAPIdentity == "alice")
        #expect(status.peerVirtualIPs == [[10, 3, 0, 1]])
        #expect(await client.statuses().first?.virtualIPs?.dnsServers == [[10, 3, 0, 53]])
        let report = try #require(await gateway.statusReport().ikeSAs.first)
        #expect(report.remoteEAPID == "alice" && report.remoteVIPs == ["10.3.0.1"])
        #expect(gateway.pools.report.pools.first?.leases == [LeasesReport.Lease(address: "10.3.0.1", identity: "alice", status: "online")])
        #expect(await Self.metric(gateway, #"cygnet_pool_size{pool="rw"}"#) == 254)
        #expect(await Self.metric(gateway, #"cygnet_pool_addresses_in_use{pool="rw"}"#) == 1)
        _ = try await client.down("lab")
        let released = await DaemonFixtures.eventually { gateway.pools.report.pools.first?.offline == 1 }
        #expect(released)
        #expect(await Self.metric(gateway, #"cygnet_pool_addresses_in_use{pool="rw"}"#) == 0)
        try await client.up("lab")
        let again = await DaemonFixtures.eventually { await gateway.statuses().first?.peerVirtualIPs == [[10, 3, 0, 1]] }
        #expect(again)
        await client.shutdown(grace: .zero)
        await gateway.shutdown(grace: .zero)
    }

    @Test(
        "A wrong password or an unknown user: EAP Failure, AUTHENTICATION_FAILED on both sides, counted by reason",
        arguments: [("alice", "wrong password", "wrong_password"), ("mallory", password, "unknown_user")])
    func failures(user: String, password: String, reason: String) async throws {
        let (client, gateway) = try await Self.pair(user: user, clientPassword: password)
        try await Self.expectFailure(client, gateway, method: "mschapv2", reason: reason)
    }

    @Test("auth = eap-radius: the gateway forwards EAP-MSCHAPv2 to FreeRADIUS; its MS-MPPE keys are the MSK; a wrong password is rejected")
    func radius() async throws {
        let freeradius = try #require(
            FreeRADIUSTests.findFreeRADIUS(),
            "FreeRADIUS is not installed: run `apt-get install freeradius` (.ci/run installs it); this test does not skip")
        let server = try await FreeRADIUSProcess.start(freeradius, secret: FreeRADIUSTests.secret, users: ["alice": Self.password])
        defer { server.stop() }
        let settings = EAPRADIUSSettings(servers: [
            EAPRADIUSSettings.Server(
                name: "freeradius", address: [127, 0, 0, 1], secret: Array(FreeRADIUSTests.secret.utf8), authPort: server.port,
                retransmitTries: 3, retransmitTimeout: .seconds(2))
        ])
        let (client, gateway) = try await Self.pair(gatewayAuth: .radius, radius: settings)
        let established = try await Self.run(client, gateway)
        #expect(established, "FreeRADIUS said:\n\(server.output)")
        #expect(await Self.metric(gateway, #"cygnet_eap_successes_total{method="radius"}"#) == 1)
        await client.shutdown(grace: .zero)
        await gateway.shutdown(grace: .zero)

        let (wrongClient, wrongGateway) = try await Self.pair(clientPassword: "wrong", gatewayAuth: .radius, radius: settings)
        #expect(try await Self.run(wrongClient, wrongGateway, failure: .authenticationFailed))
        #expect(await Self.metric(wrongGateway, #"cygnet_eap_failures_total{method="radius",reason="rejected"}"#) == 1)
        await wrongClient.shutdown(grace: .zero)
        await wrongGateway.shutdown(grace: .zero)
    }

    @Test("pools = radius: FreeRADIUS's Framed-IP-Address for the user is the client's virtual IP; its release leaves the pools alone")
    func radiusFramedAddress() async throws {
        let freeradius = try #require(
            FreeRADIUSTests.findFreeRADIUS(),
            "FreeRADIUS is not installed: run `apt-get install freeradius` (.ci/run installs it); this test does not skip")
        let server = try await FreeRADIUSProcess.start(
            freeradius, secret: FreeRADIUSTests.secret, users: ["alice": Self.password],
            replies: ["alice": "Framed-IP-Address = 10.9.0.7"])
        defer { server.stop() }
        let settings = EAPRADIUSSettings(servers: [
            EAPRADIUSSettings.Server(
                name: "freeradius", address: [127, 0, 0, 1], secret: Array(FreeRADIUSTests.secret.utf8), authPort: server.port,
                retransmitTries: 3, retransmitTimeout: .seconds(2))
        ])
        let (client, gateway) = try await Self.virtualIPPair(pools: ["radius", "rw"], gatewayAuth: .radius, radius: settings)
        let established = try await Self.run(client, gateway)
        #expect(established, "FreeRADIUS said:\n\(server.output)")
        #expect(await client.statuses().first?.virtualIPs?.addresses.map(\.address) == [[10, 9, 0, 7]])
        #expect(await gateway.statuses().first?.peerVirtualIPs == [[10, 9, 0, 7]])
        #expect(await gateway.statuses().first?.remoteEAPIdentity == "alice")
        #expect(gateway.pools.report.pools.first?.leases.isEmpty == true)
        _ = try await client.down("lab")
        let closed = await DaemonFixtures.eventually { await gateway.statuses().isEmpty }
        #expect(closed)
        #expect(gateway.pools.report.pools.first?.leases.isEmpty == true)
        #expect(gateway.eap.conversationCount == 0)
        await client.shutdown(grace: .zero)
        await gateway.shutdown(grace: .zero)
    }
}
