/// A payload of a type Cygnet does not understand, skipped and kept as bytes.
///
/// RFC 7296 §2.5: such a payload without the critical bit is ignored; with the bit set,
/// decoding fails with ``IKEWireError/Code/unsupportedCriticalPayload`` instead.
public struct UnknownPayload: Hashable, Sendable {
    public var type: PayloadType
    public var isCritical: Bool
    /// The bytes after the generic payload header.
    public var body: [UInt8]

    public init(type: PayloadType, isCritical: Bool = false, body: [UInt8]) {
        self.type = type
        self.isCritical = isCritical
        self.body = body
    }
}
