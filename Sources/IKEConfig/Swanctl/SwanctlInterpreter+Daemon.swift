extension SwanctlInterpreter {
    mutating func interpretDaemon(_ section: SettingsSection) -> DaemonSettings {
        var settings = DaemonSettings()
        for keyValue in section.keys {
            settings.keyLocations[keyValue.key] = keyValue.valueLocation
            switch keyValue.key {
            case "listen":
                var addresses: [AddressSpecification] = []
                for (item, location) in list(keyValue) {
                    guard let address = AddressSpecification(item), case .address = address else {
                        report(
                            .invalidValue, at: location, "invalid listen address '\(item)'",
                            hint: "write IP addresses such as 0.0.0.0, ::, 192.0.2.1")
                        continue
                    }
                    addresses.append(address)
                }
                settings.listenAddresses = addresses
            case "port":
                if let port = port(keyValue, allowZero: true) { settings.port = port }
            case "port_nat_t":
                if let port = port(keyValue, allowZero: true) { settings.natTraversalPort = port }
            case "control_socket":
                if let path = value(keyValue) {
                    if path.hasPrefix("/") { settings.controlSocket = path } else {
                        invalid(keyValue, path, expected: "an absolute path such as /run/cygnet.ctl")
                    }
                }
            case "metrics":
                if let text = value(keyValue) {
                    if ["no", "off", "none"].contains(text.lowercased()) {
                        settings.metricsAddress = nil
                    } else if Self.isHostPort(text) {
                        settings.metricsAddress = text
                    } else {
                        invalid(keyValue, text, expected: "ADDRESS:PORT such as 127.0.0.1:9469 or [::1]:9469, or 'no'")
                    }
                }
            case "data_plane":
                if let enabled = bool(keyValue) { settings.dataPlane = enabled }
            case "key_log":
                if let path = value(keyValue) {
                    if path.hasPrefix("/") { settings.keyLog = path } else {
                        invalid(keyValue, path, expected: "an absolute path such as /var/log/cygnet-esp-keys")
                    }
                }
            case "lease_database":
                if let path = value(keyValue) {
                    if path.hasPrefix("/") { settings.leaseDatabase = path } else {
                        invalid(keyValue, path, expected: "an absolute path such as /var/lib/cygnet/leases.sqlite")
                    }
                }
            case "resolv_conf":
                if let path = value(keyValue) {
                    if path.hasPrefix("/") { settings.resolvConf = path } else {
                        invalid(keyValue, path, expected: "an absolute path such as /etc/resolv.conf")
                    }
                }
            case "tun_name":
                if let name = value(keyValue) {
                    if (1...15).contains(name.utf8.count), !name.contains("/"), !name.contains(" ") { settings.tunName = name } else {
                        invalid(keyValue, name, expected: "an interface name of 1 to 15 characters without '/' or spaces")
                    }
                }
            case "tun_mtu":
                if let mtu = unsigned(keyValue, maximum: 65535, expected: "an MTU from 576 to 65535") {
                    if mtu >= 576 { settings.tunMTU = Int(mtu) } else {
                        invalid(keyValue, String(mtu), expected: "an MTU from 576 to 65535")
                    }
                }
            case "keep_alive":
                if let interval = duration(keyValue) { settings.natKeepaliveInterval = interval }
            case "window_size":
                if let size = unsigned(keyValue, maximum: 1024, expected: "a window size from 1 to 1024") {
                    if size >= 1 { settings.windowSize = UInt32(size) } else {
                        invalid(keyValue, "0", expected: "a window size from 1 to 1024")
                    }
                }
            case "fragment_size":
                if let size = unsigned(keyValue, maximum: 65535, expected: "a datagram size from 576 to 65535") {
                    if size >= 576 { settings.fragmentSize = Int(size) } else {
                        invalid(keyValue, String(size), expected: "a datagram size from 576 to 65535")
                    }
                }
            case "cookie_threshold":
                if let count = unsigned(keyValue, maximum: 1_000_000) { settings.cookieThreshold = count == 0 ? nil : Int(count) }
            case "block_threshold":
                if let count = unsigned(keyValue, maximum: 1_000_000) { settings.blockThreshold = count == 0 ? nil : Int(count) }
            case "init_limit_half_open":
                if let count = unsigned(keyValue, maximum: 10_000_000) { settings.halfOpenLimit = count == 0 ? nil : Int(count) }
            case "half_open_timeout":
                if let timeout = duration(keyValue) { settings.halfOpenTimeout = timeout }
            case "retransmit_timeout":
                if let timeout = duration(keyValue) { settings.retransmitTimeout = timeout }
            case "retransmit_base":
                if let text = value(keyValue) {
                    if let base = Double(text), base >= 1, base <= 10 { settings.retransmitBase = base } else {
                        invalid(keyValue, text, expected: "a number from 1 to 10 such as 1.8")
                    }
                }
            case "retransmit_tries":
                if let tries = unsigned(keyValue, maximum: 100) { settings.retransmitTries = Int(tries) }
            default:
                if SwanctlKeys.unsupportedDaemon.contains(keyValue.key) {
                    report(.unsupported, at: keyValue.location, "'\(keyValue.key)' is a strongswan.conf setting that Cygnet does not use")
                } else {
                    reportUnknown(keyValue.key, at: keyValue.location, kind: "key", context: "'cygnet'", known: SwanctlKeys.daemon)
                }
            }
        }
        for subsection in section.sections {
            if subsection.name == "log" {
                settings.log = interpretLog(subsection)
            } else if subsection.name == "eap-radius" {
                settings.eapRADIUS = interpretEAPRADIUS(subsection)
            } else if SwanctlKeys.unsupportedDaemon.contains(subsection.name) {
                report(.unsupported, at: subsection.location, "'\(subsection.name)' is a strongswan.conf section that Cygnet does not use", hint: "set levels in cygnet { log { ... } }")
            } else {
                reportUnknown(subsection.name, at: subsection.location, kind: "section", context: "'cygnet'", known: SwanctlKeys.daemonSections)
            }
        }
        return settings
    }

    mutating func interpretLog(_ section: SettingsSection) -> LogSettings {
        var log = LogSettings()
        let known = ["default"] + LogSettings.subsystems
        for keyValue in section.keys {
            guard known.contains(keyValue.key) else {
                if LogSettings.unusedSubsystems.contains(keyValue.key) {
                    report(
                        .unsupported, at: keyValue.location, "Cygnet logs nothing under strongSwan's subsystem '\(keyValue.key)'",
                        hint: "its subsystems are \(LogSettings.subsystems.joined(separator: ", ")); 'default' sets the level of those not named")
                } else {
                    reportUnknown(keyValue.key, at: keyValue.location, kind: "subsystem", context: "'log'", known: known)
                }
                continue
            }
            guard let text = value(keyValue) else { continue }
            guard let level = Int(text), LogSettings.levels.contains(level) else {
                invalid(keyValue, text, expected: "a level from -1 (silent) to 4 (private data)")
                continue
            }
            if keyValue.key == "default" { log.defaultLevel = level } else { log.levels[keyValue.key] = level }
        }
        for subsection in section.sections {
            reportUnknown(subsection.name, at: subsection.location, kind: "section", context: "'log'", known: [])
        }
        return log
    }

    /// `HOST:PORT` with an IP address or `[IPv6]`.
    static func isHostPort(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), let port = SwanctlValue.unsigned(String(text[text.index(after: colon)...]), maximum: 65535),
            port > 0
        else { return false }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return IPAddressNotation.parse(host) != nil
    }
}
