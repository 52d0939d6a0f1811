import IKEConfig
import IKECrypto
import IKEWire
import NIOCore

/// Sealing our protected messages (RFC 7296 §3.14): one SK message, or SKF fragments
/// when it is too large for one datagram (RFC 7383 §2.5), framed for the socket.
extension IKEEngine {
    /// The datagrams that carry one protected message of `sa`: a single SK message, or,
    /// when fragmentation is in use and the SK message would not fit in a
    /// ``FragmentationPolicy/fragmentSize`` datagram, one SKF message per fragment.
    mutating func protectedDatagrams(
        _ sa: IKESA, exchange: ExchangeType, messageID: UInt32, isResponse: Bool, payloads: [IKEPayload]
    ) throws(IKECoreError) -> [ByteBuffer] {
        guard let keys = sa.keys else { throw IKECoreError(.internalState, "no keys to protect \(exchange)") }
        let header = sa.header(exchange: exchange, messageID: messageID, isResponse: isResponse)
        var inner = ByteBuffer()
        let first: PayloadType
        do {
            first = try IKEPayload.encodeChain(payloads, to: &inner)
        } catch {
            throw IKECoreError(.internalState, "cannot encode \(exchange): \(error)")
        }
        let protection = keys.outbound
        let policy = configuration.fragmentation
        let isIPv6 = sa.remote.address.count == 16
        let hasNonESPMarker = sa.isOnNATTraversalPort
        // The SK message's length: header, SK payload header, IV, padded plaintext, ICV.
        let block = max(1, protection.blockSize)
        let plaintext = (inner.readableBytes + 1 + block - 1) / block * block
        let length = IKEHeader.length + 4 + protection.overhead + plaintext
        guard sa.isSendingFragments(exchange),
            length > policy.maximumMessageLength(isIPv6: isIPv6, hasNonESPMarker: hasNonESPMarker)
        else {
            return [try sealMessage(sa, protection, header, first, inner, fragment: nil)]
        }
        guard
            let size = policy.fragmentContentLength(
                isIPv6: isIPv6, hasNonESPMarker: hasNonESPMarker, overhead: protection.overhead, blockSize: block)
        else {
            throw IKECoreError(
                .configuration,
                "fragment size \(policy.fragmentSize) leaves no room for fragment content; raise fragment_size")
        }
        let count = (inner.readableBytes + size - 1) / size
        guard let total = UInt16(exactly: count), total >= 1 else {
            throw IKECoreError(.internalState, "\(exchange) would need \(count) fragments of \(size) bytes")
        }
        var datagrams: [ByteBuffer] = []
        datagrams.reserveCapacity(count)
        for number in 1...total {
            let offset = (Int(number) - 1) * size
            guard let slice = inner.getSlice(at: inner.readerIndex + offset, length: min(size, inner.readableBytes - offset))
            else { throw IKECoreError(.internalState, "fragment \(number) of \(total) lies outside the message") }
            datagrams.append(try sealMessage(sa, protection, header, first, slice, fragment: (number, total)))
        }
        return datagrams
    }

    /// One SK message, or one SKF fragment of `inner`.
    private mutating func sealMessage(
        _ sa: IKESA, _ protection: SKPayloadProtection, _ header: IKEHeader, _ first: PayloadType, _ inner: ByteBuffer,
        fragment: (number: UInt16, total: UInt16)?
    ) throws(IKECoreError) -> ByteBuffer {
        do {
            return try protection.seal(
                header: header, innerFirstPayload: first, inner: inner, fragment: fragment, random: &random)
        } catch {
            throw IKECoreError(.internalState, "cannot protect \(header.exchangeType): \(error)")
        }
    }

    /// Queues `datagrams` for the peer of `sa`, one ``IKETransmit`` each.
    mutating func transmit(_ datagrams: [ByteBuffer], for sa: IKESA) {
        transmit(datagrams, from: sa.local, to: sa.remote)
    }

    /// Queues `datagrams` from `local` to `remote`, one ``IKETransmit`` each.
    mutating func transmit(_ datagrams: [ByteBuffer], from local: IKEEndpointAddress, to remote: IKEEndpointAddress) {
        for datagram in datagrams {
            transmits.append(IKETransmit(source: local, destination: remote, datagram: datagram))
        }
    }
}
