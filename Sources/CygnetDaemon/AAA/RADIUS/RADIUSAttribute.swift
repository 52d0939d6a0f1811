/// One attribute of a RADIUS packet (RFC 2865 §5):
///
/// ```
///  0                   1                   2
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Type      |    Length     |  Value ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// Length counts Type and Length too, so a value has at most 253 octets
/// (``maximumValueLength``).
public struct RADIUSAttribute: Hashable, Sendable {
    /// The most octets a value can have: 255 minus Type and Length.
    public static let maximumValueLength = 253
    /// Service-Type Framed (RFC 2865 §5.6), what strongSwan sends for IKE clients.
    public static let serviceTypeFramed: UInt32 = 2
    /// NAS-Port-Type Virtual (RFC 2865 §5.41), what strongSwan sends for IKE clients.
    public static let nasPortTypeVirtual: UInt32 = 5
    /// Microsoft's SMI Network Management Private Enterprise Code (RFC 2548 §2).
    public static let microsoftVendorID: UInt32 = 311
    /// MS-MPPE-Send-Key (RFC 2548 §2.4.2), a Microsoft vendor type.
    public static let msMPPESendKey: UInt8 = 16
    /// MS-MPPE-Recv-Key (RFC 2548 §2.4.3), a Microsoft vendor type.
    public static let msMPPERecvKey: UInt8 = 17

    public var type: RADIUSAttributeType
    public var value: [UInt8]

    public init(_ type: RADIUSAttributeType, _ value: [UInt8]) {
        self.type = type
        self.value = value
    }

    /// An attribute whose value is a 32-bit unsigned integer in network order (RFC 2865 §5).
    public init(_ type: RADIUSAttributeType, integer: UInt32) {
        self.init(type, [UInt8(integer >> 24), UInt8(truncatingIfNeeded: integer >> 16), UInt8(truncatingIfNeeded: integer >> 8), UInt8(truncatingIfNeeded: integer)])
    }

    /// An attribute whose value is text, sent as UTF-8 without a terminator (RFC 2865 §5).
    public init(_ type: RADIUSAttributeType, text: String) {
        self.init(type, Array(text.utf8))
    }

    /// The value as a 32-bit integer, when it has exactly four octets.
    public var integer: UInt32? {
        guard value.count == 4 else { return nil }
        return value.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// A Vendor-Specific attribute's sub-attributes of one vendor (RFC 2865 §5.26, in the
    /// form of its "SHOULD" and RFC 2548 §2: Vendor-Id, then Vendor-Type, Vendor-Length and
    /// the value, repeated). Empty when this is another attribute, another vendor, or
    /// when a Vendor-Length lies (that part is ignored from there on).
    public func vendorSubAttributes(vendorID: UInt32) -> [(type: UInt8, value: ArraySlice<UInt8>)] {
        guard type == .vendorSpecific, value.count >= 4,
            value[0..<4].reduce(UInt32(0), { $0 << 8 | UInt32($1) }) == vendorID
        else { return [] }
        var found: [(type: UInt8, value: ArraySlice<UInt8>)] = []
        var offset = 4
        while offset + 2 <= value.count {
            let length = Int(value[offset + 1])
            guard length >= 2, offset + length <= value.count else { break }
            found.append((value[offset], value[(offset + 2)..<(offset + length)]))
            offset += length
        }
        return found
    }
}
