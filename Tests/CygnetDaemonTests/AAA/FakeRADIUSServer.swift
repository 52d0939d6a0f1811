import Crypto
import CygnetDaemon
import NIOCore
import NIOPosix
import Synchronization

/// A RADIUS server on loopback UDP for the client's tests: it records every request and
/// answers as `reply` says, signing answers with swift-crypto (RFC 2865 §3, RFC 3579 §3.2).
final class FakeRADIUSServer: Sendable {
    /// What to send for one request (`index` counts the requests from 0).
    enum Reply: Sendable {
        case none
        /// Datagrams in order, each from the server's socket or from another one.
        case datagrams([(bytes: [UInt8], fromOtherSocket: Bool)])
    }

    let secret: [UInt8]
    let requests = Mutex<[RADIUSPacket]>([])
    private let channel: any Channel
    private let other: any Channel

    var port: UInt16 { UInt16(channel.localAddress?.port ?? 0) }
    var requestCount: Int { requests.withLock { $0.count } }

    private init(secret: [UInt8], channel: any Channel, other: any Channel) {
        self.secret = secret
        self.channel = channel
        self.other = other
    }

    static func start(secret: String, reply: @escaping @Sendable (RADIUSPacket, Int) -> Reply) async throws -> FakeRADIUSServer {
        let box = Mutex<FakeRADIUSServer?>(nil)
        // One loop for both sockets, so datagrams leave in the order they are written.
        let group = MultiThreadedEventLoopGroup.singleton.next()
        let other = try await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler { envelope in
                        box.withLock { $0 }?.handle(envelope, reply: reply)
                    })
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = FakeRADIUSServer(secret: Array(secret.utf8), channel: channel, other: other)
        box.withLock { $0 = server }
        return server
    }

    func stop() async {
        try? await channel.close()
        try? await other.close()
    }

    /// An answer with `attributes` and a Message-Authenticator, signed with `secret`.
    static func signedAnswer(_ code: RADIUSCode, identifier: UInt8, requestAuthenticator: [UInt8], _ attributes: [RADIUSAttribute], secret: [UInt8]) -> [UInt8] {
        var packet = RADIUSPacket(
            code: code, identifier: identifier, authenticator: requestAuthenticator,
            attributes: attributes + [RADIUSAttribute(.messageAuthenticator, [UInt8](repeating: 0, count: 16))])
        let unsigned = (try? packet.encoded()) ?? []
        packet.attributes[packet.attributes.count - 1].value = Array(HMAC<Insecure.MD5>.authenticationCode(for: unsigned, using: SymmetricKey(data: secret)))
        packet.authenticator = Array(Insecure.MD5.hash(data: ((try? packet.encoded()) ?? []) + secret))
        return (try? packet.encoded()) ?? []
    }

    private func handle(_ envelope: AddressedEnvelope<ByteBuffer>, reply: @Sendable (RADIUSPacket, Int) -> Reply) {
        guard let request = try? RADIUSPacket(decoding: Array(envelope.data.readableBytesView)) else { return }
        let index = requests.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
        guard case .datagrams(let datagrams) = reply(request, index) else { return }
        for (bytes, fromOtherSocket) in datagrams {
            (fromOtherSocket ? other : channel).writeAndFlush(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: bytes)), promise: nil)
        }
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let received: @Sendable (AddressedEnvelope<ByteBuffer>) -> Void
        init(_ received: @escaping @Sendable (AddressedEnvelope<ByteBuffer>) -> Void) { self.received = received }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { received(unwrapInboundIn(data)) }
    }
}
