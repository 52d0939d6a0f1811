import CygnetControlProtocol
import IKEConfig
import IKECore
import Testing

@testable import CygnetDaemon

/// `dpd_action = restart` and `close_action = start`, as strongSwan's users rely on for
/// site-to-site tunnels.
@Suite("dpd_action and close_action: the connection or child is started again")
struct CloseActionsTests {
    /// The fixture's configuration with one child `net` carrying these actions.
    static func configuration(dpd: ChildAction = .none, close: ChildAction = .none) -> DaemonConfiguration {
        var configuration = DaemonFixtures.configuration(
            local: DaemonFixtures.leftID, remote: DaemonFixtures.rightID, address: "127.0.0.1", peerAddress: "127.0.0.2",
            ports: (500, 4500), localNet: "198.51.100.0/24", remoteNet: "203.0.113.0/24")
        configuration.connections[0].children = [DaemonFixtures.childConfiguration(dpd: dpd, close: close)]
        return configuration
    }

    static func actions(_ event: IKEEvent, shard: Int = 0, _ configuration: DaemonConfiguration) -> [CloseActions.Action] {
        CloseActions.actions(after: event, shard: shard, connection: configuration.connection(named:))
    }

    static func closed(_ code: IKECloseReason.Code, established: Bool = true) -> IKEEvent {
        .ikeSAClosed(name: "lab", localSPI: 7, reason: IKECloseReason(code, ""), wasEstablished: established)
    }

    static let childDeleted = IKEEvent.childSADeletedByPeer(name: "lab", localSPI: 7, child: "net", inboundSPI: 1, outboundSPI: 2)

    @Test("A peer found dead: initiate again with dpd_action = restart, not without, not after a failed handshake")
    func deadPeer() {
        #expect(Self.actions(Self.closed(.peerUnreachable), shard: 0, Self.configuration(dpd: .start))
            == [.initiate(connection: "lab")])
        #expect(Self.actions(Self.closed(.peerUnreachable), shard: 0, Self.configuration()).isEmpty)
        #expect(Self.actions(Self.closed(.peerUnreachable), shard: 0, Self.configuration(close: .start)).isEmpty)
        #expect(Self.actions(Self.closed(.peerUnreachable, established: false), shard: 0, Self.configuration(dpd: .start)).isEmpty)
    }

    @Test("The peer deleted the IKE SA or a Child SA: started again with close_action = start; our own deletes never are")
    func closedByPeer() {
        let restart = Self.configuration(close: .start)
        #expect(Self.actions(Self.closed(.deletedByPeer), shard: 0, restart) == [.initiate(connection: "lab")])
        #expect(Self.actions(Self.childDeleted, shard: 1, restart)
            == [.createChildSA(shard: 1, localSPI: 7, child: "net")])
        for code in [IKECloseReason.Code.deletedLocally, .rekeyed, .reauthenticated, .expired, .authenticationFailed] {
            #expect(Self.actions(Self.closed(code), shard: 0, restart).isEmpty)
        }
        #expect(Self.actions(Self.closed(.deletedByPeer), shard: 0, Self.configuration(dpd: .start)).isEmpty)
        #expect(Self.actions(Self.childDeleted, shard: 0, Self.configuration()).isEmpty)
    }

    @Test("close_action = start on loopback: the peer deletes the IKE SA and it comes back, initiated by us")
    func restartsAfterPeerDelete() async throws {
        let (left, right) = try await DaemonFixtures.pair(engines: 1, leftChildren: [DaemonFixtures.childConfiguration(close: .start)])
        try await left.up("lab")
        let established = await DaemonFixtures.eventually { await left.statuses().first?.phase == .established }
        #expect(established)
        let first = try #require(await left.statuses().first?.localSPI)
        #expect(try await right.down("lab") == 1)
        let again = await DaemonFixtures.eventually {
            guard let status = await left.statuses().first else { return false }
            return status.localSPI != first && status.phase == .established && status.isInitiator
        }
        #expect(again)
        await left.shutdown(grace: .zero)
        await right.shutdown(grace: .zero)
    }
}
