import IKEConfig
import IKECrypto
import IKEWire
import NIOCore

/// Opening the peer's protected messages (RFC 7296 §3.14): an SK message is checked and
/// decrypted at once; SKF fragments (RFC 7383 §2.6) are authenticated one by one and
/// reassembled before the message takes the same path as an SK message.
extension IKEEngine {
    /// Checks the integrity of an SK message or SKF fragment of `sa` and decrypts it; on
    /// failure drops it (RFC 7296 §2.21.2: a message that fails the integrity check is
    /// discarded without response).
    mutating func authenticate(_ sa: IKESA, _ bytes: ByteBuffer, _ what: String) -> ByteBuffer? {
        guard let keys = sa.keys else {
            drop(.localFailure, "no keys to open \(what) for SPI \(HexText.string(sa.localSPI))")
            return nil
        }
        do {
            return try keys.inbound.open(bytes)
        } catch {
            drop(
                .integrityCheckFailed,
                "\(what) for SPI \(HexText.string(sa.localSPI)) failed the integrity check or did not decrypt: \(error)")
            return nil
        }
    }

    /// Opens the protected payloads of `message`, an SK message or one SKF fragment.
    ///
    /// An SK message is checked and decrypted at once. A fragment is checked on its own,
    /// kept, and the payloads come back with the fragment that completes the message;
    /// until then `nil`. A message that fails its integrity check is dropped (counted in
    /// ``IKEEvent/datagramDropped(_:)``) and gives `nil`; one that authenticates but whose
    /// payloads do not decode gives the decoding error, for the caller to answer.
    mutating func openProtected(
        _ sa: inout IKESA, _ message: IKEMessage, _ bytes: ByteBuffer
    ) -> Result<[IKEPayload], IKEWireError>? {
        let header = message.header
        guard case .encryptedFragment(let fragment)? = message.payloads.last else {
            guard let inner = authenticate(sa, bytes, "SK message") else { return nil }
            // Whatever fragments of this message came before are no longer needed.
            sa.setFragments(nil, messageID: header.messageID, isResponse: header.isResponse)
            let firstPayloadType =
                if case .encrypted(let sk)? = message.payloads.last { sk.firstPayloadType } else { PayloadType.noNextPayload }
            return Self.decodeProtected(inner, firstPayloadType: firstPayloadType)
        }
        sa.discardStaleFragments()
        let what = "fragment \(fragment.fragmentNumber)/\(fragment.totalFragments) of \(header.exchangeType) "
            + "\(header.isResponse ? "response" : "request") \(header.messageID)"
        var reassembly =
            sa.fragments(messageID: header.messageID, isResponse: header.isResponse)
            ?? FragmentReassembly(policy: configuration.fragmentation)
        // The cheap checks first: an unusable fragment costs no decryption.
        do throws(FragmentReassemblyError) {
            try reassembly.check(fragment)
        } catch {
            drop(error.dropCode, "\(what) ignored: \(error)")
            return nil
        }
        // RFC 7383 §2.6: each fragment is authenticated on its own; one that fails is
        // discarded, and the fragments already kept stay (RFC 7296 §2.21.2: no answer).
        guard let content = authenticate(sa, bytes, what) else { return nil }
        let previous = (total: reassembly.totalFragments, received: reassembly.receivedCount)
        let progress: FragmentReassembly.Progress
        do throws(FragmentReassemblyError) {
            progress = try reassembly.add(fragment, content: content)
        } catch {
            if error.code == .messageTooLarge {
                sa.setFragments(nil, messageID: header.messageID, isResponse: header.isResponse)
                drop(error.dropCode, "\(what): whole message dropped: \(error)")
            } else {
                drop(error.dropCode, "\(what) ignored: \(error)")
            }
            return nil
        }
        if previous.received > 0, fragment.totalFragments > previous.total {
            drop(
                .fragmentsSuperseded,
                "\(previous.received) fragments of \(previous.total) discarded: \(what) announces more "
                    + "(the peer fragments its retransmission smaller, RFC 7383 §2.6)")
        }
        switch progress {
        case .incomplete:
            sa.setFragments(reassembly, messageID: header.messageID, isResponse: header.isResponse)
            return nil
        case .complete(let firstPayloadType, let inner):
            sa.setFragments(nil, messageID: header.messageID, isResponse: header.isResponse)
            return Self.decodeProtected(inner, firstPayloadType: firstPayloadType)
        }
    }

    /// The payload chain of an authenticated message, or why it does not decode.
    static func decodeProtected(_ inner: ByteBuffer, firstPayloadType: PayloadType) -> Result<[IKEPayload], IKEWireError> {
        do throws(IKEWireError) {
            return .success(try IKEPayload.decodeChain(inner, firstPayloadType: firstPayloadType))
        } catch {
            return .failure(error)
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
            return authenticate(sa, bytes, "retransmitted request \(message.header.messageID)") != nil
        }
        guard fragment.fragmentNumber == 1 else {
            drop(
                .retransmittedFragmentIgnored,
                "fragment \(fragment.fragmentNumber)/\(fragment.totalFragments) of retransmitted request "
                    + "\(message.header.messageID) ignored: only fragment 1 resends the response (RFC 7383 §2.6.1)")
            return false
        }
        guard let keys = sa.keys, (try? keys.inbound.open(bytes)) != nil else {
            drop(
                .integrityCheckFailed,
                "fragment 1 of retransmitted request \(message.header.messageID) failed the integrity check")
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
