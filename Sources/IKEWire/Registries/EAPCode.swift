/// EAP packet codes (IANA "Extensible Authentication Protocol (EAP) Registry"; RFC 3748 §4).
public struct EAPCode: IANARegistry {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt8

    public static let request: EAPCode = 1
    public static let response: EAPCode = 2
    public static let success: EAPCode = 3
    public static let failure: EAPCode = 4

    public static let names: [UInt8: String] = [1: "Request", 2: "Response", 3: "Success", 4: "Failure"]
}
