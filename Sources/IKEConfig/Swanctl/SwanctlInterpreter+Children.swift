import IKEWire

extension SwanctlInterpreter {
    mutating func interpretChild(_ section: SettingsSection, connection: ConnectionConfiguration) -> ChildConfiguration? {
        let context = "child '\(section.name)' of connection '\(connection.name)'"
        var localSelectors: [TrafficSelectorSpecification] = [.dynamic(ipProtocol: 0, startPort: 0, endPort: 65535)]
        var remoteSelectors = localSelectors
        var proposals: [ConfiguredProposal]?
        var mode = ChildSAConfiguration.Mode.tunnel
        var startAction = ChildAction.none
        var dpdAction = ChildAction.none
        var closeAction = ChildAction.none
        var locations: [String: SourceLocation] = [:]
        var rekeyTime: Duration?
        var lifeTime: Duration?
        var randTime: Duration?
        var rekeyBytes: UInt64?
        var lifeBytes: UInt64?
        var randBytes: UInt64?
        var rekeyPackets: UInt64?
        var lifePackets: UInt64?
        var randPackets: UInt64?
        for keyValue in section.keys {
            locations[keyValue.key] = keyValue.valueLocation
            switch keyValue.key {
            case "local_ts": localSelectors = trafficSelectors(keyValue)
            case "remote_ts": remoteSelectors = trafficSelectors(keyValue)
            case "esp_proposals": proposals = self.proposals(keyValue, for: .esp)
            case "mode":
                guard let text = value(keyValue) else { continue }
                switch text.lowercased() {
                case "tunnel": mode = .tunnel
                case "transport": mode = .transport
                case "transport_proxy", "beet", "pass", "drop":
                    report(.unsupported, at: keyValue.valueLocation, "mode '\(text)' is not supported yet", hint: "use tunnel or transport")
                default: invalid(keyValue, text, expected: "tunnel or transport")
                }
            case "start_action":
                startAction = action(keyValue) ?? startAction
            case "dpd_action":
                dpdAction = action(keyValue) ?? dpdAction
            case "close_action":
                closeAction = action(keyValue) ?? closeAction
            case "rekey_time": rekeyTime = duration(keyValue)
            case "life_time": lifeTime = duration(keyValue)
            case "rand_time": randTime = duration(keyValue)
            case "rekey_bytes": rekeyBytes = bytes(keyValue)
            case "life_bytes": lifeBytes = bytes(keyValue)
            case "rand_bytes": randBytes = bytes(keyValue)
            case "rekey_packets": rekeyPackets = unsigned(keyValue, maximum: .max, expected: "a whole number of packets")
            case "life_packets": lifePackets = unsigned(keyValue, maximum: .max, expected: "a whole number of packets")
            case "rand_packets": randPackets = unsigned(keyValue, maximum: .max, expected: "a whole number of packets")
            default:
                if SwanctlKeys.connection.contains(keyValue.key) {
                    report(
                        .unknownKey, at: keyValue.location,
                        "'\(keyValue.key)' is a connection setting, not a setting of \(context)",
                        hint: "move it up into the connection '\(connection.name)'")
                } else {
                    reportUnknown(
                        keyValue.key, at: keyValue.location, kind: "key", context: context, known: SwanctlKeys.child,
                        unsupported: SwanctlKeys.unsupportedChild)
                }
            }
        }
        for subsection in section.sections {
            reportUnknown(subsection.name, at: subsection.location, kind: "section", context: context, known: [])
        }
        let configuredProposals = proposals ?? defaultProposals(for: .esp, at: section.location)
        let child = ChildSAConfiguration(
            name: section.name,
            localTrafficSelectors: Self.resolve(localSelectors, addresses: connection.localAddresses),
            remoteTrafficSelectors: Self.resolve(remoteSelectors, addresses: connection.remoteAddresses),
            proposals: configuredProposals.map(\.template), mode: mode, rekeyTime: rekeyTime, lifeTime: lifeTime,
            randTime: randTime, rekeyBytes: rekeyBytes, rekeyPackets: rekeyPackets, lifeBytes: lifeBytes,
            lifePackets: lifePackets, randBytes: randBytes, randPackets: randPackets)
        return ChildConfiguration(
            child: child, localTrafficSelectors: localSelectors, remoteTrafficSelectors: remoteSelectors,
            proposals: configuredProposals, startAction: startAction, dpdAction: dpdAction, closeAction: closeAction,
            location: section.location, keyLocations: locations)
    }

    mutating func action(_ keyValue: SettingsKeyValue) -> ChildAction? {
        guard let text = value(keyValue) else { return nil }
        if ["trap", "route"].contains(text.lowercased()) {
            let hints = [
                "start_action": "use start_action = start, with dpd_action = restart and close_action = start to keep the tunnel up",
                "dpd_action": "use dpd_action = restart to initiate again when the peer is found dead",
                "close_action": "use close_action = start to initiate again when the peer closes the Child SA",
            ]
            report(
                .unsupported, at: keyValue.valueLocation,
                "trap policies ('\(keyValue.key) = \(text)': negotiate when traffic appears) are not supported yet",
                hint: hints[keyValue.key])
            return nil
        }
        return choice(keyValue, ChildAction.init, accepted: "none or start (strongSwan's clear and restart are accepted too)")
    }

    mutating func trafficSelectors(_ keyValue: SettingsKeyValue) -> [TrafficSelectorSpecification] {
        var result: [TrafficSelectorSpecification] = []
        for (item, location) in list(keyValue) {
            switch TrafficSelectorSpecification.parse(item) {
            case .success(let selector): result.append(selector)
            case .failure(let error): report(.invalidValue, at: location, error.message, hint: error.hint)
            }
        }
        return result
    }

    /// The fixed selectors, and `dynamic` ones, which the engine resolves for each SA;
    /// they carry the connection's address when that is one literal address.
    static func resolve(_ selectors: [TrafficSelectorSpecification], addresses: [AddressSpecification]) -> [TrafficSelectorTemplate] {
        selectors.map { specification in
            switch specification {
            case .selector(let selector):
                return TrafficSelectorTemplate(selector)
            case .dynamic(let proto, let start, let end):
                var literal: [UInt8]?
                if addresses.count == 1, case .address(let bytes) = addresses[0] { literal = bytes }
                return .dynamic(ipProtocol: proto, startPort: start, endPort: end, address: literal)
            }
        }
    }
}
