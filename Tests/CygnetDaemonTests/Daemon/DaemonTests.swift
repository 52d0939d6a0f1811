import CygnetDaemon
import IKECore
import Testing

/// Two real daemons on loopback UDP: sockets, engine shards, timers, control API.
@Suite("cygnetd on loopback: two daemons bring up, show and delete an IKE SA")
struct DaemonTests {
    @Test("up: both daemons show the same established IKE SA and Child SA, crosswise; down deletes it on both", arguments: [1, 2])
    func upAndDown(engines: Int) async throws {
        let (left, right) = try await DaemonFixtures.pair(engines: engines)
        try await left.up("lab")
        let established = await DaemonFixtures.eventually {
            let l = await left.statuses(), r = await right.statuses()
            return l.first?.phase == .established && r.first?.phase == .established && r.first?.children.count == 1
        }
        #expect(established)
        let l = try #require(await left.statuses().first)
        let r = try #require(await right.statuses().first)
        #expect(l.localSPI == r.remoteSPI && l.remoteSPI == r.localSPI)
        #expect(l.local.address == [127, 0, 0, 1] && r.local.address == [127, 0, 0, 2])
        #expect(l.children.first?.inboundSPI == r.children.first?.outboundSPI)
        let deleted = try await left.down("lab")
        #expect(deleted == 1)
        let gone = await DaemonFixtures.eventually {
            let l = await left.statuses(), r = await right.statuses()
            return l.isEmpty && r.isEmpty
        }
        #expect(gone)
        await #expect(throws: DaemonError(.unknownConnection, "")) { try await left.up("nope") }
        await left.shutdown(grace: .zero)
        await right.shutdown(grace: .zero)
    }

    @Test("shutdown deletes the IKE SAs politely: the peer sees the Delete")
    func shutdownDeletes() async throws {
        let (left, right) = try await DaemonFixtures.pair()
        try await left.up("lab")
        let established = await DaemonFixtures.eventually { await right.statuses().first?.phase == .established }
        #expect(established)
        await left.shutdown()
        let gone = await DaemonFixtures.eventually { await right.statuses().isEmpty }
        #expect(gone)
        await right.shutdown(grace: .zero)
    }
}
