import IKEConfig
import IKEWire

/// Address pools that hand out addresses of the networks behind the gateway.
enum PoolRules {
    /// A warning for each pool of `connection` whose addresses fall in one of its
    /// children's fixed `local_ts` (a selector that covers a whole family, `0.0.0.0/0`,
    /// is the full-tunnel default and does not count).
    static func findings(for connection: ConnectionConfiguration, pools: [AddressPoolConfiguration]) -> [LintFinding] {
        var findings: [LintFinding] = []
        for name in connection.peer.pools {
            guard let pool = pools.first(where: { $0.name == name }) else { continue }
            for child in connection.children {
                for template in child.child.localTrafficSelectors where !template.isDynamic {
                    let selector = template.selector
                    guard let local = AddressRange(first: selector.startAddress, last: selector.endAddress),
                        local.overlaps(pool.addresses), !covers(local)
                    else { continue }
                    findings.append(LintFinding(
                        .warning, at: connection.poolLocations[name] ?? connection.location,
                        "pool '\(name)' (\(pool.addresses)) overlaps local_ts \(TrafficSelectorText.format(selector)) of child '\(child.name)' of connection '\(connection.name)'",
                        hint: "give the pool addresses outside the networks behind the gateway",
                        reason: "a virtual IP inside a local subnet is also an address of that subnet: its hosts answer it on the LAN, not through the tunnel, unless the gateway answers ARP for every leased address"))
                }
            }
        }
        return findings
    }

    /// Whether `range` is a whole address family.
    private static func covers(_ range: AddressRange) -> Bool {
        range.first.allSatisfy { $0 == 0 } && range.last.allSatisfy { $0 == 0xFF }
    }
}
