/// Why bytes are not an EAP packet (RFC 3748 §4). Equality compares ``code`` only.
public struct EAPPacketError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// Fewer than the four octets of Code, Identifier and Length.
        public static let truncatedHeader = Code(rawValue: 1)
        /// The Length field is below the header's four octets.
        public static let lengthBelowHeader = Code(rawValue: 2)
        /// The Length field counts more octets than there are.
        public static let lengthBeyondData = Code(rawValue: 3)
        /// A Request or Response without its Type octet.
        public static let missingType = Code(rawValue: 4)
        /// A Success or Failure with data after the header.
        public static let unexpectedData = Code(rawValue: 5)
        /// An Expanded Type without its Vendor-Id and Vendor-Type (RFC 3748 §5.7).
        public static let truncatedExpandedType = Code(rawValue: 6)

        public var description: String {
            switch self {
            case .truncatedHeader: "truncated header"
            case .lengthBelowHeader: "length below header"
            case .lengthBeyondData: "length beyond data"
            case .missingType: "missing type"
            case .unexpectedData: "unexpected data"
            case .truncatedExpandedType: "truncated expanded type"
            default: "error \(rawValue)"
            }
        }
    }

    public var code: Code
    private var detail: String

    public init(_ code: Code, _ detail: String = "") {
        self.code = code
        self.detail = detail
    }

    public var description: String { detail.isEmpty ? "\(code)" : "\(code): \(detail)" }

    public static func == (lhs: EAPPacketError, rhs: EAPPacketError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
