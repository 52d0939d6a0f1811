import IKEWire
import NIOCore
import Testing

/// Helpers that build one-payload messages and change bytes of them.
enum Mutation {
    /// A message whose only payload is `payload`; the payload's generic header starts at
    /// offset 28, its body at 32.
    static func single(_ payload: IKEPayload, exchange: ExchangeType = .informational) throws -> [UInt8] {
        try SampleMessages.encode(
            IKEMessage(
                header: IKEHeader(initiatorSPI: 1, responderSPI: 2, exchangeType: exchange, flags: .initiator, messageID: 3),
                payloads: [payload]))
    }

    /// Overwrites bytes starting at `offset` and fixes up nothing else.
    static func patch(_ bytes: [UInt8], at offset: Int, _ new: [UInt8]) -> [UInt8] {
        var bytes = bytes
        bytes.replaceSubrange(offset..<offset + new.count, with: new)
        return bytes
    }

    /// Sets the IKE header's Length to the byte count, after bytes were removed or added.
    static func fixLength(_ bytes: [UInt8]) -> [UInt8] {
        let length = UInt32(bytes.count)
        return patch(bytes, at: 24, [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> $0) })
    }

    /// Decodes and returns the error, failing the test if decoding succeeds.
    static func decodeError(
        _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
    ) -> IKEWireError? {
        #expect(throws: IKEWireError.self, sourceLocation: sourceLocation) { try IKEMessage(decoding: bytes) }
    }
}
