import CygnetDaemon
import IKECore
import Logging
import Testing

/// `remote_addrs` may name the peer by host name (swanctl.conf(5)); the daemon resolves it
/// when it initiates.
@Suite("cygnetd: a host name in remote_addrs is resolved when the connection is brought up")
struct RemoteHostNameTests {
    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    @Test("up resolves 'localhost' to the address of the local address's family and reaches the peer there")
    func localhost() async throws {
        let ports = DaemonFixtures.ports()
        // The responder on 127.0.0.1, which `localhost` resolves to; the initiator on 127.0.0.2.
        let right = try await IKEDaemon.start(
            DaemonFixtures.configuration(
                local: DaemonFixtures.rightID, remote: DaemonFixtures.leftID, address: "127.0.0.1", peerAddress: "127.0.0.2",
                ports: ports, localNet: "203.0.113.0/24", remoteNet: "198.51.100.0/24", engines: 1),
            logger: Self.logger)
        let left = try await IKEDaemon.start(
            DaemonFixtures.configuration(
                local: DaemonFixtures.leftID, remote: DaemonFixtures.rightID, address: "127.0.0.2", peerAddress: "localhost",
                ports: ports, localNet: "198.51.100.0/24", remoteNet: "203.0.113.0/24", engines: 1),
            logger: Self.logger)
        try await left.up("lab")
        let established = await DaemonFixtures.eventually {
            let l = await left.statuses(), r = await right.statuses()
            return l.first?.phase == .established && r.first?.phase == .established
        }
        #expect(established)
        let status = try #require(await left.statuses().first)
        #expect(status.remote.address == [127, 0, 0, 1] && status.local.address == [127, 0, 0, 2])
        await left.shutdown(grace: .zero)
        await right.shutdown(grace: .zero)
    }

    @Test("A host name that does not resolve: up fails with an error naming it, and nothing is started")
    func unresolvable() async throws {
        let ports = DaemonFixtures.ports()
        let left = try await IKEDaemon.start(
            DaemonFixtures.configuration(
                local: DaemonFixtures.leftID, remote: DaemonFixtures.rightID, address: "127.0.0.1",
                peerAddress: "gateway.cygnet-test.invalid", ports: ports, localNet: "198.51.100.0/24",
                remoteNet: "203.0.113.0/24", engines: 1),
            logger: Self.logger)
        await #expect(throws: DaemonError(.unresolvableHost, "")) { try await left.up("lab") }
        #expect(await left.statuses().isEmpty)
        await left.shutdown(grace: .zero)
    }
}
