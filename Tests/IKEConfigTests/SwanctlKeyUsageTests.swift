import Testing

@testable import IKEConfig

/// Every key the interpreter accepts, where it takes effect, and a value it accepts. A
/// key added to ``SwanctlKeys`` without a line here fails ``everyKeyIsAccounted()``: a new
/// key must say where it is used (or be an error with a hint, like the unsupported ones).
@Suite("swanctl.conf: every accepted key has a use")
struct SwanctlKeyUsageTests {
    struct Use: CustomTestStringConvertible, Sendable {
        var section: Section
        var key: String
        var sample: String
        /// Where the daemon or the engine acts on it.
        var use: String
        var testDescription: String { "\(section).\(key)" }
    }

    enum Section: String, Sendable { case connection, connectionExtension, endpoint, child, daemon, log, eapRADIUS, radiusServer, ikeSecret, eapSecret, privateKeySecret, pool }

    static let uses: [Use] = [
        Use(section: .connection, key: "version", sample: "2", use: "checked: IKEv2 only, 1 is an error"),
        Use(section: .connection, key: "local_addrs", sample: "192.0.2.1", use: "IKEDaemon.up (the address to initiate from), dynamic selectors, the local identity"),
        Use(section: .connection, key: "remote_addrs", sample: "192.0.2.2", use: "IKEDaemon.up (the peer to initiate to, host names resolved there), dynamic selectors"),
        Use(section: .connection, key: "local_port", sample: "500", use: "checked against cygnet { port }, the one port of every connection's IKE"),
        Use(section: .connection, key: "remote_port", sample: "500", use: "IKEDaemon.up (the peer's IKE port)"),
        Use(section: .connection, key: "proposals", sample: "aes256gcm16-prfsha256-x25519", use: "PeerConfiguration.proposals"),
        Use(section: .connection, key: "encap", sample: "yes", use: "PeerConfiguration.forcesUDPEncapsulation"),
        Use(section: .connection, key: "mobike", sample: "no", use: "PeerConfiguration.isMOBIKEEnabled"),
        Use(section: .connection, key: "dpd_delay", sample: "30s", use: "PeerConfiguration.livenessCheckInterval"),
        Use(section: .connection, key: "fragmentation", sample: "yes", use: "PeerConfiguration.fragmentation"),
        Use(section: .connection, key: "send_certreq", sample: "yes", use: "PeerConfiguration.sendCertificateRequest (CERTREQ in IKE_AUTH)"),
        Use(section: .connection, key: "send_cert", sample: "ifasked", use: "PeerConfiguration.sendCertificate (CERT payloads: always, ifasked, never)"),
        Use(section: .connection, key: "keyingtries", sample: "1", use: "checked: one attempt with retransmissions, what the engine does"),
        Use(section: .connection, key: "unique", sample: "replace", use: "PeerConfiguration.uniqueness"),
        Use(section: .connection, key: "reauth_time", sample: "1d", use: "PeerConfiguration.reauthTime"),
        Use(section: .connection, key: "rekey_time", sample: "4h", use: "PeerConfiguration.rekeyTime"),
        Use(section: .connection, key: "over_time", sample: "10m", use: "PeerConfiguration.overTime"),
        Use(section: .connection, key: "rand_time", sample: "5m", use: "PeerConfiguration.randTime"),
        Use(section: .connection, key: "vips", sample: "0.0.0.0, ::", use: "PeerConfiguration.virtualIPs (the CFG_REQUEST of IKE_AUTH, dynamic local selectors)"),
        Use(section: .connection, key: "pools", sample: "rw", use: "PeerConfiguration.pools (AddressAssignmentRequest.pools, answered by AddressPools)"),
        Use(section: .connectionExtension, key: "ms_dh_downgrade", sample: "yes", use: "PeerConfiguration.toleratesKeyExchangeDowngradeOnRekey (the responder's Child SA rekey negotiation)"),
        Use(section: .pool, key: "addrs", sample: "10.4.0.0/24", use: "AddressPoolConfiguration.addresses (AddressPool)"),
        Use(section: .pool, key: "dns", sample: "10.3.0.1, fd00::1", use: "AddressPoolConfiguration.dnsServers (INTERNAL_IP4_DNS, INTERNAL_IP6_DNS)"),
        Use(section: .pool, key: "nbns", sample: "10.3.0.2", use: "AddressPoolConfiguration.nbnsServers (INTERNAL_IP4_NBNS)"),
        Use(section: .pool, key: "subnet", sample: "10.1.0.0/16", use: "AddressPoolConfiguration.subnets (INTERNAL_IP4_SUBNET, INTERNAL_IP6_SUBNET)"),
        Use(section: .daemon, key: "lease_database", sample: "/var/lib/cygnet/leases.sqlite", use: "SQLiteLeaseStore, the AddressPools' lease store (restart needed)"),
        Use(section: .endpoint, key: "auth", sample: "psk", use: "PeerConfiguration.localAuthentication and remoteAuthentication (eap-… as AuthenticationConfiguration.eap); rsa/pss, ecdsa-sha384 … as localSignatureConstraints and remoteSignatureConstraints"),
        Use(section: .endpoint, key: "id", sample: "a.example.org", use: "PeerConfiguration.localIdentity and remoteIdentity"),
        Use(section: .endpoint, key: "eap_id", sample: "alice", use: "PeerConfiguration.localEAPIdentity and remoteEAPIdentity (EAPExchangeRequest.eapIdentity)"),
        Use(section: .endpoint, key: "certs", sample: "gw.pem", use: "PeerConfiguration.localCertificates, the signing key (ConfigurationLoader)"),
        Use(section: .endpoint, key: "cacerts", sample: "ca.pem", use: "PeerConfiguration.remoteCertificateAuthorities (the chain must pass through one, named in CERTREQ)"),
        Use(section: .child, key: "local_ts", sample: "10.1.0.0/16", use: "ChildSAConfiguration.localTrafficSelectors"),
        Use(section: .child, key: "remote_ts", sample: "10.2.0.0/16", use: "ChildSAConfiguration.remoteTrafficSelectors"),
        Use(section: .child, key: "esp_proposals", sample: "aes256gcm16", use: "ChildSAConfiguration.proposals"),
        Use(section: .child, key: "mode", sample: "tunnel", use: "ChildSAConfiguration.mode"),
        Use(section: .child, key: "start_action", sample: "start", use: "IKEDaemon.start and reload initiate; trap is an error"),
        Use(section: .child, key: "dpd_action", sample: "restart", use: "IKEDaemon initiates again when the peer is found dead (CloseActions); trap is an error"),
        Use(section: .child, key: "close_action", sample: "start", use: "IKEDaemon initiates again when the peer closes the IKE or Child SA (CloseActions); trap is an error"),
        Use(section: .child, key: "rekey_time", sample: "1h", use: "ChildLifetime.rekeyTime"),
        Use(section: .child, key: "life_time", sample: "66m", use: "ChildLifetime.lifeTime"),
        Use(section: .child, key: "rand_time", sample: "6m", use: "ChildLifetime.randTime"),
        Use(section: .child, key: "rekey_bytes", sample: "500M", use: "ChildLifetime.rekeyBytes (the data plane's counts)"),
        Use(section: .child, key: "life_bytes", sample: "600M", use: "ChildLifetime.lifeBytes"),
        Use(section: .child, key: "rand_bytes", sample: "10M", use: "ChildLifetime.randBytes"),
        Use(section: .child, key: "rekey_packets", sample: "1000", use: "ChildLifetime.rekeyPackets"),
        Use(section: .child, key: "life_packets", sample: "2000", use: "ChildLifetime.lifePackets"),
        Use(section: .child, key: "rand_packets", sample: "10", use: "ChildLifetime.randPackets"),
        Use(section: .daemon, key: "listen", sample: "127.0.0.1", use: "IKEDaemon.listenAddresses (restart needed)"),
        Use(section: .daemon, key: "port", sample: "500", use: "UDPEndpoints (restart needed)"),
        Use(section: .daemon, key: "port_nat_t", sample: "4500", use: "NATTraversalSockets, IKEEngineConfiguration.natTraversalPort (restart needed)"),
        Use(section: .daemon, key: "control_socket", sample: "/run/cygnet.ctl", use: "cygnetd's ControlServer (restart needed)"),
        Use(section: .daemon, key: "metrics", sample: "127.0.0.1:9469", use: "MetricsServer (restart needed)"),
        Use(section: .daemon, key: "data_plane", sample: "yes", use: "DataPlane (restart needed)"),
        Use(section: .daemon, key: "key_log", sample: "/tmp/keys", use: "KeyLog (restart needed)"),
        Use(section: .daemon, key: "resolv_conf", sample: "/etc/resolv.conf", use: "ResolvConf, written from the engine's addVirtualIPs and removeVirtualIPs (restart needed)"),
        Use(section: .daemon, key: "tun_name", sample: "cygnet0", use: "TUNDevice (restart needed)"),
        Use(section: .daemon, key: "tun_mtu", sample: "1400", use: "TUNDevice (restart needed)"),
        Use(section: .daemon, key: "keep_alive", sample: "20s", use: "EngineShard's NAT keepalives (applied on reload)"),
        Use(section: .daemon, key: "window_size", sample: "1", use: "IKEEngineConfiguration.windowSize"),
        Use(section: .daemon, key: "fragment_size", sample: "1280", use: "IKEEngineConfiguration.fragmentation.fragmentSize"),
        Use(section: .daemon, key: "cookie_threshold", sample: "30", use: "IKEEngineConfiguration.cookieThreshold"),
        Use(section: .daemon, key: "block_threshold", sample: "5", use: "IKEEngineConfiguration.maximumHalfOpenSAsPerAddress"),
        Use(section: .daemon, key: "init_limit_half_open", sample: "1000", use: "IKEEngineConfiguration.maximumHalfOpenSAs"),
        Use(section: .daemon, key: "half_open_timeout", sample: "30s", use: "IKEEngineConfiguration.halfOpenTimeout"),
        Use(section: .daemon, key: "retransmit_timeout", sample: "4s", use: "IKEEngineConfiguration.retransmission"),
        Use(section: .daemon, key: "retransmit_base", sample: "1.8", use: "IKEEngineConfiguration.retransmission"),
        Use(section: .daemon, key: "retransmit_tries", sample: "5", use: "IKEEngineConfiguration.retransmission"),
        Use(section: .log, key: "default", sample: "1", use: "LogLevels: the level of every subsystem not named"),
        Use(section: .log, key: "dmn", sample: "1", use: "LogLevels: start, stop, signals, metrics endpoint"),
        Use(section: .log, key: "cfg", sample: "1", use: "LogLevels: loading and reloading, control requests"),
        Use(section: .log, key: "ike", sample: "1", use: "LogLevels: IKE SA events, refusals, retransmissions"),
        Use(section: .log, key: "chd", sample: "1", use: "LogLevels: Child SAs installed, expired, restarted"),
        Use(section: .log, key: "net", sample: "1", use: "LogLevels: sockets, dropped datagrams"),
        Use(section: .log, key: "knl", sample: "1", use: "LogLevels: routes and addresses (ip)"),
        Use(section: .log, key: "esp", sample: "1", use: "LogLevels: the ESP data plane and its TUN device"),
        Use(section: .eapRADIUS, key: "port", sample: "1812", use: "EAPRADIUSSettings.Server.authPort of the servers that set none (RADIUSClient)"),
        Use(section: .eapRADIUS, key: "nas_identifier", sample: "gw", use: "EAPRADIUSSettings.Server.nasIdentifier of the servers that set none (RADIUSClient's NAS-Identifier)"),
        Use(section: .eapRADIUS, key: "retransmit_tries", sample: "4", use: "EAPRADIUSSettings.Server.retransmitTries of the servers that set none (RADIUSClient)"),
        Use(section: .eapRADIUS, key: "retransmit_timeout", sample: "2s", use: "EAPRADIUSSettings.Server.retransmitTimeout of the servers that set none (RADIUSClient)"),
        Use(section: .eapRADIUS, key: "retransmit_base", sample: "1.4", use: "EAPRADIUSSettings.Server.retransmitBase of the servers that set none (RADIUSClient)"),
        Use(section: .radiusServer, key: "address", sample: "192.0.2.9", use: "RADIUSClient: where Access-Requests go and answers must come from"),
        Use(section: .radiusServer, key: "secret", sample: "s3cret", use: "RADIUSClient: Message-Authenticator, Response Authenticator, MS-MPPE key decryption"),
        Use(section: .radiusServer, key: "auth_port", sample: "1812", use: "RADIUSClient: the server's port"),
        Use(section: .radiusServer, key: "port", sample: "1812", use: "RADIUSClient: the server's port (strongSwan's older name of auth_port)"),
        Use(section: .radiusServer, key: "preference", sample: "10", use: "RADIUSClient: the order servers are tried in"),
        Use(section: .radiusServer, key: "nas_identifier", sample: "gw", use: "RADIUSClient: the NAS-Identifier sent to this server"),
        Use(section: .radiusServer, key: "retransmit_tries", sample: "4", use: "RADIUSClient: sends before failing over"),
        Use(section: .radiusServer, key: "retransmit_timeout", sample: "2s", use: "RADIUSClient: the first wait for an answer"),
        Use(section: .radiusServer, key: "retransmit_base", sample: "1.4", use: "RADIUSClient: the growth of each further wait"),
        Use(section: .ikeSecret, key: "secret", sample: "a secret long enough for the lint", use: "PreSharedKey.secret"),
        Use(section: .ikeSecret, key: "id", sample: "b.example.org", use: "PreSharedKey.identities (id<suffix> alike)"),
        Use(section: .eapSecret, key: "secret", sample: "a password", use: "EAPSecret.secret (EAPBackend: the MSCHAPv2 and MD5 password, both roles)"),
        Use(section: .eapSecret, key: "id", sample: "alice", use: "EAPSecret.identities (id<suffix> alike; EAPBackend finds the password by EAP identity)"),
        Use(section: .privateKeySecret, key: "file", sample: "k.pem", use: "ConfigurationLoader (the signing keys)"),
    ]

    @Test("The table names exactly the keys the interpreter knows, section by section")
    func everyKeyIsAccounted() {
        func keys(_ section: Section) -> [String] { Self.uses.filter { $0.section == section }.map(\.key).sorted() }
        #expect(keys(.connection) == SwanctlKeys.connection.sorted())
        #expect(keys(.connectionExtension) == SwanctlKeys.connectionExtensions.sorted())
        #expect(keys(.endpoint) == SwanctlKeys.endpoint.sorted())
        #expect(keys(.child) == SwanctlKeys.child.sorted())
        #expect(keys(.daemon) == SwanctlKeys.daemon.sorted())
        #expect(keys(.log) == (["default"] + LogSettings.subsystems).sorted())
        #expect(keys(.eapRADIUS) == SwanctlKeys.eapRADIUS.sorted())
        #expect(keys(.radiusServer) == SwanctlKeys.radiusServer.sorted())
        #expect(keys(.ikeSecret) == SwanctlKeys.ikeSecret.sorted())
        #expect(keys(.eapSecret) == SwanctlKeys.eapSecret.sorted())
        #expect(keys(.privateKeySecret) == SwanctlKeys.privateKeySecret.sorted())
        #expect(keys(.pool) == SwanctlKeys.pool.sorted())
        #expect(Self.uses.allSatisfy { !$0.use.isEmpty })
    }

    @Test("Each key loads with its sample value, without an error", arguments: uses)
    func accepted(use: Use) throws {
        var sections: [Section: String] = [:]
        sections[use.section] = "\(use.key) = \(use.sample)"
        let text = """
            connections {
                c {
                    remote_addrs = 192.0.2.2
                    \(sections[.connection] ?? "")
                    local { auth = \(use.key == "eap_id" ? "eap-mschapv2" : "psk")
                            id = a.example.org
                            \(sections[.endpoint] ?? "") }
                    remote { auth = psk
                             id = b.example.org }
                    children { net { remote_ts = 10.2.0.0/16
                                     \(sections[.child] ?? "") } }
                    cygnet { \(sections[.connectionExtension] ?? "") }
                }
            }
            secrets { ike { id = b.example.org
                            \(use.section == .ikeSecret && use.key == "id" ? "" : "id-2 = a.example.org")
                            \(use.section == .ikeSecret && use.key == "secret" ? "" : "secret = \"a secret long enough for the lint\"")
                            \(sections[.ikeSecret] ?? "") }
                      eap-u { \(use.section == .eapSecret && use.key == "id" ? "" : "id = alice")
                              \(use.section == .eapSecret && use.key == "secret" ? "" : "secret = \"a password\"")
                              \(sections[.eapSecret] ?? "") }
                      \(use.section == .privateKeySecret ? "private-k { \(sections[.privateKeySecret] ?? "") }" : "") }
            pools { rw { \(use.section == .pool && use.key == "addrs" ? "" : "addrs = 10.3.0.0/24")
                         \(sections[.pool] ?? "") } }
            cygnet { \(sections[.daemon] ?? "")
                     log { \(sections[.log] ?? "") }
                     eap-radius { \(sections[.eapRADIUS] ?? "")
                                  servers { r { \(use.section == .radiusServer && use.key == "address" ? "" : "address = 192.0.2.8")
                                                \(use.section == .radiusServer && use.key == "secret" ? "" : "secret = x")
                                                \(sections[.radiusServer] ?? "") } } } }
            """
        let files = [
            "/c/swanctl.conf": text, "/c/x509/gw.pem": "", "/c/x509ca/ca.pem": "", "/c/private/k.pem": "",
        ]
        _ = try CygnetConfiguration.load(file: "/c/swanctl.conf", fileSystem: InMemorySettingsFileSystem(text: files))
    }
}
