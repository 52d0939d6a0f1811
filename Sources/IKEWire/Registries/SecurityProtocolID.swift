/// IKEv2 Security Protocol Identifiers (IANA; RFC 7296 §3.3.1), as used in
/// proposals, Notify and Delete payloads.
public struct SecurityProtocolID: IANARegistry {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt8

    /// No protocol: a Notify about the IKE SA as a whole (RFC 7296 §3.10).
    public static let none: SecurityProtocolID = 0
    public static let ike: SecurityProtocolID = 1
    public static let ah: SecurityProtocolID = 2
    public static let esp: SecurityProtocolID = 3

    public static let names: [UInt8: String] = [
        0: "NONE", 1: "IKE", 2: "AH", 3: "ESP", 4: "FC_ESP_HEADER", 5: "FC_CT_AUTHENTICATION",
    ]
}
