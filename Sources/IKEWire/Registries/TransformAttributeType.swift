/// IKEv2 Transform Attribute Types (IANA; RFC 7296 §3.3.5).
public struct TransformAttributeType: IANARegistry {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt16

    /// Key Length, in bits. RFC 7296 §3.3.5: it uses the TV format.
    public static let keyLength: TransformAttributeType = 14

    public static let names: [UInt16: String] = [14: "Key Length"]
}
