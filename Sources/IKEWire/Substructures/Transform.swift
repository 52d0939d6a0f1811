import NIOCore

/// A Transform Substructure (RFC 7296 §3.3.2).
///
/// ```
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Last Substruc |   RESERVED    |        Transform Length       |
/// +---------------+---------------+---------------+---------------+
/// |Transform Type |   RESERVED    |          Transform ID         |
/// +---------------+---------------+---------------+---------------+
/// ~                      Transform Attributes                     ~
/// +---------------+---------------+---------------+---------------+
/// ```
public struct Transform: Hashable, Sendable {
    public var type: TransformType
    /// The transform ID, whose registry depends on ``type``.
    public var id: UInt16
    public var attributes: [TransformAttribute]

    public init(type: TransformType, id: UInt16, attributes: [TransformAttribute] = []) {
        self.type = type
        self.id = id
        self.attributes = attributes
    }

    public init(_ encryption: EncryptionAlgorithmID, keyLength: UInt16? = nil) {
        self.init(
            type: .encryptionAlgorithm, id: encryption.rawValue,
            attributes: keyLength.map { [.keyLength($0)] } ?? [])
    }

    public init(_ prf: PseudorandomFunctionID) { self.init(type: .pseudorandomFunction, id: prf.rawValue) }
    public init(_ integrity: IntegrityAlgorithmID) { self.init(type: .integrityAlgorithm, id: integrity.rawValue) }
    public init(_ method: KeyExchangeMethodID) { self.init(type: .keyExchangeMethod, id: method.rawValue) }
    public init(_ esn: SequenceNumbersID) { self.init(type: .sequenceNumbers, id: esn.rawValue) }

    /// The Key Length attribute, in bits, if present.
    public var keyLength: UInt16? {
        for attribute in attributes where attribute.type == .keyLength {
            if case .short(let bits) = attribute.value { return bits }
        }
        return nil
    }

    /// The IANA name of the transform ID, or its number.
    public var idDescription: String { type.transformName(id) ?? "\(id)" }

    static let lastSubstructure: UInt8 = 0
    static let moreSubstructures: UInt8 = 3
    static let headerLength = 8

    /// Parses one transform; returns whether more transforms follow.
    init(parsing reader: inout WireReader, isLast: inout Bool) throws(IKEWireError) {
        let start = reader.offset
        let last = try reader.readUInt8("Last Substruc")
        // RFC 7296 §3.3.2: "This field has a value of 0 if this was the last Transform
        // Substructure, and a value of 3 if there are more Transform Substructures."
        guard last == Self.lastSubstructure || last == Self.moreSubstructures else {
            throw reader.error(.invalidValue, "Last Substruc", at: start, "transform: \(last), expected 0 or 3")
        }
        isLast = last == Self.lastSubstructure
        _ = try reader.readUInt8("RESERVED")
        let length = Int(try reader.readUInt16("Transform Length"))
        guard length >= Self.headerLength else {
            throw reader.error(.invalidLength, "Transform Length", at: start + 2, "\(length) < 8")
        }
        var body = try reader.readReader(length - 4, "Transform Length")
        type = TransformType(rawValue: try body.readUInt8("Transform Type"))
        _ = try body.readUInt8("RESERVED")
        id = try body.readUInt16("Transform ID")
        var attributes: [TransformAttribute] = []
        while !body.isAtEnd {
            attributes.append(try TransformAttribute(parsing: &body))
        }
        self.attributes = attributes
    }

    func write(to buffer: inout ByteBuffer, isLast: Bool) throws(IKEWireError) {
        let start = buffer.writerIndex
        buffer.writeInteger(isLast ? Self.lastSubstructure : Self.moreSubstructures)
        buffer.writeInteger(UInt8(0))
        try buffer.writeLengthPrefixed16(countingFrom: start, field: "Transform Length") { buffer throws(IKEWireError) in
            buffer.writeInteger(type.rawValue)
            buffer.writeInteger(UInt8(0))
            buffer.writeInteger(id)
            for attribute in attributes { try attribute.write(to: &buffer) }
        }
    }
}
