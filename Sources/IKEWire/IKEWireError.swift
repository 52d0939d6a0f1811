/// An error found while decoding or checking an IKEv2 message.
///
/// Every error names the byte offset in the message where the problem was found and
/// the field that was wrong, so an operator (and `cygnet decode`) can point at it.
/// Equality compares ``code`` only.
public struct IKEWireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// The message ended before a field it announced.
        public static let truncated = Code(rawValue: 1)
        /// A length field disagrees with the bytes around it.
        public static let invalidLength = Code(rawValue: 2)
        /// The IKE major version is not 2 (RFC 7296 §3.1).
        public static let invalidMajorVersion = Code(rawValue: 3)
        /// A field holds a value the RFC forbids.
        public static let invalidValue = Code(rawValue: 4)
        /// A payload of an unknown type had its critical bit set (RFC 7296 §2.5).
        public static let unsupportedCriticalPayload = Code(rawValue: 5)
        /// A count field disagrees with the items present.
        public static let invalidCount = Code(rawValue: 6)
        /// The Encrypted payload is not the last payload.
        public static let encryptedPayloadNotLast = Code(rawValue: 7)
        /// Bytes remain after the last payload of the chain.
        public static let trailingBytes = Code(rawValue: 8)
        /// The exchange's rules do not allow this payload here.
        public static let payloadNotAllowed = Code(rawValue: 9)
        /// The payload appears more often than the exchange's rules allow.
        public static let tooManyPayloads = Code(rawValue: 10)
        /// A payload the exchange's rules require is missing.
        public static let missingPayload = Code(rawValue: 11)
        /// The payload must be inside the Encrypted payload but is not.
        public static let payloadNotEncrypted = Code(rawValue: 12)
        /// A value cannot be encoded (for example a field too long for its length prefix).
        public static let unencodable = Code(rawValue: 13)

        public var description: String {
            switch self {
            case .truncated: "truncated"
            case .invalidLength: "invalid length"
            case .invalidMajorVersion: "invalid major version"
            case .invalidValue: "invalid value"
            case .unsupportedCriticalPayload: "unsupported critical payload"
            case .invalidCount: "invalid count"
            case .encryptedPayloadNotLast: "encrypted payload not last"
            case .trailingBytes: "trailing bytes"
            case .payloadNotAllowed: "payload not allowed"
            case .tooManyPayloads: "too many payloads"
            case .missingPayload: "missing payload"
            case .payloadNotEncrypted: "payload not encrypted"
            case .unencodable: "unencodable"
            default: "error \(rawValue)"
            }
        }
    }

    /// What kind of problem this is.
    public var code: Code
    /// Byte offset from the start of the IKE header at which the problem was found.
    public var offset: Int
    /// The field that was wrong, in RFC words ("Payload Length", "Transform Type").
    public var field: String
    /// The payload concerned, when there is one: for ``Code/unsupportedCriticalPayload``
    /// this is the type the engine names in its `UNSUPPORTED_CRITICAL_PAYLOAD` notify.
    public var payloadType: PayloadType?
    private var detail: String

    init(_ code: Code, offset: Int, field: String, payloadType: PayloadType? = nil, detail: String = "") {
        self.code = code
        self.offset = offset
        self.field = field
        self.payloadType = payloadType
        self.detail = detail
    }

    /// The Notify message type RFC 7296 asks a responder to send for this error.
    ///
    /// RFC 7296 §2.5: an unknown critical payload gets `UNSUPPORTED_CRITICAL_PAYLOAD`;
    /// §3.1: a higher major version gets `INVALID_MAJOR_VERSION`; everything else that
    /// is malformed is `INVALID_SYNTAX` (§3.10.1).
    public var notifyType: NotifyMessageType {
        switch code {
        case .unsupportedCriticalPayload: .unsupportedCriticalPayload
        case .invalidMajorVersion: .invalidMajorVersion
        default: .invalidSyntax
        }
    }

    public var description: String {
        var text = "\(code) at offset \(offset), field '\(field)'"
        if let payloadType { text += " of \(payloadType)" }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }

    public static func == (lhs: IKEWireError, rhs: IKEWireError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
