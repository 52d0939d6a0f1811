import IKEConfig

/// Lifetimes that are out of the useful range or contradict each other.
enum LifetimeRules {
    static let shortestIKERekey: Duration = .seconds(5 * 60)
    static let longestRekey: Duration = .seconds(24 * 3600)
    static let shortestChildRekey: Duration = .seconds(60)

    static func findings(for connection: ConnectionConfiguration) -> [LintFinding] {
        var findings: [LintFinding] = []
        let peer = connection.peer
        let lifetime = peer.lifetime
        let name = "connection '\(connection.name)'"
        func at(_ key: String) -> SourceLocation { connection.keyLocations[key] ?? connection.location }
        let churn = "every rekey costs an exchange and a key exchange, and both peers rekeying often makes collisions (RFC 7296 §2.8.1) likely"
        let exposure = "one key protects traffic for longer than a day; RFC 7296 §2.8 expects SAs to be rekeyed well before their keys wear out"
        if let rekey = peer.rekeyTime, rekey > .zero, rekey < shortestIKERekey {
            findings.append(
                LintFinding(.warning, at: at("rekey_time"), "rekey_time \(text(rekey)) of \(name) is shorter than 5 minutes", hint: "use 1h to 24h (strongSwan's default is 4h)", reason: churn))
        }
        if let rekey = peer.rekeyTime, rekey > longestRekey {
            findings.append(
                LintFinding(.warning, at: at("rekey_time"), "rekey_time \(text(rekey)) of \(name) is longer than 24 hours", hint: "use 1h to 24h (strongSwan's default is 4h)", reason: exposure))
        }
        if let reauth = peer.reauthTime, reauth > .zero, reauth < shortestIKERekey {
            findings.append(
                LintFinding(.warning, at: at("reauth_time"), "reauth_time \(text(reauth)) of \(name) is shorter than 5 minutes", hint: "reauthenticate every few hours at most", reason: churn))
        }
        if peer.randTime != nil, lifetime.rekeyTime > .zero, lifetime.randTime >= lifetime.rekeyTime {
            findings.append(
                LintFinding(
                    .warning, at: at("rand_time"), "rand_time \(text(lifetime.randTime)) of \(name) is not shorter than rekey_time \(text(lifetime.rekeyTime))",
                    hint: "keep rand_time well below rekey_time (the default is 10 % of it)",
                    reason: "the rekey is scheduled at rekey_time minus a random part of rand_time; a rand_time that large makes the rekey time meaningless"))
        }
        if let over = peer.overTime, over == .zero, lifetime.rekeyTime > .zero || lifetime.reauthTime > .zero {
            findings.append(
                LintFinding(
                    .warning, at: at("over_time"), "over_time = 0 of \(name) closes the IKE SA the moment it is due for rekeying",
                    hint: "remove over_time to keep the default (10 % of rekey_time)",
                    reason: "over_time is the grace period for a rekey or reauthentication to complete; with none, a slow or lost exchange drops the tunnel"))
        }
        for child in connection.children {
            findings += childFindings(child)
        }
        return findings
    }

    static func childFindings(_ configuration: ChildConfiguration) -> [LintFinding] {
        var findings: [LintFinding] = []
        let child = configuration.child
        let lifetime = child.lifetime
        let name = "child '\(configuration.name)'"
        func at(_ key: String) -> SourceLocation { configuration.keyLocations[key] ?? configuration.location }
        if let rekey = child.rekeyTime, rekey > .zero, rekey < shortestChildRekey {
            findings.append(
                LintFinding(
                    .warning, at: at("rekey_time"), "rekey_time \(text(rekey)) of \(name) is shorter than a minute", hint: "use 10m to 8h (strongSwan's default is 1h)",
                    reason: "each rekey is a CREATE_CHILD_SA exchange and new kernel or data-plane state; that often costs more than it protects"))
        }
        if let rekey = child.rekeyTime, rekey > longestRekey {
            findings.append(
                LintFinding(
                    .warning, at: at("rekey_time"), "rekey_time \(text(rekey)) of \(name) is longer than 24 hours", hint: "use 10m to 8h (strongSwan's default is 1h)",
                    reason: "one key protects a day or more of traffic; rekeying bounds what one compromised key exposes"))
        }
        if child.lifeTime != nil, lifetime.rekeyTime > .zero, lifetime.lifeTime > .zero, lifetime.lifeTime <= lifetime.rekeyTime {
            findings.append(
                LintFinding(
                    .warning, at: at("life_time"), "life_time \(text(lifetime.lifeTime)) of \(name) is not longer than its rekey_time \(text(lifetime.rekeyTime))",
                    hint: "make life_time longer than rekey_time (the default is rekey_time + 10 %)",
                    reason: "the Child SA expires before it is rekeyed, so traffic stops until a new one is negotiated"))
        }
        if child.randTime != nil, lifetime.rekeyTime > .zero, lifetime.randTime >= lifetime.rekeyTime {
            findings.append(
                LintFinding(
                    .warning, at: at("rand_time"), "rand_time \(text(lifetime.randTime)) of \(name) is not shorter than its rekey_time \(text(lifetime.rekeyTime))",
                    hint: "keep rand_time well below rekey_time",
                    reason: "the rekey is scheduled at rekey_time minus a random part of rand_time; a rand_time that large makes the rekey time meaningless"))
        }
        if child.lifeBytes != nil, lifetime.rekeyBytes > 0, lifetime.lifeBytes > 0, lifetime.lifeBytes <= lifetime.rekeyBytes {
            findings.append(
                LintFinding(
                    .warning, at: at("life_bytes"), "life_bytes of \(name) is not larger than its rekey_bytes",
                    hint: "make life_bytes larger than rekey_bytes (the default is rekey_bytes + 10 %)",
                    reason: "the Child SA expires on volume before it is rekeyed"))
        }
        return findings
    }

    /// A duration in strongSwan's units: `90s`, `5m`, `4h`, `2d`.
    static func text(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        if seconds > 0, seconds % 86400 == 0 { return "\(seconds / 86400)d" }
        if seconds > 0, seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds > 0, seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
