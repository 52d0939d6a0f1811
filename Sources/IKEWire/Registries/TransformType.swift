/// IKEv2 Transform Types (IANA; RFC 7296 §3.3.2, RFC 9370).
public struct TransformType: IANARegistry {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public typealias IntegerLiteralType = UInt8

    public static let encryptionAlgorithm: TransformType = 1
    public static let pseudorandomFunction: TransformType = 2
    public static let integrityAlgorithm: TransformType = 3
    public static let keyExchangeMethod: TransformType = 4
    public static let sequenceNumbers: TransformType = 5
    public static let additionalKeyExchange1: TransformType = 6
    public static let additionalKeyExchange7: TransformType = 12

    public static let names: [UInt8: String] = [
        1: "ENCR", 2: "PRF", 3: "INTEG", 4: "KE", 5: "ESN",
        6: "ADDKE1", 7: "ADDKE2", 8: "ADDKE3", 9: "ADDKE4", 10: "ADDKE5", 11: "ADDKE6", 12: "ADDKE7",
    ]

    /// The IANA name of a transform ID of this type, or `nil` when unknown.
    public func transformName(_ id: UInt16) -> String? {
        switch self {
        case .encryptionAlgorithm: EncryptionAlgorithmID(rawValue: id).name
        case .pseudorandomFunction: PseudorandomFunctionID(rawValue: id).name
        case .integrityAlgorithm: IntegrityAlgorithmID(rawValue: id).name
        case .sequenceNumbers: SequenceNumbersID(rawValue: id).name
        default:
            (.keyExchangeMethod ... .additionalKeyExchange7).contains(self)
                ? KeyExchangeMethodID(rawValue: id).name : nil
        }
    }
}
