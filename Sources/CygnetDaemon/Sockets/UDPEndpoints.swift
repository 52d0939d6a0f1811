import CygnetHostSupport
import IKECore
import Logging
import NIOCore
import NIOPosix

/// The daemon's UDP sockets: one per listening address and port, so an answer leaves
/// from the address its request arrived on (RFC 7296 §2.11 and the peer's NAT detection
/// depend on it). The IKE port is served by SwiftNIO channels; the NAT-T port by
/// ``NATTraversalSockets``, which shares it between IKE and the data plane's ESP.
/// Datagrams are handed to the engine shard that owns them.
final class UDPEndpoints: Sendable {
    private let channels: [IKEEndpointAddress: any Channel]
    let natTraversal: NATTraversalSockets
    /// The TUN data plane, `nil` with `data_plane = no`; stopped after the NAT-T port,
    /// whose thread feeds it.
    let dataPlane: DataPlane?
    let logger: Logger

    private init(
        channels: [IKEEndpointAddress: any Channel], natTraversal: NATTraversalSockets, dataPlane: DataPlane?, logger: Logger
    ) {
        self.channels = channels
        self.natTraversal = natTraversal
        self.dataPlane = dataPlane
        self.logger = logger
    }

    /// The local addresses bound, in a stable order.
    var boundAddresses: [IKEEndpointAddress] {
        (Array(channels.keys) + natTraversal.boundAddresses).sorted { $0.description < $1.description }
    }

    /// Binds `addresses` on the IKE `port` on `group` and delivers what arrives to
    /// `deliver`; the NAT-T port is `natTraversal`'s.
    static func bind(
        addresses: [SocketAddress], port: UInt16, natTraversal: NATTraversalSockets, dataPlane: DataPlane?,
        group: any EventLoopGroup, logger: Logger,
        deliver: @escaping @Sendable (ByteBuffer, IKEEndpointAddress, IKEEndpointAddress) -> Void
    ) async throws -> UDPEndpoints {
        var channels: [IKEEndpointAddress: any Channel] = [:]
        do {
            for address in addresses {
                let bindAddress = try SocketAddress(ipAddress: address.ipAddress ?? "", port: Int(port))
                guard let local = bindAddress.ikeEndpoint else { continue }
                let channel = try await DatagramBootstrap(group: group)
                    .channelOption(.socketOption(.so_reuseaddr), value: 1)
                    .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                InboundDatagramHandler(local: local, deliver: deliver))
                        }
                    }
                    .bind(to: bindAddress).get()
                channels[local] = channel
                logger.info("listening", metadata: ["address": "\(local)"])
            }
        } catch {
            for channel in channels.values { try? await channel.close() }
            throw error
        }
        return UDPEndpoints(channels: channels, natTraversal: natTraversal, dataPlane: dataPlane, logger: logger)
    }

    /// Sends `transmit` from the socket bound to its source (or, failing that, one bound to
    /// the same port and family).
    func send(_ transmit: IKETransmit) {
        if transmit.source.port == natTraversal.port {
            if !natTraversal.sendIKE(transmit.datagram, from: transmit.source, to: transmit.destination) {
                logger.debug("could not send from \(transmit.source) to \(transmit.destination)")
            }
            return
        }
        let channel = channels[transmit.source]
            ?? channels.first { $0.key.port == transmit.source.port && $0.key.address.count == transmit.source.address.count }?.value
        guard let channel, let destination = try? SocketAddress(transmit.destination) else {
            logger.debug("no socket for \(transmit.source) to send to \(transmit.destination)")
            return
        }
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: destination, data: transmit.datagram), promise: nil)
    }

    func close() async {
        for channel in channels.values { try? await channel.close() }
        natTraversal.stop()
        dataPlane?.stop()
    }
}

/// Reads datagrams of one bound socket.
private final class InboundDatagramHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let local: IKEEndpointAddress
    let deliver: @Sendable (ByteBuffer, IKEEndpointAddress, IKEEndpointAddress) -> Void

    init(local: IKEEndpointAddress, deliver: @escaping @Sendable (ByteBuffer, IKEEndpointAddress, IKEEndpointAddress) -> Void) {
        self.local = local
        self.deliver = deliver
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let remote = envelope.remoteAddress.ikeEndpoint else { return }
        deliver(envelope.data, remote, local)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP errors surface here (ECONNREFUSED); the engine's retransmissions cope.
    }
}
