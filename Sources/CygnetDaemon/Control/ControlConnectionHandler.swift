import CygnetControlProtocol
import NIOCore

/// One control connection: reads one request line (bounded in size and in time), answers
/// it through the ``ControlService``, and closes once the answer is written.
final class ControlConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let service: ControlService
    /// How long the client may take to send its request line.
    private let requestTimeout: TimeAmount
    /// The answer to any request when the client may not use the socket (its user is
    /// not permitted); `nil` when it may.
    private let refusal: ControlError?
    private var buffer = ControlLineBuffer(limit: ControlRequest.maximumLength)
    private var isAnswering = false
    private var timeout: Scheduled<Void>?

    init(service: ControlService, requestTimeout: TimeAmount, refusal: ControlError? = nil) {
        self.service = service
        self.requestTimeout = requestTimeout
        self.refusal = refusal
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        timeout = context.eventLoop.scheduleTask(in: requestTimeout) { channel.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timeout?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isAnswering else { return }
        switch buffer.append(unwrapInboundIn(data)) {
        case .incomplete:
            break
        case .line(let line):
            respond(to: line, context: context)
        case .tooLong:
            let refusal = ControlService.refusal(
                ControlError(
                    .requestTooLarge,
                    "the request is longer than \(ControlRequest.maximumLength) bytes without a newline; send one JSON object on one line"
                ))
            answer(context: context) { _ in refusal }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The client half-closed: a request without a final newline still counts.
        guard case ChannelEvent.inputClosed = event, !isAnswering else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard let line = buffer.unterminatedLine else {
            context.close(promise: nil)
            return
        }
        respond(to: line, context: context)
    }

    /// Answers a request line: with the service, or with the refusal of a client that may
    /// not use the socket (read first, so the client gets the answer before the close).
    private func respond(to line: [UInt8], context: ChannelHandlerContext) {
        if let refusal {
            let response = ControlService.refusal(refusal)
            answer(context: context) { _ in response }
        } else {
            answer(context: context) { service in await service.respond(to: line) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Stops reading, computes the response off the loop, writes it, then closes.
    private func answer(
        context: ChannelHandlerContext, _ response: @escaping @Sendable (ControlService) async -> [UInt8]
    ) {
        isAnswering = true
        timeout?.cancel()
        timeout = nil
        let channel = context.channel
        let service = service
        let promise = context.eventLoop.makePromise(of: [UInt8].self)
        promise.completeWithTask { await response(service) }
        promise.futureResult.whenSuccess { bytes in
            channel.writeAndFlush(ByteBuffer(bytes: bytes)).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
