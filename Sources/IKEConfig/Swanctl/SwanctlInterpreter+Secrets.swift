extension SwanctlInterpreter {
    /// The `secrets` section: `ike<suffix>` pre-shared keys, `eap<suffix>` passwords and
    /// private key files.
    mutating func interpretSecrets(_ section: SettingsSection) -> ([IKESecret], [EAPSecret], [PrivateKeySecret]) {
        for keyValue in section.keys {
            report(
                .unknownKey, at: keyValue.location, "'\(keyValue.key)' in 'secrets' must be inside a secret",
                hint: "write secrets { ike-NAME { id = ...  secret = ... } }")
        }
        var ikeSecrets: [IKESecret] = []
        var eapSecrets: [EAPSecret] = []
        var privateKeys: [PrivateKeySecret] = []
        for subsection in section.sections {
            let name = subsection.name
            if name.hasPrefix("ike") {
                if let secret = interpretIKESecret(subsection) { ikeSecrets.append(secret) }
            } else if name.hasPrefix("eap") {
                if let secret = interpretEAPSecret(subsection) { eapSecrets.append(secret) }
            } else if let kind = PrivateKeySecret.Kind.allCases.first(where: { name.hasPrefix($0.rawValue) }) {
                if let secret = interpretPrivateKeySecret(subsection, kind: kind) { privateKeys.append(secret) }
            } else if let kind = ["xauth", "ntlm", "ppk", "token", "pkcs12"].first(where: { name.hasPrefix($0) }) {
                report(.unsupported, at: subsection.location, "'\(kind)' secrets ('\(name)') are not supported yet")
            } else {
                report(
                    .unknownKey, at: subsection.location, "unknown kind of secret '\(name)'",
                    hint: "a secret's name starts with its kind: ike, eap, private, rsa, ecdsa or pkcs8 (e.g. ike-\(name))")
            }
        }
        return (ikeSecrets, eapSecrets, privateKeys)
    }

    /// `eap<suffix> { id = alice  secret = "..." }`: a password for EAP identities. The
    /// identities are user names, kept as written.
    mutating func interpretEAPSecret(_ section: SettingsSection) -> EAPSecret? {
        let context = "secret '\(section.name)'"
        var identities: [String] = []
        var secret: [UInt8]?
        for keyValue in section.keys {
            if keyValue.key == "secret" {
                secret = decodedSecret(keyValue, context: context)?.bytes
            } else if keyValue.key == "id" || keyValue.key.hasPrefix("id-") {
                guard let text = value(keyValue) else { continue }
                identities.append(text)
            } else {
                reportUnknown(keyValue.key, at: keyValue.location, kind: "key", context: context, known: SwanctlKeys.eapSecret + ["id-NAME"])
            }
        }
        reportProblems(
            of: section, context: context, hasSecret: secret != nil, namesIdentity: !identities.isEmpty,
            identityHint: "add id = USER (the EAP identity)")
        guard let secret else { return nil }
        return EAPSecret(name: section.name, identities: identities, secret: secret, location: section.location)
    }

    /// Reports what a secret section lacks or has too much: subsections, the `secret`,
    /// an identity.
    private mutating func reportProblems(
        of section: SettingsSection, context: String, hasSecret: Bool, namesIdentity: Bool, identityHint: String
    ) {
        for subsection in section.sections {
            reportUnknown(subsection.name, at: subsection.location, kind: "section", context: context, known: [])
        }
        guard hasSecret else {
            report(.missing, at: section.location, "\(context) has no 'secret'", hint: "add secret = \"...\"")
            hasBrokenSecrets = true
            return
        }
        if !namesIdentity {
            hasBrokenSecrets = true
            report(.missing, at: section.location, "\(context) names no identity", hint: identityHint)
        }
    }

    /// The value of a `secret` key, decoded from `0x`/`0s` when so written; a broken
    /// encoding is reported and gives empty bytes.
    private mutating func decodedSecret(_ keyValue: SettingsKeyValue, context: String)
        -> (bytes: [UInt8], location: SourceLocation, encoded: Bool)?
    {
        guard let text = value(keyValue) else { return nil }
        switch SecretEncoding.decode(text) {
        case .success(let bytes):
            return (bytes, keyValue.valueLocation, SecretEncoding.isEncoded(text))
        case .failure(let error):
            report(.invalidValue, at: keyValue.valueLocation.advanced(by: error.offset), "\(error.message) of \(context)")
            hasBrokenSecrets = true
            return ([], keyValue.valueLocation, true)
        }
    }

    mutating func interpretIKESecret(_ section: SettingsSection) -> IKESecret? {
        let context = "secret '\(section.name)'"
        var identities: [IKEIdentity] = []
        var secret: (bytes: [UInt8], location: SourceLocation, encoded: Bool)?
        for keyValue in section.keys {
            if keyValue.key == "secret" {
                if let decoded = decodedSecret(keyValue, context: context) { secret = decoded }
            } else if keyValue.key.hasPrefix("id") {
                guard let text = value(keyValue) else { continue }
                switch IdentityText.parse(text) {
                case .success(let identity?): identities.append(identity)
                case .success(nil):
                    report(
                        .unsupported, at: keyValue.valueLocation, "a secret for any identity ('\(text)') is not supported yet",
                        hint: "name the peer's identity")
                case .failure(let error):
                    report(error.isUnsupported ? .unsupported : .invalidValue, at: keyValue.valueLocation, error.message, hint: error.hint)
                    hasBrokenSecrets = true
                }
            } else {
                reportUnknown(keyValue.key, at: keyValue.location, kind: "key", context: context, known: ["secret", "id", "id-NAME"])
            }
        }
        reportProblems(
            of: section, context: context, hasSecret: secret != nil, namesIdentity: !identities.isEmpty,
            identityHint: "add id = PEER-ID (and id-local = OUR-ID); secrets for any identity are not supported yet")
        guard let secret else { return nil }
        return IKESecret(
            name: section.name, key: PreSharedKey(identities: identities, secret: secret.bytes), location: section.location,
            secretLocation: secret.location, isEncoded: secret.encoded)
    }

    mutating func interpretPrivateKeySecret(_ section: SettingsSection, kind: PrivateKeySecret.Kind) -> PrivateKeySecret? {
        let context = "secret '\(section.name)'"
        var file: FileReference?
        for keyValue in section.keys {
            switch keyValue.key {
            case "file":
                guard let text = value(keyValue) else { continue }
                file = fileReference(text, in: kind.directory, at: keyValue.valueLocation, what: "private key")
            case "secret":
                report(
                    .unsupported, at: keyValue.location,
                    "encrypted private keys are not supported yet: 'secret' (the passphrase of \(context)) cannot be used",
                    hint: "decrypt the key file (openssl pkey -in KEY -out PLAIN.key) and remove the secret")
            default:
                reportUnknown(keyValue.key, at: keyValue.location, kind: "key", context: context, known: SwanctlKeys.privateKeySecret)
            }
        }
        for subsection in section.sections {
            reportUnknown(subsection.name, at: subsection.location, kind: "section", context: context, known: [])
        }
        return PrivateKeySecret(name: section.name, kind: kind, file: file, location: section.location)
    }
}

extension PrivateKeySecret.Kind {
    /// The swanctl directory a relative `file` resolves against.
    public var directory: CredentialDirectory {
        switch self {
        case .private: .private
        case .rsa: .rsa
        case .ecdsa: .ecdsa
        case .pkcs8: .pkcs8
        }
    }
}
