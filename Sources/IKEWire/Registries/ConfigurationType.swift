/// IKEv2 Configuration Payload CFG Types (IANA; RFC 7296 §3.15).
public struct ConfigurationType: IANARegistry {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt8

    public static let request: ConfigurationType = 1
    public static let reply: ConfigurationType = 2
    public static let set: ConfigurationType = 3
    public static let ack: ConfigurationType = 4

    public static let names: [UInt8: String] = [1: "CFG_REQUEST", 2: "CFG_REPLY", 3: "CFG_SET", 4: "CFG_ACK"]
}
