import NIOCore

/// Traffic Selector payload, TSi or TSr (RFC 7296 §3.13).
///
/// ```
/// +---------------+---------------+---------------+---------------+
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// +---------------+---------------+---------------+---------------+
/// | Number of TSs |                 RESERVED                      |
/// +---------------+---------------+---------------+---------------+
/// ~                       <Traffic Selectors>                     ~
/// +---------------+---------------+---------------+---------------+
/// ```
public struct TrafficSelectorPayload: Hashable, Sendable {
    public var selectors: [TrafficSelector]

    public init(selectors: [TrafficSelector]) { self.selectors = selectors }

    init(parsing reader: inout WireReader) throws(IKEWireError) {
        let countOffset = reader.offset
        let count = Int(try reader.readUInt8("Number of TSs"))
        _ = try reader.readBytes(3, "RESERVED")
        var selectors: [TrafficSelector] = []
        while !reader.isAtEnd {
            selectors.append(try TrafficSelector(parsing: &reader))
        }
        guard selectors.count == count else {
            throw reader.error(
                .invalidCount, "Number of TSs", at: countOffset, "says \(count), found \(selectors.count)")
        }
        self.selectors = selectors
    }

    func write(to buffer: inout ByteBuffer) throws(IKEWireError) {
        try buffer.writeCount(selectors.count, as: UInt8.self, field: "Number of TSs")
        buffer.writeBytes([0, 0, 0])
        for selector in selectors { try selector.write(to: &buffer) }
    }
}
