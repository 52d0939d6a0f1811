import IKECore
import IKEWire
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import CygnetDaemon

/// The NAT-T port's framing, both ways over loopback: what the engine sends from it goes
/// behind the non-ESP marker, and what arrives reaches the engines without it (RFC 3948
/// §2.2).
@Suite("NAT-T port: the non-ESP marker is added on the way out and removed once on the way in")
struct NATTraversalSocketsTests {
    /// Collects what a loopback NIO socket receives.
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let received = NIOLockedValueBox<[[UInt8]]>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = Array(unwrapInboundIn(data).data.readableBytesView)
            received.withLockedValue { $0.append(bytes) }
        }
    }

    @Test("An IKE message sent from the NAT-T port leaves behind the marker; one received there reaches the engines bare")
    func framing() async throws {
        let delivered = NIOLockedValueBox<[[UInt8]]>([])
        // A fixed local address with port 0: the kernel picks the port.
        let local = IKEEndpointAddress(address: [127, 0, 0, 1], port: 0)
        let sockets = try NATTraversalSockets(
            addresses: [local], port: 0, logger: Logger(label: "test"),
            deliverIKE: { message, _, _ in delivered.withLockedValue { $0.append(Array(message.readableBytesView)) } })
        sockets.start(dataPlane: nil)
        defer { sockets.stop() }
        let collector = Collector()
        let peer = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let peerPort = try #require(peer.localAddress?.port)
        let message: [UInt8] = Array(0..<40)

        #expect(sockets.sendIKE(
            ByteBuffer(bytes: message), from: local, to: IKEEndpointAddress(address: [127, 0, 0, 1], port: UInt16(peerPort))))
        #expect(await eventually { collector.received.withLockedValue { $0 } == [[0, 0, 0, 0] + message] })

        // The peer answers to where the datagram came from: the NAT-T socket.
        let natT = try #require(sockets.sockets.values.first?.localPort)
        let destination = try SocketAddress(ipAddress: "127.0.0.1", port: Int(natT))
        try await peer.writeAndFlush(AddressedEnvelope(remoteAddress: destination, data: ByteBuffer(bytes: [0, 0, 0, 0] + message)))
        #expect(await eventually { delivered.withLockedValue { $0 } == [message] })
        try await peer.close()
    }

    @Test("A socket added after start receives on the running thread; a removed one leaves the set, and nothing is sent from its address any more (never from another address's socket)")
    func socketsFollowAddresses() async throws {
        let delivered = NIOLockedValueBox<[IKEEndpointAddress]>([])
        let first = IKEEndpointAddress(address: [127, 0, 0, 1], port: 0)
        let added = IKEEndpointAddress(address: [127, 0, 0, 5], port: 0)
        let sockets = try NATTraversalSockets(
            addresses: [first], port: 0, logger: Logger(label: "test"),
            deliverIKE: { _, _, local in delivered.withLockedValue { $0.append(local) } })
        sockets.start(dataPlane: nil)
        defer { sockets.stop() }
        try sockets.add(added)
        let socket = try #require(sockets.sockets[added])
        let port = try #require(socket.localPort)
        let peer = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let destination = try SocketAddress(ipAddress: "127.0.0.5", port: Int(port))
        try await peer.writeAndFlush(AddressedEnvelope(remoteAddress: destination, data: ByteBuffer(bytes: [0, 0, 0, 0, 1, 2, 3, 4])))
        #expect(await eventually { delivered.withLockedValue { $0 } == [added] })
        try await peer.close()

        sockets.remove(added)
        #expect(sockets.sockets[added] == nil && sockets.boundAddresses == [first])
        #expect(sockets.socket(for: added) == nil && sockets.socket(for: first) === sockets.sockets[first])
        #expect(!sockets.sendIKE(ByteBuffer(bytes: [1]), from: added, to: first))
        // Still open while something holds it (a Child SA's path).
        #expect(socket.localPort == port)
    }

    /// Polls `condition` for up to 10 s (a hang guard, not a timing assertion).
    func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<1000 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}
