extension SwanctlInterpreter {
    /// `cygnet { eap-radius { ... } }`. The section's `nas_identifier` and `retransmit_*`
    /// are the defaults of every server, wherever they appear in it.
    mutating func interpretEAPRADIUS(_ section: SettingsSection) -> EAPRADIUSSettings? {
        var defaults = EAPRADIUSSettings.Server(name: "", address: [], secret: [])
        for keyValue in section.keys {
            if !interpretServerKey(keyValue, into: &defaults, known: SwanctlKeys.eapRADIUS) {
                if SwanctlKeys.unsupportedEAPRADIUS.contains(keyValue.key) {
                    report(
                        .unsupported, at: keyValue.location, "'\(keyValue.key)' of strongSwan's eap-radius plugin is not supported",
                        hint: ["server", "secret", "port"].contains(keyValue.key)
                            ? "define each server in servers { NAME { address = ...  secret = ... } }" : nil)
                } else {
                    reportUnknown(keyValue.key, at: keyValue.location, kind: "key", context: "'eap-radius'", known: SwanctlKeys.eapRADIUS)
                }
            }
        }
        var servers: [EAPRADIUSSettings.Server] = []
        for subsection in section.sections {
            guard subsection.name == "servers" else {
                if SwanctlKeys.unsupportedEAPRADIUS.contains(subsection.name) {
                    report(.unsupported, at: subsection.location, "'\(subsection.name)' of strongSwan's eap-radius plugin is not supported")
                } else {
                    reportUnknown(subsection.name, at: subsection.location, kind: "section", context: "'eap-radius'", known: ["servers"])
                }
                continue
            }
            for keyValue in subsection.keys {
                report(
                    .unknownKey, at: keyValue.location, "'\(keyValue.key)' in 'servers' must be inside a server",
                    hint: "write servers { NAME { address = ...  secret = ... } }")
            }
            for serverSection in subsection.sections {
                if let server = interpretRADIUSServer(serverSection, defaults: defaults) { servers.append(server) }
            }
        }
        guard !servers.isEmpty else {
            // A server section that had errors was reported already.
            if !section.sections.contains(where: { $0.name == "servers" && !$0.sections.isEmpty }) {
                report(.missing, at: section.location, "'eap-radius' has no server", hint: "add servers { NAME { address = ...  secret = ... } }")
            }
            return nil
        }
        return EAPRADIUSSettings(servers: servers)
    }

    private mutating func interpretRADIUSServer(_ section: SettingsSection, defaults: EAPRADIUSSettings.Server) -> EAPRADIUSSettings.Server? {
        var server = defaults
        server.name = section.name
        let context = "RADIUS server '\(section.name)'"
        for keyValue in section.keys where !interpretServerKey(keyValue, into: &server, known: SwanctlKeys.radiusServer) {
            if SwanctlKeys.unsupportedRADIUSServer.contains(keyValue.key) {
                report(.unsupported, at: keyValue.location, "'\(keyValue.key)' of strongSwan's eap-radius plugin is not supported")
            } else {
                reportUnknown(keyValue.key, at: keyValue.location, kind: "key", context: context, known: SwanctlKeys.radiusServer)
            }
        }
        for subsection in section.sections {
            reportUnknown(subsection.name, at: subsection.location, kind: "section", context: context, known: [])
        }
        if section[key: "address"] == nil {
            report(.missing, at: section.location, "\(context) has no 'address'", hint: "add address = IP-ADDRESS")
        }
        if section[key: "secret"] == nil {
            report(.missing, at: section.location, "\(context) has no 'secret'", hint: "add secret = \"...\" (the server's secret for this client)")
        }
        return server.address.isEmpty || server.secret.isEmpty ? nil : server
    }

    /// Reads one key a server or the section may have into `server`; `false` when `key`
    /// is not in `known`.
    private mutating func interpretServerKey(_ keyValue: SettingsKeyValue, into server: inout EAPRADIUSSettings.Server, known: [String]) -> Bool {
        guard known.contains(keyValue.key) else { return false }
        switch keyValue.key {
        case "address":
            if let text = value(keyValue) {
                if let address = IPAddressNotation.parse(text) { server.address = address } else {
                    invalid(keyValue, text, expected: "an IPv4 or IPv6 address (host names are not resolved)")
                }
            }
        case "secret":
            if let text = value(keyValue) {
                if text.isEmpty { invalid(keyValue, "", expected: "a non-empty shared secret") } else { server.secret = Array(text.utf8) }
            }
        case "auth_port", "port":
            if let port = port(keyValue) { server.authPort = port }
        case "preference":
            if let text = value(keyValue) {
                if let preference = Int(text), abs(preference) <= 1_000_000 { server.preference = preference } else {
                    invalid(keyValue, text, expected: "a whole number such as 0 or 10 (higher is tried first)")
                }
            }
        case "nas_identifier":
            if let text = value(keyValue) {
                if (1...253).contains(text.utf8.count) { server.nasIdentifier = text } else {
                    invalid(keyValue, text, expected: "text of 1 to 253 octets")
                }
            }
        case "retransmit_tries":
            if let tries = unsigned(keyValue, maximum: 100, expected: "a number of sends from 1 to 100") {
                if tries >= 1 { server.retransmitTries = Int(tries) } else {
                    invalid(keyValue, "0", expected: "a number of sends from 1 to 100")
                }
            }
        case "retransmit_timeout":
            if let timeout = duration(keyValue) {
                if timeout > .zero { server.retransmitTimeout = timeout } else {
                    invalid(keyValue, "0", expected: "a time above zero such as 2s")
                }
            }
        case "retransmit_base":
            if let text = value(keyValue) {
                if let base = Double(text), base >= 1, base <= 10 { server.retransmitBase = base } else {
                    invalid(keyValue, text, expected: "a number from 1 to 10 such as 1.4")
                }
            }
        default:
            return false
        }
        return true
    }
}
