import CygnetHostSupport
import IKECore
import IKEWire
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The daemon's UDP sockets: one per listening address and port, so an answer leaves
/// from the address its request arrived on (RFC 7296 §2.11 and the peer's NAT detection
/// depend on it). The IKE port is served by SwiftNIO channels; the NAT-T port by
/// ``NATTraversalSockets``, which shares it between IKE and the data plane's ESP.
/// Datagrams are handed to the engine shard that owns them. When the daemon listens on
/// every address, the sockets follow the host's addresses (``follow(adding:removing:)``).
final class UDPEndpoints: Sendable {
    private let channels: NIOLockedValueBox<[IKEEndpointAddress: any Channel]>
    let natTraversal: NATTraversalSockets
    /// The TUN data plane, `nil` with `data_plane = no`; stopped after the NAT-T port,
    /// whose thread feeds it.
    let dataPlane: DataPlane?
    let logger: Logger
    private let port: UInt16
    private let group: any EventLoopGroup
    private let deliver: @Sendable (ByteBuffer, IKEEndpointAddress, IKEEndpointAddress) -> Void

    private init(
        channels: [IKEEndpointAddress: any Channel], port: UInt16, natTraversal: NATTraversalSockets, dataPlane: DataPlane?,
        group: any EventLoopGroup, logger: Logger,
        deliver: @escaping @Sendable (ByteBuffer, IKEEndpointAddress, IKEEndpointAddress) -> Void
    ) {
        self.channels = NIOLockedValueBox(channels)
        self.port = port
        self.natTraversal = natTraversal
        self.dataPlane = dataPlane
        self.group = group
        self.logger = logger
        self.deliver = deliver
    }

    /// The local addresses bound, in a stable order.
    var boundAddresses: [IKEEndpointAddress] {
        (Array(channels.withLockedValue { $0.keys }) + natTraversal.boundAddresses).sorted { $0.description < $1.description }
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
                channels[local] = try await bindChannel(bindAddress, local: local, group: group, deliver: deliver).get()
                logger.info("listening", metadata: ["address": "\(local)"])
            }
        } catch {
            for channel in channels.values { try? await channel.close() }
            throw error
        }
        return UDPEndpoints(
            channels: channels, port: port, natTraversal: natTraversal, dataPlane: dataPlane, group: group, logger: logger,
            deliver: deliver)
    }

    private static func bindChannel(
        _ bindAddress: SocketAddress, local: IKEEndpointAddress, group: any EventLoopGroup,
        deliver: @escaping @Sendable (ByteBuffer, IKEEndpointAddress, IKEEndpointAddress) -> Void
    ) -> EventLoopFuture<any Channel> {
        DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(InboundDatagramHandler(local: local, deliver: deliver))
                }
            }
            .bind(to: bindAddress)
    }

    /// Follows the host's addresses: binds both ports on each address of `added` that
    /// has no socket yet, and stops listening on `removed` (the NAT-T sockets close when
    /// the last Child SA has left them). Blocking: for the address monitor's thread.
    func follow(adding added: [[UInt8]], removing removed: [[UInt8]]) {
        for address in added {
            let local = IKEEndpointAddress(address: address, port: port)
            do {
                if channels.withLockedValue({ $0[local] }) == nil {
                    let channel = try Self.bindChannel(try SocketAddress(local), local: local, group: group, deliver: deliver).wait()
                    channels.withLockedValue { $0[local] = channel }
                    logger.info("listening", metadata: ["address": "\(local)"])
                }
                try natTraversal.add(IKEEndpointAddress(address: address, port: natTraversal.port))
            } catch {
                logger.error("cannot listen on \(IPAddressText.format(address)): \(error)")
            }
        }
        for address in removed {
            let local = IKEEndpointAddress(address: address, port: port)
            if let channel = channels.withLockedValue({ $0.removeValue(forKey: local) }) {
                channel.close(promise: nil)
                logger.info("no longer listening", metadata: ["address": "\(local)"])
            }
            natTraversal.remove(IKEEndpointAddress(address: address, port: natTraversal.port))
        }
    }

    /// Sends `transmit` from the socket bound to its source; without one (the address is
    /// gone) nothing is sent.
    func send(_ transmit: IKETransmit) {
        if transmit.source.port == natTraversal.port {
            if !natTraversal.sendIKE(transmit.datagram, from: transmit.source, to: transmit.destination) {
                logger.debug("could not send from \(transmit.source) to \(transmit.destination)")
            }
            return
        }
        // Only from the socket of the source itself, as ``NATTraversalSockets/socket(for:)``.
        let channel = channels.withLockedValue { $0[transmit.source] }
        guard let channel, let destination = try? SocketAddress(transmit.destination) else {
            logger.debug("no socket for \(transmit.source) to send to \(transmit.destination)")
            return
        }
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: destination, data: transmit.datagram), promise: nil)
    }

    func close() async {
        for channel in channels.withLockedValue({ $0.values }) { try? await channel.close() }
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
