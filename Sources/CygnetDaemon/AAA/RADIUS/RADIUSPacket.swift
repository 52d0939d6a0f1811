/// A RADIUS packet (RFC 2865 §3):
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Code      |  Identifier   |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |                         Authenticator                         |
/// |                                                               |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Attributes ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-
/// ```
///
/// Decoding never traps: every length that lies is a ``RADIUSPacketError``. Encoding a
/// decoded packet gives back the octets up to its Length, which is what the
/// authenticator checks (``RADIUSPacket+Authenticators``) hash.
public struct RADIUSPacket: Hashable, Sendable {
    /// Code, Identifier, Length and Authenticator.
    public static let headerLength = 20
    /// The largest packet (RFC 2865 §3: "The maximum length is 4096").
    public static let maximumLength = 4096
    /// The size of the Request and Response Authenticators (RFC 2865 §3).
    public static let authenticatorLength = 16

    public var code: RADIUSCode
    public var identifier: UInt8
    /// The Request Authenticator of a request, the Response Authenticator of an answer.
    public var authenticator: [UInt8]
    public var attributes: [RADIUSAttribute]

    public init(code: RADIUSCode, identifier: UInt8, authenticator: [UInt8], attributes: [RADIUSAttribute]) {
        self.code = code
        self.identifier = identifier
        self.authenticator = authenticator
        self.attributes = attributes
    }

    /// Decodes a datagram. RFC 2865 §3: "Octets outside the range of the Length field
    /// MUST be treated as padding and ignored on reception. If the packet is shorter than
    /// the Length field indicates, it MUST be silently discarded."
    public init(decoding datagram: some Collection<UInt8>) throws(RADIUSPacketError) {
        let bytes = Array(datagram)
        guard bytes.count >= Self.headerLength else {
            throw RADIUSPacketError(.truncatedHeader, "\(bytes.count) octets, a RADIUS header has \(Self.headerLength)")
        }
        let length = Int(bytes[2]) << 8 | Int(bytes[3])
        guard (Self.headerLength...Self.maximumLength).contains(length) else {
            throw RADIUSPacketError(.lengthOutOfRange, "Length \(length) is outside 20...4096")
        }
        guard length <= bytes.count else {
            throw RADIUSPacketError(.lengthBeyondDatagram, "Length \(length) but the datagram has \(bytes.count) octets")
        }
        var attributes: [RADIUSAttribute] = []
        var offset = Self.headerLength
        while offset < length {
            guard offset + 2 <= length else {
                throw RADIUSPacketError(.attributeTruncated, "one octet left for an attribute at offset \(offset)")
            }
            let attributeLength = Int(bytes[offset + 1])
            guard attributeLength >= 2 else {
                throw RADIUSPacketError(.attributeLengthTooShort, "attribute \(bytes[offset]) at offset \(offset) has Length \(attributeLength)")
            }
            guard offset + attributeLength <= length else {
                throw RADIUSPacketError(
                    .attributeBeyondPacket, "attribute \(bytes[offset]) at offset \(offset) has Length \(attributeLength), past the packet's \(length)")
            }
            attributes.append(RADIUSAttribute(RADIUSAttributeType(rawValue: bytes[offset]), Array(bytes[(offset + 2)..<(offset + attributeLength)])))
            offset += attributeLength
        }
        self.init(code: RADIUSCode(rawValue: bytes[0]), identifier: bytes[1], authenticator: Array(bytes[4..<20]), attributes: attributes)
    }

    /// The packet's octets. Throws ``RADIUSPacketError/Code-swift.struct/tooLong`` for an
    /// attribute value past 253 octets or a packet past 4096.
    public func encoded() throws(RADIUSPacketError) -> [UInt8] {
        guard authenticator.count == Self.authenticatorLength else {
            throw RADIUSPacketError(.tooLong, "an authenticator of \(authenticator.count) octets")
        }
        var length = Self.headerLength
        for attribute in attributes {
            guard attribute.value.count <= RADIUSAttribute.maximumValueLength else {
                throw RADIUSPacketError(.tooLong, "\(attribute.type) of \(attribute.value.count) octets")
            }
            length += 2 + attribute.value.count
        }
        guard length <= Self.maximumLength else {
            throw RADIUSPacketError(.tooLong, "a packet of \(length) octets")
        }
        var bytes: [UInt8] = [code.rawValue, identifier, UInt8(length >> 8), UInt8(length & 0xff)]
        bytes.reserveCapacity(length)
        bytes += authenticator
        for attribute in attributes {
            bytes += [attribute.type.rawValue, UInt8(2 + attribute.value.count)]
            bytes += attribute.value
        }
        return bytes
    }

    /// The values of every attribute of `type`, in order.
    public func values(of type: RADIUSAttributeType) -> [[UInt8]] {
        attributes.filter { $0.type == type }.map(\.value)
    }

    /// The value of the first attribute of `type`.
    public func firstValue(of type: RADIUSAttributeType) -> [UInt8]? {
        attributes.first { $0.type == type }?.value
    }

    /// The EAP packet the EAP-Message attributes carry, their values concatenated in order
    /// (RFC 3579 §3.1), or `nil` when there is none.
    public var eapMessage: [UInt8]? {
        let pieces = values(of: .eapMessage)
        return pieces.isEmpty ? nil : pieces.flatMap { $0 }
    }

    /// An EAP packet cut into EAP-Message attributes of at most 253 octets, in order and
    /// consecutive, as RFC 3579 §3.1 requires of several EAP-Message attributes.
    /// An empty packet gives one empty attribute, the EAP-Start of RFC 3579 §2.1.
    public static func eapMessageAttributes(_ eapMessage: [UInt8]) -> [RADIUSAttribute] {
        if eapMessage.isEmpty { return [RADIUSAttribute(.eapMessage, [])] }
        return stride(from: 0, to: eapMessage.count, by: RADIUSAttribute.maximumValueLength).map {
            RADIUSAttribute(.eapMessage, Array(eapMessage[$0..<min($0 + RADIUSAttribute.maximumValueLength, eapMessage.count)]))
        }
    }
}
