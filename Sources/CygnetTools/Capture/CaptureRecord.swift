import NIOCore

/// One IKE-related datagram found in a capture: a frame on UDP port 500 or 4500, or one
/// block of a hex dump.
public struct CaptureRecord: Sendable {
    /// What the datagram holds.
    public enum Content: Sendable {
        /// An IKE message (on port 4500 with the non-ESP marker removed), not yet decoded.
        case ike(ByteBuffer)
        /// An ESP packet on port 4500 (RFC 3948), shown as one line.
        case esp(spi: UInt32, length: Int)
        /// A NAT-keepalive (RFC 3948 §2.3).
        case natKeepalive
        /// Something worth a line but not decodable, such as a later IP fragment or a
        /// 4500 datagram too short to classify.
        case note(String)
    }

    /// 1-based frame number as Wireshark counts it (all frames, not only IKE); for a hex
    /// dump, the 1-based block number.
    public var frameNumber: Int
    public var timestamp: CaptureTimestamp?
    /// `nil` for hex dumps.
    public var source: CaptureEndpoint?
    /// `nil` for hex dumps.
    public var destination: CaptureEndpoint?
    public var content: Content

    public init(
        frameNumber: Int, timestamp: CaptureTimestamp? = nil, source: CaptureEndpoint? = nil,
        destination: CaptureEndpoint? = nil, content: Content
    ) {
        self.frameNumber = frameNumber
        self.timestamp = timestamp
        self.source = source
        self.destination = destination
        self.content = content
    }
}
