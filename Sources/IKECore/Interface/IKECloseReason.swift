/// Why an IKE SA closed: shown by `cygnet status`, logs and metrics.
public struct IKECloseReason: Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        public static let deletedLocally = Code(rawValue: 1)
        public static let deletedByPeer = Code(rawValue: 2)
        /// No answer after every retransmission.
        public static let peerUnreachable = Code(rawValue: 3)
        public static let noProposalChosen = Code(rawValue: 4)
        public static let authenticationFailed = Code(rawValue: 5)
        /// The peer answered with an error notify.
        public static let peerError = Code(rawValue: 6)
        /// A half-open SA was never completed.
        public static let halfOpenTimeout = Code(rawValue: 7)
        /// The peer broke the protocol (a response that does not fit, bad values).
        public static let protocolError = Code(rawValue: 8)
        /// The IKE SA was replaced by a rekeyed one.
        public static let rekeyed = Code(rawValue: 9)
        /// The hard lifetime (`over_time` after the rekey or reauthentication point)
        /// passed before a rekey or reauthentication replaced the SA.
        public static let expired = Code(rawValue: 10)
        /// Deleted by its original initiator to be replaced by a fresh IKE_SA_INIT and
        /// IKE_AUTH (`reauth_time`).
        public static let reauthenticated = Code(rawValue: 11)
        /// The host did not answer a signing, certificate validation or EAP request
        /// (``IKECompletion``) within ``IKEEngineConfiguration/completionTimeout``.
        public static let completionTimeout = Code(rawValue: 12)

        /// A stable snake_case name, for status output and metric labels.
        public var name: String {
            switch self {
            case .deletedLocally: "deleted_locally"
            case .deletedByPeer: "deleted_by_peer"
            case .peerUnreachable: "peer_unreachable"
            case .noProposalChosen: "no_proposal_chosen"
            case .authenticationFailed: "authentication_failed"
            case .peerError: "peer_error"
            case .halfOpenTimeout: "half_open_timeout"
            case .protocolError: "protocol_error"
            case .rekeyed: "rekeyed"
            case .expired: "expired"
            case .reauthenticated: "reauthenticated"
            case .completionTimeout: "completion_timeout"
            default: "code_\(rawValue)"
            }
        }
    }

    /// What exactly failed, finer than ``Code-swift.struct``: why an authentication
    /// failed (a certificate's validation failure among them), for tests and logs.
    public struct Cause: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// No connection accepts the peer's identity (IDi), or IDr, from its address.
        public static let unexpectedIdentity = Cause(rawValue: 1)
        /// No pre-shared key for the pair of identities.
        public static let noSharedKey = Cause(rawValue: 2)
        /// The peer's AUTH did not verify with the pre-shared key.
        public static let sharedKeyMismatch = Cause(rawValue: 3)
        /// The peer sent no X.509 certificate where the connection authenticates it with one.
        public static let missingCertificate = Cause(rawValue: 4)
        /// The peer's AUTH signature did not verify with the key of its certificate.
        public static let signatureInvalid = Cause(rawValue: 5)
        /// The host refused the peer's certificate; ``IKECloseReason/completionFailure``
        /// says why.
        public static let certificateRefused = Cause(rawValue: 6)
        /// The host could not sign our AUTH.
        public static let signingFailed = Cause(rawValue: 7)
        /// The peer refused our authentication (AUTHENTICATION_FAILED).
        public static let refusedByPeer = Cause(rawValue: 8)
        /// The IKE_AUTH message lacks the identity or AUTH payload.
        public static let missingPayload = Cause(rawValue: 9)
        /// `unique = keep` refused a second IKE SA of the same identity.
        public static let duplicateIdentity = Cause(rawValue: 10)
        /// The peer's AUTH signature verified, but with a scheme `remote { auth = … }`
        /// does not allow (e.g. RSA PKCS#1 v1.5 where `rsa/pss` is required).
        public static let signatureSchemeNotAllowed = Cause(rawValue: 11)
        /// The peer's key is of a type or size `remote { auth = … }` does not allow
        /// (e.g. an RSA key for `ecdsa`, 2048 bits for `rsa-3072`).
        public static let keyNotAllowed = Cause(rawValue: 12)
        /// The connection chosen by identity in IKE_AUTH does not allow the IKE proposal
        /// chosen in IKE_SA_INIT for another connection.
        public static let ikeProposalNotAllowed = Cause(rawValue: 13)
        /// The peer's Configuration payload breaks RFC 7296 §3.15.1 (an attribute of the
        /// wrong length).
        public static let malformedConfiguration = Cause(rawValue: 20)
        /// The EAP conversation failed (RFC 7296 §2.16): the method or the host refused the
        /// peer (``IKECloseReason/completionFailure`` says why when the host had no
        /// answer), or the gateway sent EAP Failure.
        public static let eapFailed = Cause(rawValue: 14)
        /// The AUTH payload after EAP Success did not verify with the EAP method's MSK.
        public static let eapKeyMismatch = Cause(rawValue: 15)
        /// EAP or AUTH payloads where the EAP conversation of RFC 7296 §2.16 does not allow
        /// them: EAP where the connection uses none, EAP in the first IKE_AUTH request,
        /// EAP Success before any method ran, EAP after Success, AUTH before it.
        public static let eapOutOfOrder = Cause(rawValue: 16)
        /// The EAP method derived no MSK, and the connection does not allow such a method
        /// (only `auth = eap-md5` does).
        public static let eapMethodWithoutKey = Cause(rawValue: 17)
        /// EAP-only authentication (RFC 5998) where one side will not have it: the
        /// initiator did not send EAP_ONLY_AUTHENTICATION to a responder that
        /// authenticates itself with EAP only.
        public static let eapOnlyNotOffered = Cause(rawValue: 21)
        /// EAP-only authentication (RFC 5998) with a method §4 does not allow (one that
        /// is not mutual, derives no key or is open to dictionary attacks).
        public static let eapMethodNotAllowed = Cause(rawValue: 22)

        /// A stable snake_case name, for logs.
        public var name: String {
            switch self {
            case .unexpectedIdentity: "unexpected_identity"
            case .noSharedKey: "no_shared_key"
            case .sharedKeyMismatch: "shared_key_mismatch"
            case .missingCertificate: "missing_certificate"
            case .signatureInvalid: "signature_invalid"
            case .certificateRefused: "certificate_refused"
            case .signingFailed: "signing_failed"
            case .refusedByPeer: "refused_by_peer"
            case .missingPayload: "missing_payload"
            case .duplicateIdentity: "duplicate_identity"
            case .signatureSchemeNotAllowed: "signature_scheme_not_allowed"
            case .keyNotAllowed: "key_not_allowed"
            case .ikeProposalNotAllowed: "ike_proposal_not_allowed"
            case .malformedConfiguration: "malformed_configuration"
            case .eapFailed: "eap_failed"
            case .eapKeyMismatch: "eap_key_mismatch"
            case .eapOutOfOrder: "eap_out_of_order"
            case .eapMethodWithoutKey: "eap_method_without_key"
            case .eapOnlyNotOffered: "eap_only_not_offered"
            case .eapMethodNotAllowed: "eap_method_not_allowed"
            default: "cause_\(rawValue)"
            }
        }

        public var description: String { name }
    }

    public var code: Code
    /// What exactly failed, when the code alone does not say.
    public var cause: Cause?
    /// For ``Cause-swift.struct/certificateRefused``, ``Cause-swift.struct/signingFailed`` and
    /// ``Cause-swift.struct/eapFailed``:
    /// the code of the host's answer (a certificate validation failure's code).
    public var completionFailure: IKECompletionFailure.Code?
    /// An operator-facing sentence: what happened and what to do.
    public var text: String

    public init(_ code: Code, _ text: String, cause: Cause? = nil, completionFailure: IKECompletionFailure.Code? = nil) {
        self.code = code
        self.text = text
        self.cause = cause
        self.completionFailure = completionFailure
    }

    public var description: String { text }

    public static func == (lhs: IKECloseReason, rhs: IKECloseReason) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
