import IKECrypto

/// The host's answer to a ``IKEEffect/sign(_:)``, ``IKEEffect/validateCertificates(_:)`` or
/// ``IKEEffect/eap(_:)`` request, given to `handleCompletion(_:now:)`.
public enum IKECompletion: Sendable {
    /// The AUTH payload's method and data, or why no signature could be made.
    case signed(IKECompletionID, Result<AuthenticationSignature, IKECompletionFailure>)
    /// The peer's end-entity public key, or why the chain or identity was refused.
    case certificatesValidated(IKECompletionID, Result<PublicKey, IKECompletionFailure>)
    /// The EAP method's answer, or why the host has none (no EAP backend, the AAA server
    /// unreachable): a failure ends the conversation as ``EAPExchangeAnswer/failed(message:)``
    /// does.
    case eap(IKECompletionID, Result<EAPExchangeAnswer, IKECompletionFailure>)

    public var id: IKECompletionID {
        switch self {
        case .signed(let id, _), .certificatesValidated(let id, _), .eap(let id, _): id
        }
    }
}

/// Why the host could not complete a request, in words for the operator ("certificate for
/// 'right.lab.test' expired 2026-01-01"), with a code for tests and logs; it becomes the
/// IKE SA's close reason. Equality compares ``code``.
public struct IKECompletionFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// Why the host refused. The certificate codes are those of a certificate validator
    /// (`IKECertificates.CertificateValidationFailure`).
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// The host gave no finer reason (it is shutting down, it has no key…).
        public static let unspecified = Code(rawValue: 0)
        /// No certificate was sent, or one is not valid DER X.509.
        public static let malformedCertificate = Code(rawValue: 1)
        /// A certificate of the chain is past its notAfter.
        public static let certificateExpired = Code(rawValue: 2)
        /// A certificate of the chain is before its notBefore.
        public static let certificateNotYetValid = Code(rawValue: 3)
        /// No chain leads from the end entity to a configured CA.
        public static let untrustedChain = Code(rawValue: 4)
        /// The identity the peer claimed is not in the end-entity certificate.
        public static let identityMismatch = Code(rawValue: 5)
        /// The end-entity key is of a type IKE authentication does not support.
        public static let unsupportedKey = Code(rawValue: 6)
        /// A certificate of the chain is signed with a scheme `remote { auth = … }` does
        /// not allow.
        public static let certificateSignatureNotAllowed = Code(rawValue: 7)
        /// The chain is valid but passes through none of the CAs the connection names
        /// (``CertificateValidationRequest/certificateAuthorities``).
        public static let certificateAuthorityMismatch = Code(rawValue: 8)
        /// The host has no EAP method or AAA backend for the connection.
        public static let eapBackendUnavailable = Code(rawValue: 9)

        /// A stable snake_case name, for logs.
        public var name: String {
            switch self {
            case .unspecified: "unspecified"
            case .malformedCertificate: "malformed_certificate"
            case .certificateExpired: "certificate_expired"
            case .certificateNotYetValid: "certificate_not_yet_valid"
            case .untrustedChain: "untrusted_chain"
            case .identityMismatch: "identity_mismatch"
            case .unsupportedKey: "unsupported_key"
            case .certificateSignatureNotAllowed: "certificate_signature_not_allowed"
            case .certificateAuthorityMismatch: "certificate_authority_mismatch"
            case .eapBackendUnavailable: "eap_backend_unavailable"
            default: "code_\(rawValue)"
            }
        }

        public var description: String { name }
    }

    public var code: Code
    public var reason: String

    public init(_ reason: String) { self.init(.unspecified, reason) }

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
