/// IKEv2 Payload Types (IANA "IKEv2 Payload Types"; RFC 7296 §3.2, RFC 7383 §2.5).
public struct PayloadType: IANARegistry {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt8

    /// "No Next Payload": ends the chain.
    public static let noNextPayload: PayloadType = 0
    public static let securityAssociation: PayloadType = 33
    public static let keyExchange: PayloadType = 34
    public static let identificationInitiator: PayloadType = 35
    public static let identificationResponder: PayloadType = 36
    public static let certificate: PayloadType = 37
    public static let certificateRequest: PayloadType = 38
    public static let authentication: PayloadType = 39
    public static let nonce: PayloadType = 40
    public static let notify: PayloadType = 41
    public static let delete: PayloadType = 42
    public static let vendorID: PayloadType = 43
    public static let trafficSelectorInitiator: PayloadType = 44
    public static let trafficSelectorResponder: PayloadType = 45
    public static let encrypted: PayloadType = 46
    public static let configuration: PayloadType = 47
    public static let extensibleAuthentication: PayloadType = 48
    public static let encryptedFragment: PayloadType = 53

    public static let names: [UInt8: String] = [
        0: "No Next Payload", 33: "SA", 34: "KE", 35: "IDi", 36: "IDr", 37: "CERT", 38: "CERTREQ",
        39: "AUTH", 40: "Nonce", 41: "N", 42: "D", 43: "V", 44: "TSi", 45: "TSr", 46: "SK",
        47: "CP", 48: "EAP", 49: "GSPM", 50: "IDg", 51: "GSA", 52: "KD", 53: "SKF", 54: "PS",
    ]
}
