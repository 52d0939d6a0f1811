import IKEWire

/// swanctl's `auth` values for public key authentication with signature constraints
/// (strongSwan's `auth_cfg` pubkey constraints), as ``SignatureConstraints``.
public enum SignatureConstraintText {
    /// Whether `text` is written as signature constraints: it starts with a key token
    /// (`pubkey-…`, `rsa…`, `ecdsa…`, `ed25519…`, `ike:…`) or names one strongSwan
    /// has and Cygnet does not (`bliss`, `ed448`).
    public static func looksLikeConstraints(_ text: String) -> Bool {
        ["pubkey-", "rsa", "ecdsa", "ed25519", "ed448", "bliss", "ike:"].contains(where: text.lowercased().hasPrefix)
    }

    /// The constraints `text` writes, or why it cannot be used.
    ///
    /// Tokens, separated by `-`: key tokens `pubkey`, `rsa`, `rsa/pss`, `ecdsa`, `ed25519`
    /// (each optionally `ike:…`); after `rsa`, `rsa/pss` or `ecdsa` a smallest key size in
    /// bits; hash tokens `sha256`, `sha384`, `sha512`, `sha1` (RSA PKCS#1 v1.5 only) and
    /// `identity` (Ed25519 only), which belong to the key token before them.
    public static func parse(_ text: String) -> Result<SignatureConstraints, ProposalSyntaxError> {
        var rules: [SignatureConstraints.Rule] = []
        var offset = 0
        var expectsKeySize = false
        for token in text.lowercased().split(separator: "-", omittingEmptySubsequences: false).map(String.init) {
            defer { offset += token.unicodeScalars.count + 1 }
            if token.isEmpty {
                return .failure(ProposalSyntaxError("empty item in auth '\(text)'", hint: hint, offset: offset))
            }
            let isAuthenticationOnly = token.hasPrefix("ike:")
            if let algorithm = Self.algorithms[isAuthenticationOnly ? String(token.dropFirst(4)) : token] {
                rules.append(SignatureConstraints.Rule(algorithm, isAuthenticationOnly: isAuthenticationOnly))
                expectsKeySize = [.rsa, .rsaPSS, .ecdsa].contains(algorithm)
                continue
            }
            let keySizeFollows = expectsKeySize
            expectsKeySize = false
            guard let last = rules.indices.last else {
                if let error = unknownOrUnsupported(token, text, offset: offset) { return .failure(error) }
                guard Self.hashes[token] != nil else {
                    return .failure(ProposalSyntaxError("unknown key type '\(token)' in auth '\(text)'", hint: hint, offset: offset))
                }
                return .failure(ProposalSyntaxError(
                    "auth '\(text)' must start with a key type, not '\(token)'",
                    hint: "write e.g. pubkey-\(token), rsa-\(token) or ecdsa-\(token)", offset: offset))
            }
            if let bits = Int(token) {
                guard keySizeFollows, (1...16384).contains(bits) else {
                    return .failure(ProposalSyntaxError(
                        "key size '\(token)' in auth '\(text)' must follow rsa, rsa/pss or ecdsa and lie in 1...16384",
                        hint: "write e.g. rsa-2048-sha256 or ecdsa-384", offset: offset))
                }
                rules[last].minimumKeySize = bits
                continue
            }
            guard let hash = Self.hashes[token] else {
                return .failure(
                    unknownOrUnsupported(token, text, offset: offset)
                        ?? ProposalSyntaxError("unknown item '\(token)' in auth '\(text)'", hint: hint, offset: offset))
            }
            if let error = check(hash, after: rules[last].algorithm, text, offset: offset) { return .failure(error) }
            if !rules[last].hashes.contains(hash) { rules[last].hashes.append(hash) }
        }
        return .success(SignatureConstraints(rules))
    }

    private static let hint =
        "write pubkey, rsa, rsa/pss, ecdsa or ed25519, optionally followed by a key size and hashes, e.g. rsa/pss-sha256 or ecdsa-384-sha384"

    private static let algorithms: [String: SignatureConstraints.Rule.Algorithm] = [
        "pubkey": .publicKey, "rsa": .rsa, "rsa/pss": .rsaPSS, "ecdsa": .ecdsa, "ed25519": .ed25519,
    ]

    private static let hashes: [String: HashAlgorithm] = [
        "sha1": .sha1, "sha256": .sha2_256, "sha384": .sha2_384, "sha512": .sha2_512, "identity": .identity,
    ]

    /// Tokens strongSwan knows and Cygnet does not implement.
    private static func unknownOrUnsupported(_ token: String, _ text: String, offset: Int) -> ProposalSyntaxError? {
        let name = token.hasPrefix("ike:") ? String(token.dropFirst(4)) : token
        switch name {
        case "md5", "sha224":
            return ProposalSyntaxError(
                "'\(token)' signatures in auth '\(text)' are not supported", hint: "use sha256, sha384 or sha512",
                offset: offset, isUnsupported: true)
        case "bliss", "ed448":
            return ProposalSyntaxError(
                "\(name == "bliss" ? "BLISS" : "Ed448") keys ('\(token)') are not supported",
                hint: "use rsa, rsa/pss, ecdsa or ed25519", offset: offset, isUnsupported: true)
        default:
            return nil
        }
    }

    /// Whether `hash` can go with `algorithm`: SHA-1 only in RSA PKCS#1 v1.5 (method 1;
    /// RFC 8247 §3.2 keeps it for interoperability only), Identity only with Ed25519
    /// (RFC 8420 §2), Ed25519 with nothing else.
    private static func check(
        _ hash: HashAlgorithm, after algorithm: SignatureConstraints.Rule.Algorithm, _ text: String, offset: Int
    ) -> ProposalSyntaxError? {
        switch (algorithm, hash) {
        case (.ed25519, .identity), (.publicKey, _), (.rsa, .sha1), (.rsa, .sha2_256), (.rsa, .sha2_384),
            (.rsa, .sha2_512), (.rsaPSS, .sha2_256), (.rsaPSS, .sha2_384), (.rsaPSS, .sha2_512),
            (.ecdsa, .sha2_256), (.ecdsa, .sha2_384), (.ecdsa, .sha2_512):
            return nil
        case (.ed25519, _):
            return ProposalSyntaxError(
                "Ed25519 signs with no separate hash (RFC 8420), so '\(keyword(hash))' cannot follow ed25519 in auth '\(text)'",
                hint: "write ed25519 alone", offset: offset)
        case (_, .identity):
            return ProposalSyntaxError(
                "'identity' (no hash) is for Ed25519 only, not \(algorithm) in auth '\(text)'",
                hint: "write ed25519 or pubkey-identity", offset: offset)
        default:
            return ProposalSyntaxError(
                "\(algorithm) with '\(keyword(hash))' in auth '\(text)' is not supported: Cygnet accepts SHA-1 only in RSA PKCS#1 v1.5 signatures",
                hint: "use sha256, sha384 or sha512", offset: offset, isUnsupported: true)
        }
    }

    private static func keyword(_ hash: HashAlgorithm) -> String { SignatureConstraints.keyword(for: hash) }
}
