import IKEConfig
import IKECrypto
import IKEWire
import NIOCore

/// IKE message fragmentation (RFC 7383): protected messages too large for one datagram
/// go out as SKF fragments (§2.5), and the peer's fragments are authenticated one by one
/// and reassembled (§2.6) before the message takes the same path as an SK message.
extension IKEEngine {
    // MARK: Sending (RFC 7383 §2.5)

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
            return [try sealFramed(sa, protection, header, first, inner, fragment: nil)]
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
            datagrams.append(try sealFramed(sa, protection, header, first, slice, fragment: (number, total)))
        }
        return datagrams
    }

    /// One SK message, or one SKF fragment of `inner`, framed for the socket.
    private mutating func sealFramed(
        _ sa: IKESA, _ protection: SKPayloadProtection, _ header: IKEHeader, _ first: PayloadType, _ inner: ByteBuffer,
        fragment: (number: UInt16, total: UInt16)?
    ) throws(IKECoreError) -> ByteBuffer {
        do {
            return sa.framed(try protection.seal(
                header: header, innerFirstPayload: first, inner: inner, fragment: fragment, random: &random))
        } catch {
            throw IKECoreError(.internalState, "cannot protect \(header.exchangeType): \(error)")
        }
    }

    /// Queues `datagrams` for the peer of `sa`, one ``IKETransmit`` each.
    mutating func transmit(_ datagrams: [ByteBuffer], for sa: IKESA) {
        for datagram in datagrams {
            transmits.append(IKETransmit(source: sa.local, destination: sa.remote, datagram: datagram))
        }
    }

    // MARK: Receiving (RFC 7383 §2.6)

    /// Opens the protected payloads of `message`, an SK message or one SKF fragment.
    ///
    /// An SK message is checked and decrypted at once. A fragment is checked on its own,
    /// kept, and the payloads come back with the fragment that completes the message;
    /// until then `nil`. A message that fails is dropped (counted in
    /// ``IKEEvent/datagramDropped(reason:)``).
    mutating func openProtected(_ sa: inout IKESA, _ message: IKEMessage, _ bytes: ByteBuffer) -> [IKEPayload]? {
        let header = message.header
        guard case .encryptedFragment(let fragment)? = message.payloads.last else {
            guard let payloads = decrypt(sa, bytes) else { return nil }
            // Whatever fragments of this message came before are no longer needed.
            sa.setFragments(nil, messageID: header.messageID, isResponse: header.isResponse)
            return payloads
        }
        sa.discardStaleFragments()
        let what = "fragment \(fragment.fragmentNumber)/\(fragment.totalFragments) of \(header.exchangeType) "
            + "\(header.isResponse ? "response" : "request") \(header.messageID)"
        var reassembly =
            sa.fragments(messageID: header.messageID, isResponse: header.isResponse)
            ?? FragmentReassembly(policy: configuration.fragmentation)
        // The cheap checks first: an unusable fragment costs no decryption.
        do {
            try reassembly.check(fragment)
        } catch {
            drop("\(what) ignored: \(error)")
            return nil
        }
        guard let keys = sa.keys else {
            drop("no keys to open \(what) for SPI \(hex(sa.localSPI))")
            return nil
        }
        let content: ByteBuffer
        do {
            content = try keys.inbound.open(bytes)
        } catch {
            // RFC 7383 §2.6: each fragment is authenticated on its own; one that fails is
            // discarded, and the fragments already kept stay (RFC 7296 §2.21.2: no answer).
            drop("\(what) for SPI \(hex(sa.localSPI)) failed the integrity check or did not decrypt: \(error)")
            return nil
        }
        let previous = (total: reassembly.totalFragments, received: reassembly.receivedCount)
        let progress: FragmentReassembly.Progress
        do throws(FragmentReassemblyError) {
            progress = try reassembly.add(fragment, content: content)
        } catch {
            if error.code == .messageTooLarge {
                sa.setFragments(nil, messageID: header.messageID, isResponse: header.isResponse)
                drop("\(what): whole message dropped: \(error)")
            } else {
                drop("\(what) ignored: \(error)")
            }
            return nil
        }
        if previous.received > 0, fragment.totalFragments > previous.total {
            drop(
                "\(previous.received) fragments of \(previous.total) discarded: \(what) announces more "
                    + "(the peer fragments its retransmission smaller, RFC 7383 §2.6)")
        }
        switch progress {
        case .incomplete:
            sa.setFragments(reassembly, messageID: header.messageID, isResponse: header.isResponse)
            return nil
        case .complete(let firstPayloadType, let inner):
            sa.setFragments(nil, messageID: header.messageID, isResponse: header.isResponse)
            do {
                return try IKEPayload.decodeChain(inner, firstPayloadType: firstPayloadType)
            } catch {
                drop("reassembled \(header.exchangeType) message \(header.messageID) does not decode: \(error)")
                return nil
            }
        }
    }

    /// Whether a request the responder already answered (`message`) authenticates, so that
    /// the cached response is sent again (RFC 7296 §2.1).
    ///
    /// For a fragmented request, RFC 7383 §2.6.1: a retransmitted fragment "MUST only
    /// trigger a retransmission of the response message (fragmented or not) if the Fragment
    /// Number field in the received fragments is set to 1; otherwise, it MUST be ignored"
    /// — and fragment 1 must pass its integrity check first.
    mutating func authenticatesRetransmission(_ sa: IKESA, _ message: IKEMessage, _ bytes: ByteBuffer) -> Bool {
        guard case .encryptedFragment(let fragment)? = message.payloads.last else {
            return decrypt(sa, bytes) != nil
        }
        guard fragment.fragmentNumber == 1 else {
            drop(
                "fragment \(fragment.fragmentNumber)/\(fragment.totalFragments) of retransmitted request "
                    + "\(message.header.messageID) ignored: only fragment 1 resends the response (RFC 7383 §2.6.1)")
            return false
        }
        guard let keys = sa.keys, (try? keys.inbound.open(bytes)) != nil else {
            drop("fragment 1 of retransmitted request \(message.header.messageID) failed the integrity check")
            return false
        }
        return true
    }

    /// Decrypted bytes of the peers' fragments held for reassembly, over every IKE SA (for
    /// metrics: the memory fragmentation pins).
    public var reassemblyByteCount: Int {
        sas.values.reduce(0) { total, sa in
            total + (sa.requestFragments.values.map(\.byteCount) + sa.responseFragments.values.map(\.byteCount))
                .reduce(0, +)
        }
    }
}

extension IKESA {
    /// Whether our protected messages of `exchange` are fragmented when too large:
    /// never IKE_SA_INIT (RFC 7383 §2.5), and only once the peer announced support
    /// (§2.3), unless the connection says ``Fragmentation/force``.
    func isSendingFragments(_ exchange: ExchangeType) -> Bool {
        guard exchange != .ikeSAInit, peer.fragmentation.isSending else { return false }
        return isFragmentationNegotiated || peer.fragmentation == .force
    }

    func fragments(messageID: UInt32, isResponse: Bool) -> FragmentReassembly? {
        isResponse ? responseFragments[messageID] : requestFragments[messageID]
    }

    mutating func setFragments(_ reassembly: FragmentReassembly?, messageID: UInt32, isResponse: Bool) {
        if isResponse { responseFragments[messageID] = reassembly } else { requestFragments[messageID] = reassembly }
    }

    /// Drops reassembly state the message-ID windows have moved past: requests before the
    /// one expected next, responses to requests no longer outstanding.
    mutating func discardStaleFragments() {
        if !requestFragments.isEmpty {
            requestFragments = requestFragments.filter { $0.key >= expectedRequestID }
        }
        if !responseFragments.isEmpty {
            responseFragments = responseFragments.filter { $0.key == outstanding?.messageID }
        }
    }
}
