import IKECore

/// Why a peer's certificate chain or identity was refused, in words an operator can act
/// on. Equality compares ``code``.
public struct CertificateValidationFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// No certificate was sent, or one is not valid DER X.509.
        public static let malformedCertificate = Code(rawValue: 1)
        /// A certificate of the chain is past its notAfter.
        public static let expired = Code(rawValue: 2)
        /// A certificate of the chain is before its notBefore.
        public static let notYetValid = Code(rawValue: 3)
        /// No chain leads from the end entity to a configured CA (wrong CA, missing
        /// intermediate, bad signature, or a policy failure of RFC 5280).
        public static let untrustedChain = Code(rawValue: 4)
        /// The identity the peer claimed is not in the end-entity certificate.
        public static let identityMismatch = Code(rawValue: 5)
        /// The end-entity key is of a type IKE authentication does not support.
        public static let unsupportedKey = Code(rawValue: 6)
        /// A certificate of the chain is signed with a scheme the connection's
        /// `remote { auth = … }` does not allow.
        public static let signatureNotAllowed = Code(rawValue: 7)
        /// The chain is valid but passes through none of the CAs the connection names
        /// (`remote { cacerts }`).
        public static let certificateAuthorityMismatch = Code(rawValue: 8)
    }

    public var code: Code
    /// An operator-facing sentence.
    public var text: String

    public init(_ code: Code, _ text: String) {
        self.code = code
        self.text = text
    }

    public var description: String { text }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension CertificateValidationFailure {
    /// This failure as the answer to the engine's validation request, its code kept.
    public var completionFailure: IKECompletionFailure {
        let code: IKECompletionFailure.Code =
            switch self.code {
            case .malformedCertificate: .malformedCertificate
            case .expired: .certificateExpired
            case .notYetValid: .certificateNotYetValid
            case .untrustedChain: .untrustedChain
            case .identityMismatch: .identityMismatch
            case .unsupportedKey: .unsupportedKey
            case .signatureNotAllowed: .certificateSignatureNotAllowed
            case .certificateAuthorityMismatch: .certificateAuthorityMismatch
            default: .unspecified
            }
        return IKECompletionFailure(code, text)
    }
}
