import NIOCore

/// Delete payload, D (RFC 7296 §3.11).
///
/// ```
/// +---------------+---------------+---------------+---------------+
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// +---------------+---------------+---------------+---------------+
/// | Protocol ID   |   SPI Size    |          Num of SPIs          |
/// +---------------+---------------+---------------+---------------+
/// ~               Security Parameter Index(es) (SPI)              ~
/// +---------------+---------------+---------------+---------------+
/// ```
public struct DeletePayload: Hashable, Sendable {
    public var protocolID: SecurityProtocolID
    /// Empty for the IKE SA (its SPIs are in the header); 4-byte SPIs for ESP and AH.
    public var spis: [[UInt8]]

    public init(protocolID: SecurityProtocolID, spis: [[UInt8]] = []) {
        self.protocolID = protocolID
        self.spis = spis
    }

    /// Deletes ESP SAs by their 32-bit SPIs.
    public init(espSPIs: [UInt32]) {
        self.init(protocolID: .esp, spis: espSPIs.map { spi in (0..<4).map { UInt8(truncatingIfNeeded: spi >> (24 - 8 * $0)) } })
    }

    init(parsing reader: inout WireReader) throws(IKEWireError) {
        protocolID = SecurityProtocolID(rawValue: try reader.readUInt8("Protocol ID"))
        let spiSizeOffset = reader.offset
        let spiSize = Int(try reader.readUInt8("SPI Size"))
        // RFC 7296 §3.11: "It MUST be zero for IKE (SPI is in message header) or four for
        // AH and ESP."
        let expected: Int? =
            switch protocolID {
            case .ike: 0
            case .esp, .ah: 4
            default: nil
            }
        if let expected, spiSize != expected {
            throw reader.error(.invalidValue, "SPI Size", at: spiSizeOffset, "\(spiSize) for \(protocolID)")
        }
        let count = Int(try reader.readUInt16("Num of SPIs"))
        guard spiSize * count == reader.remaining else {
            throw reader.error(
                .invalidCount, "Num of SPIs", at: spiSizeOffset + 1,
                "\(count) SPIs of \(spiSize) bytes do not fill \(reader.remaining) bytes")
        }
        var spis: [[UInt8]] = []
        for _ in 0..<(spiSize == 0 ? 0 : count) {
            spis.append(try reader.readBytes(spiSize, "SPI"))
        }
        self.spis = spis
    }

    func write(to buffer: inout ByteBuffer) throws(IKEWireError) {
        buffer.writeInteger(protocolID.rawValue)
        // The SPI Size follows the protocol (RFC 7296 §3.11), even when no SPI is listed.
        let spiSize: Int =
            switch protocolID {
            case .ike: 0
            case .esp, .ah: 4
            default: spis.first?.count ?? 0
            }
        guard spis.allSatisfy({ $0.count == spiSize }) else {
            throw IKEWireError(
                .unencodable, offset: buffer.writerIndex, field: "SPI Size",
                detail: "every SPI of a \(protocolID) Delete must be \(spiSize) bytes")
        }
        try buffer.writeCount(spiSize, as: UInt8.self, field: "SPI Size")
        try buffer.writeCount(spis.count, as: UInt16.self, field: "Num of SPIs")
        for spi in spis { buffer.writeBytes(spi) }
    }
}
