import NIOCore
import NIOHTTP1
import NIOPosix

/// Serves the Prometheus text exposition at `GET /metrics` (version 0.0.4) on the
/// configured address, loopback by default.
struct MetricsServer: Sendable {
    let channel: any Channel

    /// Binds `address` (`host:port`, `[v6]:port`); `render` builds the page per scrape.
    static func start(
        address: String, group: any EventLoopGroup, render: @escaping @Sendable () async -> String
    ) async throws -> MetricsServer {
        guard let (host, port) = splitHostPort(address) else {
            throw DaemonError("metrics address '\(address)' is not host:port (e.g. 127.0.0.1:9808 or [::1]:9808)")
        }
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(render: render))
                }
            }
            .bind(host: host, port: port).get()
        return MetricsServer(channel: channel)
    }

    /// The port bound (useful when the configuration asked for port 0).
    var port: Int? { channel.localAddress?.port }

    func close() async { try? await channel.close() }

    static func splitHostPort(_ text: String) -> (String, Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65_535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }
}

/// One HTTP/1.1 exchange per request: `/metrics` or 404.
private final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let render: @Sendable () async -> String
    private var head: HTTPRequestHead?

    init(render: @escaping @Sendable () async -> String) { self.render = render }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request): head = request
        case .body: break
        case .end:
            guard let request = head else { return }
            head = nil
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            guard request.method == .GET, request.uri == "/metrics" || request.uri.hasPrefix("/metrics?") else {
                return respond(context, status: .notFound, body: "Cygnet serves its metrics at /metrics\n", keepAlive: request.isKeepAlive)
            }
            let promise = context.eventLoop.makePromise(of: String.self)
            let render = render
            promise.completeWithTask { await render() }
            promise.futureResult.whenSuccess { body in
                let (handler, context) = bound.value
                handler.respond(context, status: .ok, body: body, keepAlive: request.isKeepAlive)
            }
        }
    }

    private func respond(_ context: ChannelHandlerContext, status: HTTPResponseStatus, body: String, keepAlive: Bool) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
        headers.add(name: "Content-Length", value: "\(body.utf8.count)")
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
