import IKEWire

/// The signature constraints of swanctl's `auth` beyond plain `pubkey` (`rsa/pss`,
/// `ecdsa-sha384`, `pubkey-sha384-sha256`, `rsa-2048-sha256`, `ike:rsa/pss-sha256`): which
/// signature schemes (RFC 7427) and keys one side of a connection uses or accepts.
///
/// `auth` is a list of tokens separated by `-`. A key token (`pubkey`, `rsa`, `rsa/pss`,
/// `ecdsa`, `ed25519`, each optionally prefixed `ike:`) starts a ``Rule``; a number after
/// `rsa`, `rsa/pss` or `ecdsa` is the smallest key size in bits; hash tokens (`sha256`,
/// `sha384`, `sha512`, `sha1`, `identity`) after it name the hashes the rule allows, in order
/// of preference.
///
/// - On `local`, the rules that apply to AUTH choose the scheme we sign with, in order,
///   among those the peer's SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4) allow.
/// - On `remote`, the peer's AUTH signature must fit one of them, its end-entity key the
///   key sizes, and, as strongSwan does, each signature of its certificate chain one of
///   the ``chainRules``.
public struct SignatureConstraints: Hashable, Sendable {
    /// One key token of `auth` and what follows it.
    public struct Rule: Hashable, Sendable {
        /// Which signatures the key token names.
        public enum Algorithm: Hashable, Sendable, CustomStringConvertible {
            /// `pubkey`: any key; with hashes, RSA PKCS#1 v1.5, ECDSA or (`identity`)
            /// Ed25519 signatures with them.
            case publicKey
            /// `rsa`: an RSA key; with hashes, RSASSA-PKCS1-v1_5 signatures with them.
            case rsa
            /// `rsa/pss`: RSASSA-PSS signatures (RFC 8017 §8.1, RFC 7427 Appendix A.4).
            case rsaPSS
            /// `ecdsa`: an ECDSA key (any curve) and ECDSA signatures.
            case ecdsa
            /// `ed25519`: Ed25519 (RFC 8420).
            case ed25519

            public var description: String {
                switch self {
                case .publicKey: "pubkey"
                case .rsa: "rsa"
                case .rsaPSS: "rsa/pss"
                case .ecdsa: "ecdsa"
                case .ed25519: "ed25519"
                }
            }
        }

        public var algorithm: Algorithm
        /// The hashes allowed, in order of preference; empty allows any.
        public var hashes: [HashAlgorithm]
        /// The smallest key size in bits (`rsa-2048`, `ecdsa-384`), if given.
        public var minimumKeySize: Int?
        /// `ike:`: the rule is about the AUTH signature only, not the certificate chain.
        public var isAuthenticationOnly: Bool

        public init(
            _ algorithm: Algorithm, hashes: [HashAlgorithm] = [], minimumKeySize: Int? = nil,
            isAuthenticationOnly: Bool = false
        ) {
            self.algorithm = algorithm
            self.hashes = hashes
            self.minimumKeySize = minimumKeySize
            self.isAuthenticationOnly = isAuthenticationOnly
        }
    }

    /// The rules in the order written.
    public var rules: [Rule]

    public init(_ rules: [Rule] = []) {
        self.rules = rules
    }

    /// Plain `auth = pubkey`: no constraint.
    public static let none = SignatureConstraints()

    /// The rules the AUTH signature must fit (and, on `local`, that choose it): the `ike:`
    /// rules when there are any, else all (strongSwan's default,
    /// `signature_authentication_constraints = yes`). Empty: any scheme.
    public var authenticationRules: [Rule] {
        let ikeRules = rules.filter(\.isAuthenticationOnly)
        return ikeRules.isEmpty ? rules : ikeRules
    }

    /// The rules each signature of the peer's certificate chain must fit: those without
    /// `ike:` that name hashes (a key token alone names no certificate signature, as in
    /// strongSwan). Empty: any.
    public var chainRules: [Rule] {
        rules.filter { !$0.isAuthenticationOnly && !$0.hashes.isEmpty }
    }

    /// The rules that give a smallest key size.
    public var keySizeRules: [Rule] {
        rules.filter { $0.minimumKeySize != nil }
    }

    /// `auth` as written, for messages (`rsa/pss-sha256`).
    public var text: String {
        rules.map { rule in
            ([(rule.isAuthenticationOnly ? "ike:" : "") + rule.algorithm.description]
                + (rule.minimumKeySize.map { ["\($0)"] } ?? []) + rule.hashes.map(Self.keyword(for:)))
                .joined(separator: "-")
        }.joined(separator: "-")
    }

    static func keyword(for hash: HashAlgorithm) -> String {
        switch hash {
        case .sha1: "sha1"
        case .sha2_256: "sha256"
        case .sha2_384: "sha384"
        case .sha2_512: "sha512"
        case .identity: "identity"
        default: "\(hash)"
        }
    }
}
