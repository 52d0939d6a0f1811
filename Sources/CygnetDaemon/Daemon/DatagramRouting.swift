import NIOCore

/// Which engine a datagram goes to: the one whose ``IKECore/SPIShard`` holds the local
/// SPI its IKE header names (one engine per event loop, SAs sharded across loops by SPI).
enum DatagramRouting {
    /// The engine for an IKE message (after any non-ESP marker) among `count`: by the
    /// local SPI, or for an IKE_SA_INIT request (no responder SPI yet) by the initiator's
    /// SPI, so its retransmissions and its COOKIE retry meet the same engine. `nil` when
    /// the datagram is too short to be IKE; the engine is not asked then.
    static func engineIndex(of message: ByteBuffer, count: Int) -> Int? {
        let start = message.readerIndex
        guard count > 0, message.readableBytes >= 28,
            let initiatorSPI = message.getInteger(at: start, as: UInt64.self),
            let responderSPI = message.getInteger(at: start + 8, as: UInt64.self),
            let flags = message.getInteger(at: start + 19, as: UInt8.self)
        else { return nil }
        // RFC 7296 §3.1: the I flag is set by the original initiator, so its messages
        // name our SPI as the responder SPI.
        let isFromOriginalInitiator = flags & 0x08 != 0
        let local = responderSPI == 0 || !isFromOriginalInitiator ? initiatorSPI : responderSPI
        return Int(local % UInt64(count))
    }
}
