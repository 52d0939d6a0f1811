/// What ``ESPSecurityAssociation/open(_:)-(UnsafeMutableRawBufferPointer)`` found in an authentic packet: the inner
/// packet, decrypted in place in the caller's buffer.
public struct ESPInboundPacket: Hashable, Sendable {
    /// The Next Header field (RFC 4303 §2.6).
    public var nextHeader: ESPNextHeader
    /// Where the payload (the inner IP packet in tunnel mode, with any TFC padding) lies
    /// in the buffer that was opened.
    public var payloadRange: Range<Int>
    /// The full sequence number, with the ESN high-order bits inferred (RFC 4303
    /// Appendix A); the low 32 bits only without ESN.
    public var sequenceNumber: UInt64

    /// Whether this is a dummy packet (Next Header 59), which RFC 4303 §2.6 says the
    /// receiver discards: "A receiver MUST be prepared to silently discard dummy packets."
    public var isDummy: Bool { nextHeader == .noNextHeader }

    public init(nextHeader: ESPNextHeader, payloadRange: Range<Int>, sequenceNumber: UInt64) {
        self.nextHeader = nextHeader
        self.payloadRange = payloadRange
        self.sequenceNumber = sequenceNumber
    }
}
