import NIOCore

/// A whole IKE message: the header and its payload chain (RFC 7296 §3).
///
/// Decoding checks every length, count, reserved-field rule and the Next Payload chain,
/// and nothing else: it never decrypts, never looks up an SA, and does not apply the
/// exchange's payload rules (``IKEMessageRules`` does that).
public struct IKEMessage: Hashable, Sendable {
    public var header: IKEHeader
    /// The payloads in order; an SK or SKF payload, if present, is last.
    public var payloads: [IKEPayload]

    public init(header: IKEHeader, payloads: [IKEPayload]) {
        self.header = header
        self.payloads = payloads
    }

    /// Decodes a message that fills `buffer` exactly (a UDP payload on port 500, or on
    /// port 4500 after the non-ESP marker).
    public init(decoding buffer: ByteBuffer) throws(IKEWireError) {
        var reader = WireReader(buffer)
        let header = try IKEHeader(parsing: &reader)
        let total = buffer.readableBytes
        // RFC 7296 §3.1: "Length (4 octets, unsigned integer) - Length of the total message
        // (header + payloads) in octets."
        guard Int(header.length) == total else {
            throw reader.error(
                Int(header.length) > total ? .truncated : .trailingBytes, "Length", at: 24,
                "header says \(header.length), datagram has \(total)")
        }
        self.header = header
        self.payloads = try IKEPayload.decodeChain(&reader, firstPayloadType: header.nextPayload)
    }

    /// Decodes a message from bytes.
    public init(decoding bytes: some Sequence<UInt8>) throws(IKEWireError) {
        try self.init(decoding: ByteBuffer(bytes: bytes))
    }

    /// Appends the encoded message to `buffer`, filling in the header's Next Payload and
    /// Length.
    public func write(to buffer: inout ByteBuffer) throws(IKEWireError) {
        let start = buffer.writerIndex
        var header = self.header
        header.write(to: &buffer)
        header.nextPayload = try IKEPayload.encodeChain(payloads, to: &buffer)
        guard let length = UInt32(exactly: buffer.writerIndex - start) else {
            throw IKEWireError(.unencodable, offset: 24, field: "Length")
        }
        header.length = length
        buffer.setInteger(header.nextPayload.rawValue, at: start + 16)
        buffer.setInteger(length, at: start + 24)
    }

    /// The encoded message.
    public func encoded() throws(IKEWireError) -> ByteBuffer {
        var buffer = ByteBuffer()
        try write(to: &buffer)
        return buffer
    }

    /// The payloads of one type, in order.
    public func payloads(ofType type: PayloadType) -> [IKEPayload] {
        payloads.filter { $0.type == type }
    }

    /// The Notify payloads, in order.
    public var notifications: [NotifyPayload] {
        payloads.notifications
    }
}
