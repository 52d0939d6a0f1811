import IKECertificates
import IKEConfig
import IKEWire

/// What the built-in clients of Windows, macOS/iOS and Android need of a remote-access
/// gateway that a connection lacks (the profiles of `Docs/clients/`).
enum ClientProfileRules {
    static func findings(for connection: ConnectionConfiguration) -> [LintFinding] {
        groupFindings(for: connection) + certificateFindings(for: connection)
    }

    /// Whether the connection serves password clients of any identity: EAP that may be
    /// MSCHAPv2 (the method the built-in clients use with a password) and `%any` remote.
    static func servesPasswordClients(_ connection: ConnectionConfiguration) -> Bool {
        guard connection.peer.remoteIdentity == nil, case .eap(let method) = connection.peer.remoteAuthentication else {
            return false
        }
        switch method {
        case .any, .radius: return true
        case .method(let type): return type == .mschapv2
        }
    }

    /// Whether the clients dial in to the connection: it authenticates them by EAP, or
    /// accepts any identity.
    static func servesRemoteAccess(_ connection: ConnectionConfiguration) -> Bool {
        connection.peer.remoteIdentity == nil || connection.peer.remoteAuthentication.usesEAP
    }

    static func groupFindings(for connection: ConnectionConfiguration) -> [LintFinding] {
        let offersMODP1024 = connection.proposals.contains { $0.template.keyExchangeMethods.contains(.modp1024) }
        let tolerates = connection.peer.toleratesKeyExchangeDowngradeOnRekey
        let proposals = connection.keyLocations["proposals"] ?? connection.location
        var findings: [LintFinding] = []
        if tolerates, !offersMODP1024 {
            findings.append(LintFinding(
                .warning, .downgradeWithoutLegacyGroup, at: connection.keyLocations["cygnet.ms_dh_downgrade"] ?? connection.location,
                "connection '\(connection.name)' accepts Child SA rekeys with modp1024 (ms_dh_downgrade) but none of its IKE proposals names modp1024",
                hint: "add modp1024 to an IKE proposal if Windows clients use the connection (they need it there too), else remove ms_dh_downgrade",
                reason: "ms_dh_downgrade turns on the legacy 1024-bit MODP group (RFC 8247 §2.4: SHOULD NOT) for the whole daemon; it is meant only for the Windows client, which offers nothing else in IKE_SA_INIT"))
        }
        guard servesPasswordClients(connection) else { return findings }
        if !offersMODP1024 {
            findings.append(LintFinding(
                .note, .windowsGroupMissing, at: proposals,
                "connection '\(connection.name)' takes EAP-MSCHAPv2 clients of any identity, but none of its IKE proposals names modp1024: the Windows built-in client with its default settings cannot connect",
                hint: "for Windows clients add e.g. aes256-sha256-modp1024 (see Docs/clients/windows.md), or have them set DH group 14 with Set-VpnConnectionIPsecConfiguration",
                reason: "Windows 10/11 offers only the 1024-bit MODP group in IKE_SA_INIT unless its registry or PowerShell settings say otherwise"))
        } else if !tolerates {
            findings.append(LintFinding(
                .note, .windowsRekeyDowngradeNotTolerated, at: proposals,
                "connection '\(connection.name)' allows modp1024 for Windows clients but does not accept their Child SA rekeys with it",
                hint: "add cygnet { ms_dh_downgrade = yes } to the connection",
                reason: "Windows rekeys its Child SAs with a key exchange of the 1024-bit MODP group even when they were negotiated without PFS or with another group"))
        }
        return findings
    }

    static func certificateFindings(for connection: ConnectionConfiguration) -> [LintFinding] {
        guard connection.peer.localAuthentication == .publicKey, servesRemoteAccess(connection),
            let endEntity = connection.peer.localCertificates.first
        else { return [] }
        let location = connection.local.certificates.first?.location ?? connection.location
        let identity = CertificateIdentityMatching.describe(connection.peer.localIdentity)
        return GatewayCertificateCheck.problems(endEntity: endEntity, identity: connection.peer.localIdentity).map { problem in
            switch problem.code {
            case .serverAuthMissing:
                LintFinding(
                    .warning, .gatewayCertificateWithoutServerAuth, at: location,
                    "the certificate of connection '\(connection.name)' does not allow serverAuth: \(problem)",
                    hint: "issue the gateway's certificate with extendedKeyUsage serverAuth (strongSwan's pki: --flag serverAuth)",
                    reason: "the built-in clients of Windows and macOS/iOS refuse a gateway certificate without the serverAuth extended key usage (RFC 5280 §4.2.1.12)")
            case .identityNotInSubjectAltNames:
                LintFinding(
                    .warning, .gatewayCertificateWithoutDialledName, at: location,
                    "the certificate of connection '\(connection.name)' has no subjectAltName for its local id '\(identity)': \(problem)",
                    hint: "issue the certificate with the name (or address) the clients dial as subjectAltName, and use it as local id",
                    reason: "Windows sends no IDr and compares the certificate with the name it dialled; macOS/iOS and Android check it against their remote identifier")
            default:
                LintFinding(
                    .warning, .gatewayCertificateUnreadable, at: location,
                    "the certificate of connection '\(connection.name)' cannot be checked for the built-in clients: \(problem)",
                    hint: "use a DER or PEM X.509 certificate",
                    reason: "the clients check its extended key usage and subjectAltNames")
            }
        }
    }
}
