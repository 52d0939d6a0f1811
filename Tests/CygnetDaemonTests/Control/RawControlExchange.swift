import NIOCore
import NIOPosix

/// Exchanges the client API cannot express, over NIO (no blocking calls on the test's
/// threads): a request ended by a half-close, a partial request, or none at all.
enum RawControlExchange {
    /// Connects to `path`, sends `text`, half-closes if asked, and reads until the server
    /// closes. `nil` when the server keeps the connection open longer than `limit`: a bound
    /// against a hang, far above any answer time (CI runs this beside the interop suite on
    /// two busy cores), not a speed assertion.
    static func run(path: String, send text: String, halfClose: Bool, limit: Duration = .seconds(60)) async throws
        -> [UInt8]?
    {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: path) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel,
                        configuration: NIOAsyncChannel.Configuration(isOutboundHalfClosureEnabled: true))
                }
            }
        let timedOut = NSLockedCounter()
        let (seconds, attoseconds) = limit.components
        let timer = channel.channel.eventLoop.scheduleTask(
            in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        ) {
            timedOut.withLock { $0 = 1 }
            channel.channel.close(promise: nil)
        }
        defer { timer.cancel() }
        let received = try await channel.executeThenClose { inbound, outbound in
            if !text.isEmpty {
                do {
                    try await outbound.write(ByteBuffer(string: text))
                } catch {
                    // The server closed first: on a loaded machine its request timeout can
                    // run out between our connect and this write. Nothing was answered.
                    return [UInt8]()
                }
            }
            if halfClose { outbound.finish() }
            var bytes: [UInt8] = []
            do {
                for try await chunk in inbound { bytes += chunk.readableBytesView }
            } catch {
                // A reset after the server's close ends the exchange like an EOF.
            }
            return bytes
        }
        return timedOut.withLock { $0 } == 0 ? received : nil
    }
}
