import IKEWire

/// A cryptographic operation failed, or a peer sent a value that fails its checks.
///
/// Equality compares ``code`` only; the diagnostic text never contains key material.
public struct IKECryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// The transform is not implemented by this provider.
        public static let unsupportedTransform = Code(rawValue: 1)
        /// A key has the wrong length for its algorithm.
        public static let invalidKeyLength = Code(rawValue: 2)
        /// A peer's key exchange value fails RFC 7296 §3.4 / RFC 6989 checks.
        public static let invalidPublicValue = Code(rawValue: 3)
        /// The integrity check value or AEAD tag did not verify.
        public static let authenticationFailed = Code(rawValue: 4)
        /// Ciphertext, IV or padding has an impossible length or value.
        public static let invalidCiphertext = Code(rawValue: 5)
        /// A signature did not verify, or a signing request cannot be served.
        public static let invalidSignature = Code(rawValue: 6)
        /// A key file or encoded key cannot be read.
        public static let invalidKey = Code(rawValue: 7)
        /// The underlying library reported an internal failure.
        public static let internalFailure = Code(rawValue: 8)
        /// An argument is outside what the operation accepts (e.g. too much prf+ output).
        public static let invalidParameter = Code(rawValue: 9)

        public var description: String {
            switch self {
            case .unsupportedTransform: "unsupported transform"
            case .invalidKeyLength: "invalid key length"
            case .invalidPublicValue: "invalid public value"
            case .authenticationFailed: "authentication failed"
            case .invalidCiphertext: "invalid ciphertext"
            case .invalidSignature: "invalid signature"
            case .invalidKey: "invalid key"
            case .internalFailure: "internal failure"
            case .invalidParameter: "invalid parameter"
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

    /// The Notify RFC 7296 asks for when this error is the peer's doing: a bad KE value
    /// is `INVALID_SYNTAX` (RFC 7296 §3.4, RFC 6989 §2), a failed ICV is dropped silently
    /// (`nil`, §2.21.2), a failed signature is `AUTHENTICATION_FAILED`.
    public var notifyType: NotifyMessageType? {
        switch code {
        case .invalidPublicValue, .invalidCiphertext: .invalidSyntax
        case .invalidSignature: .authenticationFailed
        default: nil
        }
    }

    public var description: String { detail.isEmpty ? "\(code)" : "\(code): \(detail)" }

    public static func == (lhs: IKECryptoError, rhs: IKECryptoError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
