import NIOCore

/// A Proposal Substructure (RFC 7296 §3.3.1).
///
/// ```
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Last Substruc |   RESERVED    |         Proposal Length       |
/// +---------------+---------------+---------------+---------------+
/// | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
/// +---------------+---------------+---------------+---------------+
/// ~                        SPI (variable)                         ~
/// +---------------+---------------+---------------+---------------+
/// ~                        <Transforms>                           ~
/// +---------------+---------------+---------------+---------------+
/// ```
public struct Proposal: Hashable, Sendable {
    public var number: UInt8
    public var protocolID: SecurityProtocolID
    /// Empty for an initial IKE SA negotiation, 8 bytes for an IKE SA rekey, 4 for ESP/AH.
    public var spi: [UInt8]
    public var transforms: [Transform]

    public init(number: UInt8, protocolID: SecurityProtocolID, spi: [UInt8] = [], transforms: [Transform]) {
        self.number = number
        self.protocolID = protocolID
        self.spi = spi
        self.transforms = transforms
    }

    /// The transforms of one type, in the order offered.
    public func transforms(ofType type: TransformType) -> [Transform] {
        transforms.filter { $0.type == type }
    }

    static let lastSubstructure: UInt8 = 0
    static let moreSubstructures: UInt8 = 2
    static let headerLength = 8

    init(parsing reader: inout WireReader, isLast: inout Bool) throws(IKEWireError) {
        let start = reader.offset
        let last = try reader.readUInt8("Last Substruc")
        // RFC 7296 §3.3.1: "This field has a value of 0 if this was the last Proposal
        // Substructure, and a value of 2 if there are more Proposal Substructures."
        guard last == Self.lastSubstructure || last == Self.moreSubstructures else {
            throw reader.error(.invalidValue, "Last Substruc", at: start, "proposal: \(last), expected 0 or 2")
        }
        isLast = last == Self.lastSubstructure
        _ = try reader.readUInt8("RESERVED")
        let length = Int(try reader.readUInt16("Proposal Length"))
        guard length >= Self.headerLength else {
            throw reader.error(.invalidLength, "Proposal Length", at: start + 2, "\(length) < 8")
        }
        var body = try reader.readReader(length - 4, "Proposal Length")
        number = try body.readUInt8("Proposal Num")
        protocolID = SecurityProtocolID(rawValue: try body.readUInt8("Protocol ID"))
        let spiSizeOffset = body.offset
        let spiSize = Int(try body.readUInt8("SPI Size"))
        // RFC 7296 §3.3.1: "For an initial IKE SA negotiation, this field MUST be zero ...
        // During subsequent negotiations, it is equal to the size, in octets, of the SPI of
        // the corresponding protocol (8 for IKE, 4 for ESP and AH)."
        let allowed: [Int]? =
            switch protocolID {
            case .ike: [0, 8]
            case .esp, .ah: [4]
            default: nil
            }
        if let allowed, !allowed.contains(spiSize) {
            throw body.error(.invalidValue, "SPI Size", at: spiSizeOffset, "\(spiSize) for \(protocolID)")
        }
        let transformCount = Int(try body.readUInt8("Num Transforms"))
        spi = try body.readBytes(spiSize, "SPI")
        var transforms: [Transform] = []
        var lastSeen = false
        while !body.isAtEnd {
            if lastSeen {
                throw body.error(.invalidValue, "Last Substruc", "a transform follows the one marked last")
            }
            transforms.append(try Transform(parsing: &body, isLast: &lastSeen))
        }
        if !transforms.isEmpty && !lastSeen {
            throw body.error(.invalidValue, "Last Substruc", "the final transform is not marked last")
        }
        // RFC 7296 §3.3.1: "Num Transforms (1 octet) - Specifies the number of transforms
        // in this proposal."
        guard transforms.count == transformCount else {
            throw body.error(
                .invalidCount, "Num Transforms", at: spiSizeOffset + 1,
                "says \(transformCount), found \(transforms.count)")
        }
        self.transforms = transforms
    }

    func write(to buffer: inout ByteBuffer, isLast: Bool) throws(IKEWireError) {
        let start = buffer.writerIndex
        buffer.writeInteger(isLast ? Self.lastSubstructure : Self.moreSubstructures)
        buffer.writeInteger(UInt8(0))
        try buffer.writeLengthPrefixed16(countingFrom: start, field: "Proposal Length") { buffer throws(IKEWireError) in
            buffer.writeInteger(number)
            buffer.writeInteger(protocolID.rawValue)
            try buffer.writeCount(spi.count, as: UInt8.self, field: "SPI Size")
            try buffer.writeCount(transforms.count, as: UInt8.self, field: "Num Transforms")
            buffer.writeBytes(spi)
            for (index, transform) in transforms.enumerated() {
                try transform.write(to: &buffer, isLast: index == transforms.count - 1)
            }
        }
    }
}
