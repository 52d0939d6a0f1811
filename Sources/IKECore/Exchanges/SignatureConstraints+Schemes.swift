import IKEConfig
import IKECrypto
import IKEWire

/// What ``SignatureConstraints`` mean for the schemes of IKECrypto: the scheme we sign with
/// (`local { auth }`) and the schemes, keys and certificate signatures we accept
/// (`remote { auth }`).
extension SignatureConstraints {
    /// The scheme to sign with a key of `keyType`, given the hashes the peer announced in
    /// SIGNATURE_HASH_ALGORITHMS (`nil`: none).
    ///
    /// Without rules for AUTH this is `SignatureScheme.preferred(for:peerHashes:preferPSS:)`.
    /// Otherwise the rules are tried in the order written, each with its hashes in order (a
    /// key type alone with Cygnet's order for the key): the first method-14 scheme (RFC 7427)
    /// with a hash the peer announced wins (RFC 7427 §4: the signer uses a hash the
    /// verifier listed); failing that, the classic method of the key type (RFC 7296 §3.8,
    /// RFC 4754) when a rule allows it.
    ///
    /// - Throws: `IKECryptoError.Code.invalidSignature` when no scheme fits the key, the
    ///   rules and the peer.
    public func signingScheme(for keyType: KeyType, peerHashes: SignatureHashAlgorithms?) throws(IKECryptoError)
        -> SignatureScheme
    {
        let rules = authenticationRules
        guard !rules.isEmpty else { return try SignatureScheme.preferred(for: keyType, peerHashes: peerHashes) }
        let usable = rules.filter { $0.fits(keyType) }
        if let peerHashes {
            for rule in usable {
                for hash in rule.hashes.isEmpty ? SignatureScheme.preferredHashes(for: keyType) : rule.hashes
                where peerHashes.contains(hash) {
                    if let scheme = rule.scheme(for: keyType, hash: hash) { return scheme }
                }
            }
        }
        if let classic = SignatureScheme.classic(for: keyType), usable.contains(where: { $0.allows(classic) }) {
            return classic
        }
        throw IKECryptoError(
            .invalidSignature,
            "local auth = \(text) allows no signature with an \(keyType) key that the peer can verify (it announced "
                + "\(peerHashes.map(\.description) ?? "no SIGNATURE_HASH_ALGORITHMS"))")
    }

    /// Whether the peer may sign AUTH with `scheme`: some rule for AUTH allows it (no rule:
    /// any scheme).
    public func allowsAuthentication(_ scheme: SignatureScheme) -> Bool {
        let rules = authenticationRules
        return rules.isEmpty || rules.contains { $0.allows(scheme) }
    }

    /// Whether the peer's end-entity key may be of `keyType`: some rule for AUTH can be met
    /// with it, and, when key sizes are given, a size for its kind is at most its size (as
    /// strongSwan checks them: `rsa-2048` alone refuses ECDSA keys, Ed25519 keys have no
    /// size to check).
    public func allowsKey(_ keyType: KeyType) -> Bool {
        let rules = authenticationRules
        guard rules.isEmpty || rules.contains(where: { $0.canSign(with: keyType) }) else { return false }
        let sizes = keySizeRules
        guard !sizes.isEmpty, let bits = keyType.strength else { return true }
        return sizes.contains { rule in
            rule.algorithm.keyFamily == keyType.family && (rule.minimumKeySize ?? 0) <= bits
        }
    }

    /// Whether a certificate of the peer's chain may be signed with `scheme` (strongSwan
    /// applies the rules without `ike:` that name hashes to every signature of the chain
    /// up to the trust anchor). No such rule: any.
    public func allowsCertificateSignature(_ scheme: SignatureScheme) -> Bool {
        let rules = chainRules
        return rules.isEmpty || rules.contains { $0.allows(scheme) }
    }
}

extension SignatureConstraints.Rule {
    /// Whether the rule allows `scheme`.
    func allows(_ scheme: SignatureScheme) -> Bool {
        let kind = scheme.kind
        let familyFits =
            switch algorithm {
            // RSASSA-PSS only when named (strongSwan's default `rsa_pss = no`), except for a
            // bare `pubkey` or `rsa`, which constrain nothing but the key.
            case .publicKey: hashes.isEmpty || kind != .rsaPSS
            case .rsa: kind == .rsaPKCS1 || (kind == .rsaPSS && hashes.isEmpty)
            case .rsaPSS: kind == .rsaPSS
            case .ecdsa: kind == .ecdsa
            case .ed25519: kind == .ed25519
            }
        return familyFits && (hashes.isEmpty || hashes.contains(scheme.hashAlgorithm))
    }

    /// Whether a key of `keyType` meets the rule's algorithm and size.
    func fits(_ keyType: KeyType) -> Bool {
        guard algorithm.keyFamily == nil || algorithm.keyFamily == keyType.family else { return false }
        guard let minimum = minimumKeySize else { return true }
        return (keyType.strength ?? 0) >= minimum
    }

    /// Whether a key of `keyType` can make a signature this rule allows (size aside).
    func canSign(with keyType: KeyType) -> Bool {
        guard algorithm.keyFamily == nil || algorithm.keyFamily == keyType.family else { return false }
        guard !hashes.isEmpty else { return true }
        return hashes.contains { scheme(for: keyType, hash: $0) != nil }
    }

    /// The method-14 scheme of this rule for `keyType` and `hash`, if there is one.
    func scheme(for keyType: KeyType, hash: HashAlgorithm) -> SignatureScheme? {
        let scheme: SignatureScheme
        switch (keyType.family, algorithm) {
        case (.rsa, .rsaPSS): scheme = .rsaPSS(hash, saltLength: hash.digestLength)
        case (.rsa, .rsa), (.rsa, .publicKey): scheme = .rsaPKCS1v15(hash)
        case (.ecdsa, .ecdsa), (.ecdsa, .publicKey): scheme = .ecdsa(hash)
        case (.ed25519, .ed25519), (.ed25519, .publicKey): scheme = .ed25519
        default: return nil
        }
        guard scheme.algorithmIdentifier != nil, scheme.hashAlgorithm == hash, allows(scheme) else { return nil }
        return scheme
    }
}

extension SignatureConstraints.Rule.Algorithm {
    /// The kind of key the algorithm needs; `nil` for `pubkey` (any).
    var keyFamily: KeyFamily? {
        switch self {
        case .publicKey: nil
        case .rsa, .rsaPSS: .rsa
        case .ecdsa: .ecdsa
        case .ed25519: .ed25519
        }
    }
}

/// The kinds of keys the constraints tell apart.
enum KeyFamily: Hashable {
    case rsa, ecdsa, ed25519
}

/// The kinds of signatures the constraints tell apart.
enum SignatureKind: Hashable {
    case rsaPKCS1, rsaPSS, ecdsa, ed25519
}

extension KeyType {
    var family: KeyFamily {
        switch self {
        case .rsa: .rsa
        case .p256, .p384, .p521: .ecdsa
        case .ed25519: .ed25519
        }
    }

    /// The size strongSwan compares with `rsa-N` and `ecdsa-N`: the modulus or the curve
    /// in bits; `nil` for Ed25519.
    var strength: Int? {
        switch self {
        case .rsa(let bits): bits
        case .p256: 256
        case .p384: 384
        case .p521: 521
        case .ed25519: nil
        }
    }
}

extension SignatureScheme {
    var kind: SignatureKind {
        switch self {
        case .rsaSHA1, .rsaPKCS1v15: .rsaPKCS1
        case .rsaPSS: .rsaPSS
        case .ecdsaP256SHA256, .ecdsaP384SHA384, .ecdsaP521SHA512, .ecdsa: .ecdsa
        case .ed25519: .ed25519
        }
    }
}
