import CygnetHostSupport
import ESPCore
import IKECore
import Synchronization
import Testing

@testable import CygnetDaemon

/// A Child SA that moves (``DataPlane/update(_:engine:)``, after MOBIKE, RFC 4555 §3.5,
/// or a NAT mapping change, RFC 7296 §2.23): the path changes, the ESP state stays.
@Suite("Data plane: a Child SA moves to new outer addresses and keeps its sequence numbers and replay window")
struct PathUpdateTests {
    static let otherLocal = IKEEndpointAddress(address: [127, 0, 0, 3], port: 0)
    static let newRemote = IKEEndpointAddress(address: [127, 0, 0, 4], port: 61_000)

    /// The ESP sequence number (RFC 4303 §2.2) of a packet the SA seals now.
    static func sealSequenceNumber(_ child: DataPlaneChildSA) throws -> UInt32 {
        let packet = try child.outbound.withLock { try $0.esp.seal(InboundPathTests.inner(), nextHeader: .ipv4) }
        return packet[4..<8].reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func update(_ child: DataPlaneChildSA, local: IKEEndpointAddress, remote: IKEEndpointAddress, encapsulated: Bool)
        -> ChildSAPathUpdate
    {
        ChildSAPathUpdate(
            inboundSPI: child.inboundSPI, outboundSPI: child.outboundSPI, localAddress: local, remoteAddress: remote,
            isUDPEncapsulated: encapsulated)
    }

    @Test("RFC 4555 §3.5: after a move the outbound sequence numbers go on, and the destination and socket are the new ones")
    func sequenceNumbersContinue() throws {
        let fixture = try InboundPathTests.Fixture(extraLocal: [Self.otherLocal])
        let child = fixture.child
        #expect(try Self.sealSequenceNumber(child) == 1)
        #expect(try Self.sealSequenceNumber(child) == 2)
        let before = child.path
        fixture.dataPlane.update(Self.update(child, local: Self.otherLocal, remote: Self.newRemote, encapsulated: true), engine: 0)
        let after = child.path
        #expect(try Self.sealSequenceNumber(child) == 3)
        #expect(after.remote == Self.newRemote && after.local == Self.otherLocal && after.isUDPEncapsulated)
        #expect(SocketAddressStorage.endpoint(of: after.destination.storage) == Self.newRemote)
        #expect(SocketAddressStorage.endpoint(of: before.destination.storage) == InboundPathTests.remote)
        #expect(after.socket === fixture.natTraversal.socket(for: Self.otherLocal))
        #expect(after.socket !== before.socket)
    }

    @Test("RFC 4303 §3.4.3: a packet received before the move is still a replay after it; the counters stay")
    func replayWindowKept() throws {
        let fixture = try InboundPathTests.Fixture(extraLocal: [Self.otherLocal])
        let first = try fixture.seal(InboundPathTests.inner())
        let second = try fixture.seal(InboundPathTests.inner())
        #expect(fixture.handle(second) != nil)
        fixture.dataPlane.update(
            Self.update(fixture.child, local: Self.otherLocal, remote: Self.newRemote, encapsulated: true), engine: 0)
        #expect(fixture.handle(second) == nil)
        #expect(fixture.traffic.replayDrops == 1)
        // Still inside the window, not yet seen: accepted.
        #expect(fixture.handle(first) != nil)
        #expect(fixture.handle(first) == nil)
        #expect(fixture.traffic.replayDrops == 2 && fixture.traffic.packetsIn == 2)
    }

    @Test("A move the data plane cannot carry (raw ESP without a raw socket) keeps the old path; an unknown SPI is ignored")
    func impossibleMoveKeepsThePath() throws {
        let fixture = try InboundPathTests.Fixture()
        let child = fixture.child
        fixture.dataPlane.update(Self.update(child, local: InboundPathTests.local, remote: Self.newRemote, encapsulated: false), engine: 0)
        #expect(child.path.remote == InboundPathTests.remote && child.path.isUDPEncapsulated)
        var unknown = Self.update(child, local: InboundPathTests.local, remote: Self.newRemote, encapsulated: true)
        unknown.inboundSPI ^= 0xFFFF
        fixture.dataPlane.update(unknown, engine: 0)
        #expect(child.path.remote == InboundPathTests.remote)
        #expect(try Self.sealSequenceNumber(child) == 1)
    }

    @Test("The path computed for raw ESP goes to port 0 by the raw socket of the family; ESP in UDP by the local address's NAT-T socket")
    func encapsulationChoosesTheSocket() throws {
        let fixture = try InboundPathTests.Fixture(extraLocal: [Self.otherLocal])
        let path = try fixture.dataPlane.path(local: Self.otherLocal, remote: Self.newRemote, isUDPEncapsulated: true)
        #expect(path.socket === fixture.natTraversal.socket(for: Self.otherLocal))
        #expect(throws: DaemonError.self) {
            try fixture.dataPlane.path(local: Self.otherLocal, remote: Self.newRemote, isUDPEncapsulated: false)
        }
    }
}
