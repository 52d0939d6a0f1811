import IKEConfig
import SwiftASN1
import X509

/// What the built-in clients of Windows and macOS/iOS require of a remote-access
/// gateway's certificate beyond a valid chain: the serverAuth extended key usage
/// (id-kp-serverAuth, RFC 5280 §4.2.1.12) and a subjectAltName for the name or address
/// they dial, which is the gateway's IKE identity (Windows sends no IDr and compares the
/// certificate with what it dialled).
public enum GatewayCertificateCheck {
    /// One requirement the certificate misses.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        public struct Code: RawRepresentable, Hashable, Sendable {
            public var rawValue: String
            public init(rawValue: String) { self.rawValue = rawValue }

            /// The certificate does not parse.
            public static let unreadable = Code(rawValue: "unreadable")
            /// No extendedKeyUsage with serverAuth (none at all counts too: the clients
            /// want it named).
            public static let serverAuthMissing = Code(rawValue: "server_auth_missing")
            /// The identity is not among the subjectAltNames.
            public static let identityNotInSubjectAltNames = Code(rawValue: "identity_not_in_subject_alt_names")
        }

        public var code: Code
        /// What was found instead, for the operator.
        public var description: String

        public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
        public func hash(into hasher: inout Hasher) { hasher.combine(code) }
    }

    /// The requirements the end-entity certificate `der` misses for clients that dial
    /// `identity`.
    public static func problems(endEntity der: [UInt8], identity: IKEIdentity) -> [Problem] {
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: der)
        } catch {
            return [Problem(code: .unreadable, description: "the certificate does not parse: \(error)")]
        }
        var problems: [Problem] = []
        do {
            let usages = try certificate.extensions.extendedKeyUsage
            if usages?.contains(.serverAuth) != true {
                problems.append(Problem(
                    code: .serverAuthMissing,
                    description: usages.map { "its extendedKeyUsage is \($0)" } ?? "it has no extendedKeyUsage"))
            }
        } catch {
            problems.append(Problem(code: .serverAuthMissing, description: "its extendedKeyUsage does not parse: \(error)"))
        }
        do {
            try CertificateIdentityMatching.check(identity, in: certificate)
        } catch {
            problems.append(Problem(code: .identityNotInSubjectAltNames, description: error.description))
        }
        return problems
    }
}
