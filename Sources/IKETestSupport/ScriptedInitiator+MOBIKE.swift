import IKECore
import IKECrypto
import IKEWire
import NIOCore

/// What a MOBIKE initiator (RFC 4555) sends, for tests that move a responder engine.
extension ScriptedInitiator {
    /// NAT_DETECTION_SOURCE_IP over `source` and NAT_DETECTION_DESTINATION_IP over
    /// `destination`, with the IKE SA's SPIs (RFC 7296 §2.23): what a message sent from
    /// `source` to `destination` carries; a NAT between them shows as a mismatch.
    public func natDetection(source: IKEEndpointAddress, destination: IKEEndpointAddress) -> [IKEPayload] {
        [
            .notify(NotifyPayload(
                type: .natDetectionSourceIP,
                data: NATDetection.hash(
                    initiatorSPI: spi, responderSPI: responderSPI, address: source.address, port: source.port))),
            .notify(NotifyPayload(
                type: .natDetectionDestinationIP,
                data: NATDetection.hash(
                    initiatorSPI: spi, responderSPI: responderSPI, address: destination.address, port: destination.port))),
        ]
    }

    /// `HDR, SK {N(UPDATE_SA_ADDRESSES), N(NAT_DETECTION_SOURCE_IP),
    /// N(NAT_DETECTION_DESTINATION_IP), [N(COOKIE2)]}` sent from `source` (RFC 4555 §3.5),
    /// plus `extraPayloads`.
    public mutating func updateSAAddresses(
        from source: IKEEndpointAddress, cookie2: [UInt8]? = nil, extraPayloads: [IKEPayload] = [],
        messageID: UInt32? = nil
    ) throws -> ByteBuffer {
        var payloads: [IKEPayload] = [.notify(NotifyPayload(type: .updateSAAddresses))]
        payloads += natDetection(source: source, destination: responderAddress)
        if let cookie2 { payloads.append(.notify(NotifyPayload(type: .cookie2, data: cookie2))) }
        return try request(.informational, payloads: payloads + extraPayloads, messageID: messageID)
    }

    /// The answer to the responder's request `datagram`, protected with its Message ID:
    /// `payloads`, or by default its COOKIE2 copied as RFC 4555 §3.7 requires.
    public func answer(_ datagram: ByteBuffer, payloads: [IKEPayload]? = nil) throws -> ByteBuffer {
        guard let outbound else { throw Failure.noKeys }
        let (header, request) = try open(datagram)
        guard !header.isResponse else { throw Failure.unexpectedResponse("a response, not a request") }
        let answer = payloads ?? request.notification(.cookie2).map { [.notify($0)] } ?? []
        var inner = ByteBuffer()
        let first = try IKEPayload.encodeChain(answer, to: &inner)
        let responseHeader = IKEHeader(
            initiatorSPI: spi, responderSPI: responderSPI, exchangeType: header.exchangeType, flags: [.initiator, .response],
            messageID: header.messageID)
        var random = SeededRandomSource(seed: UInt64(header.messageID))
        return try outbound.seal(
            header: responseHeader, innerFirstPayload: answer.isEmpty ? .noNextPayload : first, inner: inner,
            random: &random)
    }
}
