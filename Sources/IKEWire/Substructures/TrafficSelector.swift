import NIOCore

/// A Traffic Selector (RFC 7296 §3.13.1).
///
/// ```
/// +---------------+---------------+---------------+---------------+
/// |   TS Type     |IP Protocol ID*|       Selector Length         |
/// +---------------+---------------+---------------+---------------+
/// |           Start Port*         |           End Port*           |
/// +---------------+---------------+---------------+---------------+
/// ~                         Starting Address*                     ~
/// +---------------+---------------+---------------+---------------+
/// ~                         Ending Address*                       ~
/// +---------------+---------------+---------------+---------------+
/// ```
/// The starred fields are those of the address-range types; a selector of another type
/// keeps its bytes after the Selector Length as ``data``.
public struct TrafficSelector: Hashable, Sendable {
    public var type: TrafficSelectorType
    /// IP protocol number (0: any).
    public var ipProtocolID: UInt8
    public var startPort: UInt16
    public var endPort: UInt16
    /// 4 bytes for IPv4, 16 for IPv6.
    public var startAddress: [UInt8]
    public var endAddress: [UInt8]
    /// For types other than the address ranges: the bytes after Selector Length.
    public var data: [UInt8]

    /// An address-range selector.
    public init(
        type: TrafficSelectorType, ipProtocolID: UInt8 = 0, startPort: UInt16 = 0, endPort: UInt16 = 65535,
        startAddress: [UInt8], endAddress: [UInt8]
    ) {
        self.type = type
        self.ipProtocolID = ipProtocolID
        self.startPort = startPort
        self.endPort = endPort
        self.startAddress = startAddress
        self.endAddress = endAddress
        self.data = []
    }

    /// A selector of a type without an address range.
    public init(type: TrafficSelectorType, data: [UInt8]) {
        self.type = type
        self.ipProtocolID = 0
        self.startPort = 0
        self.endPort = 0
        self.startAddress = []
        self.endAddress = []
        self.data = data
    }

    init(parsing reader: inout WireReader) throws(IKEWireError) {
        let start = reader.offset
        let type = TrafficSelectorType(rawValue: try reader.readUInt8("TS Type"))
        let second = try reader.readUInt8("IP Protocol ID")
        let length = Int(try reader.readUInt16("Selector Length"))
        guard length >= 4 else {
            throw reader.error(.invalidLength, "Selector Length", at: start + 2, "\(length) < 4")
        }
        var body = try reader.readReader(length - 4, "Selector Length")
        guard let addressLength = type.addressLength else {
            self.init(type: type, data: [second] + body.readRest())
            return
        }
        // RFC 7296 §3.13.1: the selector is 16 octets for TS_IPV4_ADDR_RANGE and 40 for
        // TS_IPV6_ADDR_RANGE.
        guard length == 8 + 2 * addressLength else {
            throw reader.error(
                .invalidLength, "Selector Length", at: start + 2,
                "\(length) for \(type), expected \(8 + 2 * addressLength)")
        }
        let startPort = try body.readUInt16("Start Port")
        let endPort = try body.readUInt16("End Port")
        self.init(
            type: type, ipProtocolID: second, startPort: startPort, endPort: endPort,
            startAddress: try body.readBytes(addressLength, "Starting Address"),
            endAddress: try body.readBytes(addressLength, "Ending Address"))
    }

    func write(to buffer: inout ByteBuffer) throws(IKEWireError) {
        let start = buffer.writerIndex
        buffer.writeInteger(type.rawValue)
        if type.addressLength != nil {
            buffer.writeInteger(ipProtocolID)
            try buffer.writeLengthPrefixed16(countingFrom: start, field: "Selector Length") { buffer throws(IKEWireError) in
                buffer.writeInteger(startPort)
                buffer.writeInteger(endPort)
                buffer.writeBytes(startAddress)
                buffer.writeBytes(endAddress)
            }
        } else {
            buffer.writeInteger(data.first ?? 0)
            try buffer.writeLengthPrefixed16(countingFrom: start, field: "Selector Length") { buffer throws(IKEWireError) in
                buffer.writeBytes(data.dropFirst())
            }
        }
    }
}
