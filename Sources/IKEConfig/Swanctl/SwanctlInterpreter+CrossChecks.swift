extension SwanctlInterpreter {
    /// Checks that need the whole configuration: secrets for PSK connections,
    /// certificates for public-key ones, addresses for connections started at once.
    mutating func crossCheck(_ configuration: inout CygnetConfiguration) {
        crossCheckPools(configuration)
        let secrets = configuration.ikeSecrets
        let trustAnchorFiles = fileSystem.files(inDirectory: configuration.path(of: .x509ca))
        for connection in configuration.connections {
            let context = "connection '\(connection.name)'"
            let sides = [("local", connection.local), ("remote", connection.remote)]
            if sides.contains(where: { $0.1.authentication == .preSharedKey }), !hasBrokenSecrets {
                let remote = connection.remote.identity
                let local = connection.peer.localIdentity
                let matching = secrets.contains { secret in
                    if let remote { return secret.key.identities.contains { $0.match(remote) > .any || remote.match($0) > .any } }
                    return true
                }
                if !matching {
                    let location = (connection.local.authentication == .preSharedKey ? connection.local : connection.remote)
                        .authenticationLocation ?? connection.location
                    let who = remote.map { "'\($0)'" } ?? "the peer"
                    report(
                        .inconsistent, at: location, "\(context) authenticates with a pre-shared key, but no secret names \(who)",
                        hint: "add secrets { ike-\(connection.name) { id-local = \(local)  id-remote = \(remote.map(\.description) ?? "PEER-ID")  secret = ... } }")
                }
            }
            if connection.remote.authentication == .eap(.radius), configuration.daemon.eapRADIUS == nil,
                !hasError(at: connection.remote.authenticationLocation)
            {
                report(
                    .inconsistent, at: connection.remote.authenticationLocation ?? connection.location,
                    "\(context) forwards EAP to RADIUS ('auth = eap-radius') but no RADIUS server is configured",
                    hint: "add cygnet { eap-radius { servers { NAME { address = ...  secret = ... } } } }")
            }
            if connection.local.location != nil, connection.local.authentication == .publicKey, connection.local.certificates.isEmpty,
                !hasError(at: connection.local.authenticationLocation)
            {
                report(
                    .inconsistent, at: connection.local.authenticationLocation ?? connection.local.location,
                    "\(context) authenticates with a public key ('auth = pubkey', the default) but its local section has no 'certs'",
                    hint: "add certs = NAME.pem (a file in x509/), or use auth = psk")
            }
            if connection.remote.authentication == .publicKey, connection.remote.certificateAuthorities.isEmpty,
                trustAnchorFiles.isEmpty, !hasError(at: connection.remote.authenticationLocation)
            {
                report(
                    .inconsistent, at: connection.remote.authenticationLocation ?? connection.remote.location ?? connection.location,
                    "\(context) verifies the peer's certificate ('auth = pubkey', the default) but no CA certificate is configured",
                    hint: "put the CA in \(configuration.path(of: .x509ca))/ or set cacerts in the remote section, or use auth = psk")
            }
            if let location = connection.keyLocations["local_port"], connection.localPort != configuration.daemon.port {
                report(
                    .unsupported, at: location,
                    "\(context) has local_port = \(connection.localPort), but cygnetd sends and receives the IKE of every connection on one port, cygnet { port } (\(configuration.daemon.port))",
                    hint: "remove local_port, or set cygnet { port = \(connection.localPort) }")
            }
            for child in connection.children where child.startAction != .none {
                if !connection.remoteAddresses.contains(where: \.isSingleHost) {
                    let key = "start_action"
                    report(
                        .inconsistent, at: child.keyLocations[key] ?? child.location,
                        "child '\(child.name)' has start_action = \(child.startAction) but connection '\(connection.name)' has no remote address to initiate to",
                        hint: "set remote_addrs to the peer's address or host name")
                }
            }
        }
    }
}
