import NIOCore

/// Notify payload, N (RFC 7296 §3.10).
///
/// ```
/// +---------------+---------------+---------------+---------------+
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// +---------------+---------------+---------------+---------------+
/// |  Protocol ID  |   SPI Size    |      Notify Message Type      |
/// +---------------+---------------+---------------+---------------+
/// ~                Security Parameter Index (SPI)                 ~
/// +---------------+---------------+---------------+---------------+
/// ~                       Notification Data                       ~
/// +---------------+---------------+---------------+---------------+
/// ```
public struct NotifyPayload: Hashable, Sendable {
    public var protocolID: SecurityProtocolID
    public var spi: [UInt8]
    public var type: NotifyMessageType
    public var data: [UInt8]

    public init(protocolID: SecurityProtocolID = .none, spi: [UInt8] = [], type: NotifyMessageType, data: [UInt8] = []) {
        self.protocolID = protocolID
        self.spi = spi
        self.type = type
        self.data = data
    }

    init(parsing reader: inout WireReader) throws(IKEWireError) {
        protocolID = SecurityProtocolID(rawValue: try reader.readUInt8("Protocol ID"))
        let spiSize = Int(try reader.readUInt8("SPI Size"))
        type = NotifyMessageType(rawValue: try reader.readUInt16("Notify Message Type"))
        spi = try reader.readBytes(spiSize, "SPI")
        data = reader.readRest()
    }

    func write(to buffer: inout ByteBuffer) throws(IKEWireError) {
        buffer.writeInteger(protocolID.rawValue)
        try buffer.writeCount(spi.count, as: UInt8.self, field: "SPI Size")
        buffer.writeInteger(type.rawValue)
        buffer.writeBytes(spi)
        buffer.writeBytes(data)
    }
}
