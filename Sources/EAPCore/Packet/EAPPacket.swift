import IKEWire

/// One EAP packet (RFC 3748 §4): what an IKEv2 EAP payload carries (RFC 7296 §3.16).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Code      |  Identifier   |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Type      |  Type-Data ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// Request and Response carry a ``type`` and its ``typeData``; Success and Failure carry
/// neither (their Length is 4). A packet of an unknown code keeps its data in
/// ``typeData`` with no type, so it round-trips.
public struct EAPPacket: Hashable, Sendable {
    /// The header's size: Code, Identifier and Length.
    public static let headerLength = 4

    public var code: EAPCode
    /// Matches a Response to its Request (RFC 3748 §4).
    public var identifier: UInt8
    /// The method of a Request or Response; `nil` for the other codes.
    public var type: EAPType?
    /// What follows the Type octet (for an unknown code: what follows the header).
    public var typeData: [UInt8]

    public init(code: EAPCode, identifier: UInt8, type: EAPType? = nil, typeData: [UInt8] = []) {
        self.code = code
        self.identifier = identifier
        self.type = type
        self.typeData = typeData
    }

    /// A Request or Response of `type`.
    public static func request(_ identifier: UInt8, _ type: EAPType, _ typeData: [UInt8] = []) -> EAPPacket {
        EAPPacket(code: .request, identifier: identifier, type: type, typeData: typeData)
    }

    /// A Response of `type`.
    public static func response(_ identifier: UInt8, _ type: EAPType, _ typeData: [UInt8] = []) -> EAPPacket {
        EAPPacket(code: .response, identifier: identifier, type: type, typeData: typeData)
    }

    /// A Success (RFC 3748 §4.2).
    public static func success(_ identifier: UInt8) -> EAPPacket {
        EAPPacket(code: .success, identifier: identifier)
    }

    /// A Failure (RFC 3748 §4.2).
    public static func failure(_ identifier: UInt8) -> EAPPacket {
        EAPPacket(code: .failure, identifier: identifier)
    }

    /// Decodes one packet. Octets past the Length field are ignored: "Octets outside the
    /// range of the Length field should be treated as Data Link Layer padding and MUST be
    /// ignored upon reception" (RFC 3748 §4.1).
    ///
    /// - Throws: ``EAPPacketError`` for every length that lies and every missing field;
    ///   never traps.
    public init(decoding bytes: some Collection<UInt8>) throws(EAPPacketError) {
        let bytes = Array(bytes)
        guard bytes.count >= Self.headerLength else {
            throw EAPPacketError(.truncatedHeader, "\(bytes.count) octets")
        }
        let length = Int(bytes[2]) << 8 | Int(bytes[3])
        guard length >= Self.headerLength else { throw EAPPacketError(.lengthBelowHeader, "Length \(length)") }
        // "A message with the Length field set to a value larger than the number of
        // received octets MUST be silently discarded." (RFC 3748 §4.1)
        guard length <= bytes.count else {
            throw EAPPacketError(.lengthBeyondData, "Length \(length), \(bytes.count) octets")
        }
        code = EAPCode(rawValue: bytes[0])
        identifier = bytes[1]
        switch code {
        case .request, .response:
            guard length > Self.headerLength else { throw EAPPacketError(.missingType) }
            let type = EAPType(rawValue: bytes[4])
            if type == .expanded, length < Self.headerLength + 1 + 7 {
                throw EAPPacketError(.truncatedExpandedType, "Length \(length)")
            }
            self.type = type
            typeData = Array(bytes[(Self.headerLength + 1)..<length])
        case .success, .failure:
            guard length == Self.headerLength else { throw EAPPacketError(.unexpectedData, "Length \(length)") }
            type = nil
            typeData = []
        default:
            type = nil
            typeData = Array(bytes[Self.headerLength..<length])
        }
    }

    /// The packet an IKEv2 EAP payload carries (its decoder has checked the lengths).
    public init(_ payload: EAPPayload) {
        self.init(code: payload.code, identifier: payload.identifier, type: payload.type, typeData: payload.data)
    }

    /// The packet as an IKEv2 EAP payload (RFC 7296 §3.16).
    public var payload: EAPPayload {
        EAPPayload(code: code, identifier: identifier, type: code.hasType ? type : nil, data: typeData)
    }

    /// The packet's octets, with Length computed. A type is written only for Request and
    /// Response; data beyond 65535 octets of packet is not representable and is cut.
    public func encoded() -> [UInt8] {
        var body: [UInt8] = []
        if code.hasType { body.append((type ?? EAPType(rawValue: 0)).rawValue) }
        if code.hasType || !(code == .success || code == .failure) { body += typeData }
        let length = min(Self.headerLength + body.count, Int(UInt16.max))
        var bytes: [UInt8] = [code.rawValue, identifier, UInt8(length >> 8), UInt8(length & 0xFF)]
        bytes += body.prefix(length - Self.headerLength)
        return bytes
    }
}
