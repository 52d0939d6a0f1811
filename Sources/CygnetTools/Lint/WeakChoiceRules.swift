import IKEConfig
import IKEWire

/// Weak algorithm choices and risky settings, each with its reason.
enum WeakChoiceRules {
    /// RFC 7296 §2.15 asks for PSKs with as much entropy as the keys they protect;
    /// strongSwan's documentation recommends long random secrets. Twenty characters is
    /// the floor below which `cygnet lint` warns.
    static let minimumSecretLength = 20

    static func proposals(of connection: ConnectionConfiguration) -> [LintFinding] {
        var findings: [LintFinding] = []
        for proposal in connection.proposals where !proposal.isDefault {
            findings += algorithms(proposal, proto: .ike, owner: "connection '\(connection.name)'")
        }
        for child in connection.children {
            let owner = "child '\(child.name)'"
            for proposal in child.proposals where !proposal.isDefault {
                findings += algorithms(proposal, proto: .esp, owner: owner)
            }
            if !child.proposals.contains(where: { !$0.template.keyExchangeMethods.filter { $0 != .none }.isEmpty }) {
                findings.append(
                    LintFinding(
                        .note, at: child.keyLocations["esp_proposals"] ?? child.location,
                        "the ESP proposals of \(owner) have no key exchange method: its rekeyed Child SAs get no perfect forward secrecy",
                        hint: "add a group to each ESP proposal, e.g. esp_proposals = aes256gcm16-x25519 (the peer must agree)",
                        reason: "RFC 7296 §1.3.1 and §2.17: without a KE payload, the keys of a new Child SA derive from SK_d alone, so one leaked IKE SA key exposes every Child SA rekeyed under it"))
            }
        }
        return findings
    }

    static func algorithms(_ proposal: ConfiguredProposal, proto: ProposalProtocol, owner: String) -> [LintFinding] {
        let template = proposal.template
        let what = "\(proto.label) proposal '\(proposal.text)' of \(owner)"
        var findings: [LintFinding] = []
        func warn(_ message: String, reason: String, hint: String) {
            findings.append(LintFinding(.warning, at: proposal.location, "\(what) \(message)", hint: hint, reason: reason))
        }
        if template.encryption.contains(where: { $0.id == .tripleDES }) {
            warn(
                "uses 3DES",
                reason: proto == .ike
                    ? "RFC 8247 §2.1 keeps ENCR_3DES only as MAY, for old peers: its 64-bit block lets an attacker recover data from long-lived SAs (Sweet32)"
                    : "RFC 8221 §5: ENCR_3DES is SHOULD NOT for ESP; its 64-bit block lets an attacker recover data from long-lived SAs (Sweet32)",
                hint: "use aes256gcm16, aes256 or chacha20poly1305")
        }
        if template.encryption.contains(where: { $0.id == .null }) {
            warn(
                "uses NULL encryption", reason: "RFC 8221 §5: ENCR_NULL gives no confidentiality; it exists for debugging and integrity-only ESP",
                hint: "use aes256gcm16")
        }
        if template.integrity.contains(.hmacSHA1_96) {
            warn(
                "uses SHA-1 integrity (HMAC-SHA1-96)",
                reason: proto == .ike
                    ? "RFC 8247 §2.3: AUTH_HMAC_SHA1_96 is MUST-, kept for interoperability and expected to be demoted"
                    : "RFC 8221 §6: AUTH_HMAC_SHA1_96 is MUST-, kept for interoperability and expected to be demoted",
                hint: "use sha256, or an AEAD such as aes256gcm16")
        }
        if template.pseudorandomFunctions.contains(.hmacSHA1) {
            warn(
                "uses the SHA-1 PRF (PRF_HMAC_SHA1)",
                reason: "RFC 8247 §2.2: PRF_HMAC_SHA1 is MUST-, kept for interoperability and expected to be demoted",
                hint: "use prfsha256 or stronger")
        }
        for (group, name, keyword) in [
            (KeyExchangeMethodID.modp1024, "the 1024-bit MODP group (2)", "modp1024"),
            (.modp1536, "the 1536-bit MODP group (5)", "modp1536"),
        ] where template.keyExchangeMethods.contains(group) {
            warn(
                "uses \(keyword), \(name)",
                reason: "RFC 8247 §2.4: \(name) is SHOULD NOT; it is within reach of well-funded attackers (Logjam)",
                hint: "use x25519, ecp256 or modp2048 and up; allow \(keyword) only for peers that offer nothing else")
        }
        return findings
    }

    static func connection(_ connection: ConnectionConfiguration) -> [LintFinding] {
        var findings: [LintFinding] = []
        if connection.children.isEmpty {
            findings.append(
                LintFinding(
                    .note, at: connection.location, "connection '\(connection.name)' has no children: it sets up an IKE SA but no tunnel",
                    hint: "add children { NAME { local_ts = ...  remote_ts = ... } }"))
        }
        if connection.local.authentication == .publicKey, connection.sendCertificate == .never {
            findings.append(
                LintFinding(
                    .warning, at: connection.keyLocations["send_cert"] ?? connection.location,
                    "connection '\(connection.name)' signs with a certificate but never sends it (send_cert = never)",
                    hint: "the peer must already have the certificate; use send_cert = ifasked unless it does",
                    reason: "RFC 7296 §3.6: the peer needs the certificate to check the AUTH signature"))
        }
        return findings
    }

    static func secret(_ secret: IKESecret) -> [LintFinding] {
        let length = secret.key.secret.count
        guard length < minimumSecretLength else { return [] }
        let unit = secret.isEncoded ? "byte" : "character"
        return [
            LintFinding(
                .warning, at: secret.secretLocation,
                "the pre-shared key of secret '\(secret.name)' is only \(length) \(unit)\(length == 1 ? "" : "s") long",
                hint: "use 32 or more random characters, e.g. the output of 'openssl rand -base64 32'",
                reason: "RFC 7296 §2.15: a pre-shared key must have as much entropy as the keys it protects; a short one falls to an offline dictionary attack on one captured IKE_AUTH exchange")
        ]
    }

    static func daemon(_ settings: DaemonSettings) -> [LintFinding] {
        guard let metrics = settings.metricsAddress else { return [] }
        let host = metrics.split(separator: ":").dropLast().joined(separator: ":").trimmingCharacters(in: "[]")
        guard let bytes = IPAddressNotation.parse(host) else { return [] }
        let isLoopback = (bytes.count == 4 && bytes[0] == 127) || bytes == [UInt8](repeating: 0, count: 15) + [1]
        guard !isLoopback else { return [] }
        return [
            LintFinding(
                .warning, at: settings.keyLocations["metrics"], "the metrics endpoint listens on \(metrics), not on a loopback address",
                hint: "use 127.0.0.1 or [::1] and let a local Prometheus agent scrape it",
                reason: "metrics show peers, SA counts and failures to anyone who can reach the port")
        ]
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, set.contains(last) { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
