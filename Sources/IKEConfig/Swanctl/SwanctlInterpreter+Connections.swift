import IKEWire

extension SwanctlInterpreter {
    mutating func interpretConnections(_ section: SettingsSection) -> [ConnectionConfiguration] {
        for keyValue in section.keys {
            report(
                .unknownKey, at: keyValue.location, "'\(keyValue.key)' in 'connections' must be inside a connection",
                hint: "write connections { NAME { \(keyValue.key) = ... } }")
        }
        return section.sections.compactMap { connection in
            guard connection.name != "children" else {
                report(
                    .inconsistent, at: connection.location, "'children' must be inside a connection, not directly in 'connections'",
                    hint: "write connections { NAME { children { CHILD { ... } } } }")
                return nil
            }
            return interpretConnection(connection)
        }
    }

    mutating func interpretConnection(_ section: SettingsSection) -> ConnectionConfiguration? {
        let name = section.name
        let context = "connection '\(name)'"
        var connection = ConnectionConfiguration(
            peer: PeerConfiguration(
                name: name, proposals: [], localIdentity: IKEIdentity(type: .fqdn, data: []), remoteIdentity: nil,
                localAuthentication: .publicKey, remoteAuthentication: .publicKey, children: []),
            location: section.location)
        var proposalsSet = false
        for keyValue in section.keys {
            connection.keyLocations[keyValue.key] = keyValue.location
            switch keyValue.key {
            case "version":
                if let version = unsigned(keyValue, maximum: 2, expected: "0 (any) or 2") {
                    if version == 1 {
                        report(.unsupported, at: keyValue.valueLocation, "IKEv1 ('version = 1') is not supported", hint: "use version = 2")
                    }
                    connection.version = Int(version)
                }
            case "local_addrs":
                connection.localAddresses = addresses(keyValue)
            case "remote_addrs":
                connection.remoteAddresses = addresses(keyValue)
            case "local_port":
                if let port = port(keyValue) { connection.localPort = port }
            case "remote_port":
                if let port = port(keyValue) { connection.remotePort = port }
            case "proposals":
                connection.proposals = proposals(keyValue, for: .ike)
                proposalsSet = true
            case "encap":
                if let flag = bool(keyValue) {
                    connection.encapsulation = flag
                    connection.peer.forcesUDPEncapsulation = flag
                }
            case "mobike":
                if let flag = bool(keyValue) { connection.peer.isMOBIKEEnabled = flag }
            case "dpd_delay":
                if let delay = duration(keyValue) { connection.peer.livenessCheckInterval = delay > .zero ? delay : nil }
            case "dpd_timeout":
                report(
                    .unsupported, at: keyValue.location,
                    "'dpd_timeout' applies to IKEv1 only (strongSwan ignores it for IKEv2 too): a peer is found dead when a liveness check (dpd_delay) goes unanswered after every retransmission",
                    hint: "remove it; the retransmissions are set by cygnet { retransmit_timeout, retransmit_base, retransmit_tries }")
            case "fragmentation":
                if let fragmentation = choice(keyValue, Self.fragmentation, accepted: "yes, accept, force or no") {
                    connection.peer.fragmentation = fragmentation
                }
            case "send_certreq":
                if let flag = bool(keyValue) { connection.sendCertificateRequest = flag }
            case "send_cert":
                if let policy = choice(keyValue, CertificateSendPolicy.init, accepted: "ifasked, always or never") {
                    connection.sendCertificate = policy
                }
            case "keyingtries":
                if let tries = unsigned(keyValue, maximum: UInt64(UInt32.max)) {
                    guard tries == 1 else {
                        report(
                            .unsupported, at: keyValue.valueLocation,
                            "keyingtries = \(tries) is not supported yet: Cygnet makes one attempt (with retransmissions), like keyingtries = 1",
                            hint: "use keyingtries = 1, or `cygnet up` again")
                        break
                    }
                    connection.keyingTries = UInt32(tries)
                }
            case "unique":
                if let policy = choice(keyValue, Self.uniqueness, accepted: "no, never, replace or keep") {
                    connection.peer.uniqueness = policy
                }
            case "rekey_time": connection.peer.rekeyTime = duration(keyValue)
            case "reauth_time": connection.peer.reauthTime = duration(keyValue)
            case "over_time": connection.peer.overTime = duration(keyValue)
            case "rand_time": connection.peer.randTime = duration(keyValue)
            case "vips": connection.peer.virtualIPs = virtualIPs(keyValue)
            case "pools":
                let items = list(keyValue)
                connection.peer.pools = items.map(\.item)
                connection.poolLocations = Dictionary(items.map { ($0.item, $0.location) }, uniquingKeysWith: { first, _ in first })
            default:
                if SwanctlKeys.child.contains(keyValue.key) || SwanctlKeys.unsupportedChild.contains(keyValue.key) {
                    report(
                        .unknownKey, at: keyValue.location, "'\(keyValue.key)' is a Child SA setting, not a setting of \(context)",
                        hint: "move it into children { CHILD { ... } }")
                } else {
                    reportUnknown(
                        keyValue.key, at: keyValue.location, kind: "key", context: context, known: SwanctlKeys.connection,
                        unsupported: SwanctlKeys.unsupportedConnection)
                }
            }
        }
        if !proposalsSet { connection.proposals = defaultProposals(for: .ike, at: section.location) }
        connection.peer.proposals = connection.proposals.map(\.template)

        var childSections: [SettingsSection] = []
        var sawLocal = false
        for subsection in section.sections {
            switch subsection.name {
            case "local":
                connection.local = interpretEndpoint(subsection, context: "'local' of \(context)")
                sawLocal = true
            case "remote":
                connection.remote = interpretEndpoint(subsection, context: "'remote' of \(context)")
            case "children":
                for keyValue in subsection.keys {
                    report(
                        .unknownKey, at: keyValue.location, "'\(keyValue.key)' in 'children' must be inside a child",
                        hint: "write children { NAME { \(keyValue.key) = ... } }")
                }
                childSections += subsection.sections
            case "cygnet":
                interpretConnectionExtensions(subsection, into: &connection, context: context)
            default:
                if subsection.name.hasPrefix("local") || subsection.name.hasPrefix("remote") {
                    report(
                        .unsupported, at: subsection.location,
                        "authentication rounds ('\(subsection.name)') are not supported yet",
                        hint: "use one section named '\(subsection.name.hasPrefix("local") ? "local" : "remote")'")
                } else {
                    reportUnknown(
                        subsection.name, at: subsection.location, kind: "section", context: context,
                        known: SwanctlKeys.connectionSections)
                }
            }
        }
        if !sawLocal {
            report(
                .missing, at: section.location, "\(context) has no 'local' section",
                hint: "add local { auth = psk  id = ... } or local { auth = pubkey  certs = ... }")
        }
        connection.peer.localAuthentication = connection.local.authentication
        connection.peer.remoteAuthentication = connection.remote.authentication
        connection.peer.localSignatureConstraints = connection.local.signatureConstraints
        connection.peer.remoteSignatureConstraints = connection.remote.signatureConstraints
        connection.peer.remoteIdentity = connection.remote.identity
        connection.peer.localEAPIdentity = connection.local.eapIdentity
        connection.peer.remoteEAPIdentity = connection.remote.eapIdentity
        checkEAP(connection, context: context)
        if let identity = connection.local.identity {
            connection.peer.localIdentity = identity
            if identity.hasWildcard, let id = section[section: "local"]?[key: "id"] {
                report(
                    .invalidValue, at: id.valueLocation, "the local id '\(identity)' of \(context) contains a wildcard",
                    hint: "a wildcard only matches peers, in remote { id }; give our own identity in full")
            }
        } else if connection.localAddresses.count == 1, case .address(let bytes) = connection.localAddresses[0] {
            connection.peer.localIdentity = IKEIdentity(type: bytes.count == 4 ? .ipv4Address : .ipv6Address, data: bytes)
        } else if sawLocal, section[section: "local"]?[key: "id"] == nil {
            report(
                .missing, at: connection.local.location ?? section.location, "\(context) needs a local 'id'",
                hint: "set id in the local section; without it strongSwan uses the local address or the certificate subject, Cygnet only a single literal local_addrs")
        }
        connection.children = childSections.compactMap { interpretChild($0, connection: connection) }
        connection.peer.children = connection.children.map(\.child)
        return connection
    }

    /// The connection's `cygnet { }` section: Cygnet's settings that swanctl.conf has no
    /// key for, kept apart so a strongSwan file never means something else to Cygnet.
    mutating func interpretConnectionExtensions(
        _ section: SettingsSection, into connection: inout ConnectionConfiguration, context: String
    ) {
        let extensionContext = "'cygnet' of \(context)"
        for keyValue in section.keys {
            connection.keyLocations["cygnet.\(keyValue.key)"] = keyValue.location
            switch keyValue.key {
            case "ms_dh_downgrade":
                if let flag = bool(keyValue) { connection.peer.toleratesKeyExchangeDowngradeOnRekey = flag }
            default:
                reportUnknown(
                    keyValue.key, at: keyValue.location, kind: "key", context: extensionContext,
                    known: SwanctlKeys.connectionExtensions)
            }
        }
        for subsection in section.sections {
            report(
                .unknownKey, at: subsection.location, "unknown section '\(subsection.name)' in \(extensionContext)",
                hint: "it has keys only: \(SwanctlKeys.connectionExtensions.joined(separator: ", "))")
        }
    }

    mutating func interpretEndpoint(_ section: SettingsSection, context: String) -> EndpointConfiguration {
        var endpoint = EndpointConfiguration(location: section.location)
        for keyValue in section.keys {
            switch keyValue.key {
            case "auth":
                endpoint.authenticationLocation = keyValue.valueLocation
                guard let text = value(keyValue) else { continue }
                let lower = text.lowercased()
                switch lower {
                case "psk": endpoint.authentication = .preSharedKey
                case "pubkey": endpoint.authentication = .publicKey
                default:
                    if let method = EAPMethodChoice(keyword: lower) {
                        endpoint.authentication = .eap(method)
                    } else if lower.hasPrefix("eap") {
                        report(
                            .unsupported, at: keyValue.valueLocation, "EAP method '\(text)' is not supported",
                            hint: "use auth = eap-mschapv2, eap-tls, eap-md5, eap-radius or eap (any of them)")
                    } else if lower.hasPrefix("xauth") {
                        report(.unsupported, at: keyValue.valueLocation, "XAuth ('\(text)') belongs to IKEv1, which Cygnet does not implement")
                    } else if SignatureConstraintText.looksLikeConstraints(lower) {
                        switch SignatureConstraintText.parse(text) {
                        case .success(let constraints):
                            endpoint.authentication = .publicKey
                            endpoint.signatureConstraints = constraints
                        case .failure(let error):
                            report(
                                error.isUnsupported ? .unsupported : .invalidValue, at: keyValue.valueLocation,
                                error.message, hint: error.hint)
                        }
                    } else {
                        invalid(
                            keyValue, text,
                            expected: "psk, pubkey, eap-mschapv2, eap-tls, eap-md5, eap-radius, eap or signature constraints such as rsa/pss or ecdsa-sha384")
                    }
                }
            case "id":
                guard let text = value(keyValue) else { continue }
                switch IdentityText.parse(text) {
                case .success(let identity): endpoint.identity = identity
                case .failure(let error):
                    report(error.isUnsupported ? .unsupported : .invalidValue, at: keyValue.valueLocation, error.message, hint: error.hint)
                }
            case "eap_id":
                guard let text = value(keyValue) else { continue }
                endpoint.eapIdentityLocation = keyValue.valueLocation
                endpoint.eapIdentity = text.lowercased() == "%any" ? .ask : .named(text)
            case "certs":
                endpoint.certificates = list(keyValue).map {
                    fileReference($0.item, in: .x509, at: $0.location, what: "certificate")
                }
            case "cacerts":
                endpoint.certificateAuthorities = list(keyValue).map {
                    fileReference($0.item, in: .x509ca, at: $0.location, what: "CA certificate")
                }
            default:
                reportUnknown(
                    keyValue.key, at: keyValue.location, kind: "key", context: context, known: SwanctlKeys.endpoint,
                    unsupported: SwanctlKeys.unsupportedEndpoint)
            }
        }
        for subsection in section.sections {
            if subsection.name.hasPrefix("cert") || subsection.name.hasPrefix("cacert") {
                report(.unsupported, at: subsection.location, "certificates on tokens ('\(subsection.name) { handle = ... }') are not supported yet")
            } else {
                reportUnknown(subsection.name, at: subsection.location, kind: "section", context: context, known: [])
            }
        }
        return endpoint
    }

    /// EAP authenticates the initiator (RFC 7296 §2.16): `local { auth = eap… }` on a
    /// client, `remote { auth = eap… }` on a gateway; on both sides it is EAP-only
    /// authentication (RFC 5998), which only a method of RFC 5998 §4 may serve
    /// (``EAPMethodChoice/allowsEAPOnly``); `eap_id` goes with it.
    mutating func checkEAP(_ connection: ConnectionConfiguration, context: String) {
        let (local, remote) = (connection.local, connection.remote)
        if local.authentication.usesEAP, remote.authentication.usesEAP,
            !local.authentication.allowsEAPOnly || !remote.authentication.allowsEAPOnly
        {
            report(
                .unsupported, at: remote.authenticationLocation ?? connection.location,
                "\(context) uses EAP on both sides, which is EAP-only authentication (RFC 5998): it needs a method that authenticates both sides, derives a key and resists dictionary attacks (RFC 5998 §4), and local auth = \(local.authentication), remote auth = \(remote.authentication) is not one",
                hint: "use auth = eap-tls on both sides, or authenticate the gateway with a certificate: remote { auth = pubkey } on the client, local { auth = pubkey } on the gateway")
        }
        // EAP-TLS (RFC 5216 §2.1.1): both sides present a certificate, the client's is
        // its local one, the gateway's the one it signs AUTH with.
        if local.authentication == .eap(.method(.tls)) || remote.authentication == .eap(.method(.tls)),
            local.certificates.isEmpty
        {
            let role = local.authentication == .eap(.method(.tls)) ? "client" : "server"
            report(
                .missing, at: local.location ?? connection.location,
                "\(context) runs EAP-TLS but has no local 'certs' (our \(role) certificate in the TLS handshake)",
                hint: "add certs = NAME.crt (in x509/) to the local section, with its key in private/")
        }
        if local.authentication == .eap(.radius) {
            report(
                .invalidValue, at: local.authenticationLocation ?? connection.location,
                "auth = eap-radius belongs to the gateway's remote section: a RADIUS server authenticates the peer, not us",
                hint: "use local { auth = eap-mschapv2 } (or the method the gateway asks for) on a client")
        }
        for (side, endpoint) in [("local", local), ("remote", remote)] {
            guard let location = endpoint.eapIdentityLocation else { continue }
            if !endpoint.authentication.usesEAP {
                report(
                    .inconsistent, at: location, "'eap_id' in the \(side) section of \(context) needs auth = eap…",
                    hint: "set auth = eap-mschapv2 (or another EAP method) in the \(side) section, or remove eap_id")
            } else if side == "local", endpoint.eapIdentity == .ask {
                report(
                    .invalidValue, at: location, "local eap_id = %any: only the gateway asks for an identity",
                    hint: "give the user name we authenticate as, or remove eap_id to use our IKE identity")
            }
        }
    }

    /// `local_addrs`, `remote_addrs`, `listen`.
    mutating func addresses(_ keyValue: SettingsKeyValue) -> [AddressSpecification] {
        var result: [AddressSpecification] = []
        for (item, location) in list(keyValue) {
            guard let address = AddressSpecification(item) else {
                report(
                    .invalidValue, at: location, "invalid address '\(item)' in '\(keyValue.key)'",
                    hint: "write an IP address, a host name, a subnet (10.0.0.0/8), a range (10.0.0.1-10.0.0.9) or %any")
                continue
            }
            result.append(address)
        }
        return result
    }

    static func fragmentation(_ text: String) -> Fragmentation? {
        switch text.lowercased() {
        case "yes": .yes
        case "accept": .accept
        case "force": .force
        case "no": .no
        default: nil
        }
    }

    static func uniqueness(_ text: String) -> UniquenessPolicy? {
        switch text.lowercased() {
        case "no": .no
        case "never": .never
        case "replace": .replace
        case "keep": .keep
        default: nil
        }
    }
}
