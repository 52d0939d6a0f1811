/// IKEv2 Exchange Types (IANA "IKEv2 Exchange Types"; RFC 7296 §3.1).
public struct ExchangeType: IANARegistry {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt8

    public static let ikeSAInit: ExchangeType = 34
    public static let ikeAuth: ExchangeType = 35
    public static let createChildSA: ExchangeType = 36
    public static let informational: ExchangeType = 37
    public static let ikeSessionResume: ExchangeType = 38
    public static let ikeIntermediate: ExchangeType = 43
    public static let ikeFollowupKE: ExchangeType = 44

    public static let names: [UInt8: String] = [
        34: "IKE_SA_INIT", 35: "IKE_AUTH", 36: "CREATE_CHILD_SA", 37: "INFORMATIONAL",
        38: "IKE_SESSION_RESUME", 43: "IKE_INTERMEDIATE", 44: "IKE_FOLLOWUP_KE",
    ]
}
