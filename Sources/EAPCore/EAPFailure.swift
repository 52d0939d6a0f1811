/// Why an EAP conversation ended without success. Equality compares ``code`` only; the
/// diagnostic text never holds a secret (it may hold escaped peer text).
public struct EAPFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// Authenticator: the peer's answer does not match the password. Peer: the
        /// authenticator said so (MS-CHAPv2 Failure, error 691).
        public static let wrongPassword = Code(rawValue: 1)
        /// Authenticator: the credential lookup knows no such identity.
        public static let unknownUser = Code(rawValue: 2)
        /// A packet of a method other than the one under way.
        public static let unexpectedMethod = Code(rawValue: 3)
        /// A packet that does not fit the conversation's state: a wrong Identifier, an
        /// MS-CHAPv2 opcode out of turn, a Success before the method finished, anything
        /// after the end.
        public static let outOfOrder = Code(rawValue: 4)
        /// Bytes that are not an EAP packet, or method data that does not decode.
        public static let malformed = Code(rawValue: 5)
        /// Peer: the authenticator sent EAP-Failure, or an MS-CHAPv2 Failure other than
        /// a wrong password.
        public static let rejected = Code(rawValue: 6)
        /// Authenticator: the peer refused every method offered (Nak, RFC 3748 §5.3).
        public static let noCommonMethod = Code(rawValue: 7)
        /// Authenticator: the identity's credential cannot serve the method (an NT hash
        /// for MD5-Challenge).
        public static let unusableCredential = Code(rawValue: 8)
        /// Peer: the authenticator's proof (MS-CHAPv2 `S=`, RFC 2759 §8.7) is wrong; it
        /// does not know the password.
        public static let authenticatorNotVerified = Code(rawValue: 9)
        /// Authenticator: the peer ended the method (an MS-CHAPv2 Failure Response: it
        /// could not verify us).
        public static let abortedByPeer = Code(rawValue: 10)
        /// EAP-TLS: the TLS handshake failed (a certificate that does not validate, an
        /// alert, a protocol error) or ended without key material.
        public static let tlsFailed = Code(rawValue: 11)
        /// EAP-TLS: the other side's certificate validated, but does not name the
        /// identity it authenticates as (the peer's EAP identity, the gateway's IKE
        /// identity). The caller checks this, with the certificate the method exposes.
        public static let certificateMismatch = Code(rawValue: 12)

        public var description: String {
            switch self {
            case .wrongPassword: "wrong password"
            case .unknownUser: "unknown user"
            case .unexpectedMethod: "unexpected method"
            case .outOfOrder: "out of order"
            case .malformed: "malformed"
            case .rejected: "rejected"
            case .noCommonMethod: "no common method"
            case .unusableCredential: "unusable credential"
            case .authenticatorNotVerified: "authenticator not verified"
            case .abortedByPeer: "aborted by peer"
            case .tlsFailed: "TLS failed"
            case .certificateMismatch: "certificate mismatch"
            default: "failure \(rawValue)"
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

    public static func == (lhs: EAPFailure, rhs: EAPFailure) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
