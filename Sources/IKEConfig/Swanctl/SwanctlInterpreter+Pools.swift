extension SwanctlInterpreter {
    /// `pools { name { addrs = …  dns = …  nbns = …  subnet = … } }`.
    mutating func interpretPools(_ section: SettingsSection) -> [AddressPoolConfiguration] {
        for keyValue in section.keys {
            report(
                .unknownKey, at: keyValue.location, "'\(keyValue.key)' in 'pools' must be inside a pool",
                hint: "write pools { NAME { addrs = 10.3.0.0/24 } }")
        }
        return section.sections.compactMap { interpretPool($0) }
    }

    private mutating func interpretPool(_ section: SettingsSection) -> AddressPoolConfiguration? {
        let context = "pool '\(section.name)'"
        var range: (AddressRange, String)?
        var pool = AddressPoolConfiguration(
            name: section.name, text: "", addresses: AddressPrefix(address: [0, 0, 0, 0], length: 32).range,
            location: section.location)
        for keyValue in section.keys {
            switch keyValue.key {
            case "addrs":
                guard let text = value(keyValue) else { continue }
                guard let addresses = AddressPoolConfiguration.addresses(text) else {
                    invalid(keyValue, text, expected: "one subnet (10.3.0.0/24, fd00::/120) or range (10.3.0.10-10.3.0.200)")
                    continue
                }
                range = (addresses, text)
            case "dns":
                pool.dnsServers = serverAddresses(keyValue, families: [4, 16])
            case "nbns":
                pool.nbnsServers = serverAddresses(keyValue, families: [4])
            case "subnet":
                for (item, location) in list(keyValue) {
                    guard let prefix = AddressPrefix(item) else {
                        report(.invalidValue, at: location, "invalid subnet '\(item)' in 'subnet' of \(context)", hint: "write 10.1.0.0/16 or fd00:1::/64")
                        continue
                    }
                    pool.subnets.append(prefix)
                }
            case "split_include", "split_exclude":
                report(
                    .unsupported, at: keyValue.location,
                    "'\(keyValue.key)' is a Cisco Unity attribute (IKEv1 clients) that Cygnet does not send",
                    hint: "announce the networks behind the gateway with subnet = ..., and set remote_ts on the clients")
            default:
                reportUnknown(
                    keyValue.key, at: keyValue.location, kind: "key", context: context, known: SwanctlKeys.pool,
                    unsupported: SwanctlKeys.unsupportedPool)
            }
        }
        for subsection in section.sections {
            reportUnknown(subsection.name, at: subsection.location, kind: "section", context: context, known: [])
        }
        guard let range else {
            if section[key: "addrs"] != nil { return nil }
            report(.missing, at: section.location, "\(context) has no 'addrs'", hint: "add addrs = 10.3.0.0/24 (or a range, or an IPv6 subnet)")
            return nil
        }
        (pool.addresses, pool.text) = range
        return pool
    }

    /// `dns`, `nbns`: addresses of the families given (4, 16 bytes).
    private mutating func serverAddresses(_ keyValue: SettingsKeyValue, families: [Int]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        for (item, location) in list(keyValue) {
            guard let address = IPAddressNotation.parse(item), families.contains(address.count) else {
                report(
                    .invalidValue, at: location, "invalid server address '\(item)' in '\(keyValue.key)'",
                    hint: families == [4] ? "write IPv4 addresses (NBNS has no IPv6 attribute)" : "write IPv4 or IPv6 addresses")
                continue
            }
            result.append(address)
        }
        return result
    }

    /// `vips`: `0.0.0.0` or `::` ask for any address of the family, a specific address
    /// asks for that one.
    mutating func virtualIPs(_ keyValue: SettingsKeyValue) -> [[UInt8]] {
        var result: [[UInt8]] = []
        for (item, location) in list(keyValue) {
            guard let address = IPAddressNotation.parse(item) else {
                report(
                    .invalidValue, at: location, "invalid virtual IP '\(item)' in 'vips'",
                    hint: "write 0.0.0.0 and/or :: to ask for any address, or the address to ask for")
                continue
            }
            result.append(address)
        }
        return result
    }

    /// Pools named by connections exist; pools do not share addresses.
    mutating func crossCheckPools(_ configuration: CygnetConfiguration) {
        let names = configuration.pools.map(\.name)
        for pool in configuration.pools where pool.name == AddressPoolConfiguration.radius {
            report(
                .inconsistent, at: pool.location, "pool name '\(pool.name)' is reserved",
                hint: "pools = radius gives a peer the address of its RADIUS server's Framed-IP-Address; name this pool otherwise")
        }
        for connection in configuration.connections {
            for name in connection.peer.pools where !names.contains(name) {
                let location = connection.poolLocations[name] ?? connection.location
                if name == AddressPoolConfiguration.radius {
                    if connection.peer.remoteAuthentication != .eap(.radius) {
                        report(
                            .inconsistent, at: location,
                            "connection '\(connection.name)' names pool 'radius', but RADIUS does not authenticate its peers",
                            hint: "pools = radius takes the Framed-IP-Address of remote { auth = eap-radius }")
                    }
                    continue
                }
                let hint = EditDistance.closest(to: name, among: names).map { "did you mean '\($0)'?" }
                report(
                    .inconsistent, at: location, "connection '\(connection.name)' names pool '\(name)', which is not defined",
                    hint: hint ?? "define it in pools { \(name) { addrs = ... } }")
            }
        }
        for (index, pool) in configuration.pools.enumerated() {
            for other in configuration.pools[..<index] where other.addresses.overlaps(pool.addresses) {
                report(
                    .inconsistent, at: pool.location,
                    "pool '\(pool.name)' (\(pool.addresses)) overlaps pool '\(other.name)' (\(other.addresses))",
                    hint: "give each pool its own addresses: one address must never be leased twice")
            }
        }
    }
}
