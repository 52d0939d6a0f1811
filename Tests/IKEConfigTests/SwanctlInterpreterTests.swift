import Foundation
import IKEConfig
import IKEWire
import Testing

@Suite("swanctl.conf interpreted into Cygnet's configuration model")
struct SwanctlInterpreterTests {
    static let file = "/etc/swanctl/swanctl.conf"

    func load(_ text: String, files: [String: String] = [:]) throws(ConfigurationErrors) -> CygnetConfiguration {
        var all = files
        all[Self.file] = text
        return try CygnetConfiguration.load(file: Self.file, fileSystem: InMemorySettingsFileSystem(text: all))
    }

    func errors(_ text: String, files: [String: String] = [:]) -> [String] {
        do {
            _ = try load(text, files: files)
            return []
        } catch {
            return error.errors.map { $0.description.replacingOccurrences(of: "/etc/swanctl/", with: "") }
        }
    }

    static let siteToSite = """
        connections {
            site {
                local_addrs = 192.0.2.1
                remote_addrs = 198.51.100.2, gw-b.example.org
                local_port = 4500
                remote_port = 4501
                proposals = aes256gcm16-prfsha384-ecp384, aes128-sha256-modp2048
                encap = yes
                mobike = no
                dpd_delay = 30s
                fragmentation = accept
                send_cert = never
                send_certreq = no
                keyingtries = 1
                unique = replace
                rekey_time = 2h
                reauth_time = 1d
                over_time = 10m
                rand_time = 5m
                local {
                    auth = psk
                    id = gw-a.example.org
                }
                remote {
                    auth = psk
                    id = gw-b.example.org
                }
                children {
                    lan {
                        local_ts = 10.1.0.0/16
                        remote_ts = 10.2.0.0/16, 10.3.0.1-10.3.0.9[udp/53]
                        esp_proposals = aes256gcm16-x25519-esn
                        mode = transport
                        start_action = start
                        dpd_action = restart
                        close_action = restart
                        rekey_time = 30m
                        life_time = 40m
                        rand_time = 2m
                        rekey_bytes = 1G
                        life_bytes = 2g
                        rand_bytes = 10M
                        rekey_packets = 1000
                        life_packets = 2000
                        rand_packets = 10
                    }
                    host { }
                }
            }
        }
        secrets {
            ike-site {
                id-a = gw-a.example.org
                id-b = gw-b.example.org
                secret = 0x00112233445566778899aabbccddeeff0011223344
            }
        }
        cygnet {
            port = 4500
        }
        """

    @Test("A site-to-site PSK connection maps onto the engine's model and the wrapper")
    func siteToSite() throws {
        let configuration = try load(Self.siteToSite)
        let connection = try #require(configuration.connections.first)
        let peer = connection.peer
        #expect(peer.name == "site")
        #expect(peer.proposals.map { $0.strongSwanDescription(for: .ike) } == [
            "IKE:AES_GCM_16_256/PRF_HMAC_SHA2_384/ECP_384", "IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048",
        ])
        #expect(peer.localIdentity == IKEIdentity(type: .fqdn, data: Array("gw-a.example.org".utf8)))
        #expect(peer.remoteIdentity == IKEIdentity(type: .fqdn, data: Array("gw-b.example.org".utf8)))
        #expect(peer.localAuthentication == .preSharedKey)
        #expect(peer.remoteAuthentication == .preSharedKey)
        #expect(peer.livenessCheckInterval == .seconds(30))
        #expect(peer.fragmentation == .accept)
        #expect(peer.uniqueness == .replace)
        #expect(peer.lifetime == IKELifetime(rekeyTime: .seconds(7200), reauthTime: .seconds(86400), overTime: .seconds(600), randTime: .seconds(300)))
        #expect(connection.localAddresses == [.address([192, 0, 2, 1])])
        #expect(connection.remoteAddresses == [.address([198, 51, 100, 2]), .hostname("gw-b.example.org")])
        #expect(connection.localPort == 4500)
        #expect(connection.remotePort == 4501)
        #expect(connection.encapsulation)
        #expect(connection.sendCertificate == .never)
        #expect(!connection.sendCertificateRequest)
        #expect(connection.keyingTries == 1)

        #expect(connection.children.map(\.name) == ["lan", "host"])
        let lan = connection.children[0]
        #expect(lan.startAction == .start)
        #expect(lan.dpdAction == .start)
        #expect(lan.closeAction == .start)
        #expect(lan.child.mode == .transport)
        #expect(lan.child.proposals.map { $0.strongSwanDescription(for: .esp) } == ["ESP:AES_GCM_16_256/CURVE_25519/EXT_SEQ"])
        #expect(lan.child.localTrafficSelectors.map { TrafficSelectorSpecification.selector($0.selector).description } == ["10.1.0.0/16"])
        #expect(
            lan.child.remoteTrafficSelectors.map { TrafficSelectorSpecification.selector($0.selector).description } == [
                "10.2.0.0/16", "10.3.0.1-10.3.0.9[17/53]",
            ])
        #expect(
            lan.child.lifetime
                == ChildLifetime(
                    rekeyTime: .seconds(1800), lifeTime: .seconds(2400), randTime: .seconds(120), rekeyBytes: 1 << 30,
                    lifeBytes: 2 << 30, randBytes: 10 << 20, rekeyPackets: 1000, lifePackets: 2000, randPackets: 10))
        #expect(peer.children.map(\.name) == ["lan", "host"])

        // The child with nothing set: dynamic selectors, resolved by the engine for each SA;
        // the local one carries the single local address, the remote side has two
        // addresses, so its dynamic selector carries none.
        let host = connection.children[1]
        #expect(host.localTrafficSelectors == [.dynamic(ipProtocol: 0, startPort: 0, endPort: 65535)])
        #expect(host.child.localTrafficSelectors.map { TrafficSelectorSpecification.selector($0.selector).description } == ["192.0.2.1/32"])
        #expect(host.child.localTrafficSelectors.map(\.isDynamic) == [true])
        #expect(host.child.remoteTrafficSelectors == [.dynamic(ipProtocol: 0, startPort: 0, endPort: 65535)])
        #expect(host.child.mode == .tunnel)
        #expect(host.startAction == .none)
        // Loading starts the children with start_action = start, not the others.
        #expect(connection.childrenStartedOnLoad == ["lan"])
        #expect(host.proposals.allSatisfy { $0.isDefault })
        #expect(host.child.lifetime == ChildLifetime())

        #expect(configuration.preSharedKeys.count == 1)
        #expect(configuration.preSharedKeys[0].secret == [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x00, 0x11, 0x22, 0x33, 0x44])
        #expect(configuration.preSharedKeys[0].identities.map(\.description) == ["gw-a.example.org", "gw-b.example.org"])
        #expect(!configuration.requiresLegacyTransforms)
    }

    @Test("Defaults follow strongSwan: ports 500, mobike on, send_cert ifasked, default proposals, 4h/1h lifetimes")
    func defaults() throws {
        let configuration = try load(
            """
            connections {
                c {
                    local_addrs = 192.0.2.1
                    local { auth = psk }
                    remote { auth = psk
                             id = peer@example.org }
                }
            }
            secrets { ike { id = peer@example.org
                            secret = "a secret long enough for the lint" } }
            """)
        let connection = try #require(configuration.connections.first)
        #expect(connection.version == 2)
        #expect(connection.remoteAddresses == [.any])
        #expect(connection.localPort == 500 && connection.remotePort == 500)
        #expect(!connection.encapsulation && connection.sendCertificateRequest)
        #expect(connection.sendCertificate == .ifAsked)
        #expect(connection.keyingTries == 1)
        #expect(connection.peer.livenessCheckInterval == nil)
        #expect(connection.peer.fragmentation == .yes)
        #expect(connection.peer.uniqueness == .no)
        #expect(connection.peer.lifetime == IKELifetime())
        #expect(connection.peer.lifetime.rekeyTime == .seconds(14400))
        #expect(connection.proposals.count == 2 && connection.proposals.allSatisfy { $0.isDefault })
        // Without an id, the single literal local address is the identity.
        #expect(connection.peer.localIdentity == IKEIdentity(type: .ipv4Address, data: [192, 0, 2, 1]))
        #expect(configuration.daemon == DaemonSettings())
        #expect(configuration.daemon.port == 500 && configuration.daemon.natTraversalPort == 4500)
    }

    @Test("The cygnet section: typed settings with strongSwan's defaults")
    func daemonSettings() throws {
        let configuration = try load(
            """
            cygnet {
                listen = 127.0.0.1, ::1
                port = 0
                port_nat_t = 14500
                control_socket = /tmp/cygnet.sock
                metrics = [::1]:9469
                tun_name = vpn0
                tun_mtu = 1380
                keep_alive = 0
                window_size = 8
                fragment_size = 1400
                cookie_threshold = 0
                block_threshold = 10
                init_limit_half_open = 0
                half_open_timeout = 10s
                retransmit_timeout = 2s
                retransmit_base = 1.5
                retransmit_tries = 3
                log {
                    default = 0
                    ike = 2
                    net = -1
                }
            }
            """)
        let daemon = configuration.daemon
        #expect(daemon.listenAddresses.map(\.description) == ["127.0.0.1", "::1"])
        #expect(daemon.port == 0 && daemon.natTraversalPort == 14500)
        #expect(daemon.controlSocket == "/tmp/cygnet.sock")
        #expect(daemon.metricsAddress == "[::1]:9469")
        #expect(daemon.tunName == "vpn0" && daemon.tunMTU == 1380)
        #expect(daemon.natKeepaliveInterval == .zero)
        #expect(daemon.windowSize == 8 && daemon.fragmentSize == 1400)
        #expect(daemon.cookieThreshold == nil && daemon.blockThreshold == 10 && daemon.halfOpenLimit == nil)
        #expect(daemon.halfOpenTimeout == .seconds(10) && daemon.retransmitTimeout == .seconds(2))
        #expect(daemon.retransmitBase == 1.5 && daemon.retransmitTries == 3)
        #expect(daemon.log.level(for: "ike") == 2 && daemon.log.level(for: "net") == -1 && daemon.log.level(for: "cfg") == 0)
    }

    @Test("Certificates and keys resolve in swanctl's directory layout")
    func credentialLayout() throws {
        let configuration = try load(
            """
            connections {
                c {
                    remote_addrs = 192.0.2.2
                    proposals = 3des-sha256-modp1536
                    local { certs = left.pem, /opt/pki/chain.pem
                            id = left.example.org }
                    remote { cacerts = root.pem }
                }
            }
            secrets {
                private-left { file = left.key }
                ecdsa-other { file = /opt/pki/other.key }
            }
            """,
            files: [
                "/etc/swanctl/x509/left.pem": "", "/opt/pki/chain.pem": "", "/etc/swanctl/x509ca/root.pem": "",
                "/etc/swanctl/private/left.key": "", "/opt/pki/other.key": "",
            ])
        let connection = try #require(configuration.connections.first)
        #expect(connection.local.certificates.map(\.path) == ["/etc/swanctl/x509/left.pem", "/opt/pki/chain.pem"])
        #expect(connection.remote.certificateAuthorities.map(\.path) == ["/etc/swanctl/x509ca/root.pem"])
        #expect(connection.peer.localAuthentication == .publicKey && connection.peer.remoteAuthentication == .publicKey)
        #expect(configuration.privateKeySecrets.map { $0.file?.path } == ["/etc/swanctl/private/left.key", "/opt/pki/other.key"])
        #expect(configuration.privateKeySecrets.map(\.kind) == [.private, .ecdsa])
        #expect(configuration.requiresLegacyTransforms)
    }

    @Test("Every problem is reported at once, in file order, with line and column")
    func manyErrors() {
        #expect(
            errors(
                """
                connections {
                    c {
                        rekey_time = soon
                        mobike = perhaps
                        proposals = aes256gcm16-prfsha256-x25519, blowfish-sha1-modp2048
                        local { auth = psk
                                id = a.example }
                        remote { auth = psk
                                 id = b.example
                                 groups = admins }
                        children { net { esp_proposals = aes256gcm16
                                         mode = pass } }
                    }
                }
                secrets { ike-c { id = b.example
                                  secret = "long enough secret for tests" } }
                """)
                == [
                    "swanctl.conf:3:22: error: invalid value 'soon' for 'rekey_time': expected a time such as 4h, 30m, 10s, 1d or plain seconds",
                    "swanctl.conf:4:18: error: invalid value 'perhaps' for 'mobike': expected yes, no, true, false, enabled, disabled, 1 or 0",
                    "swanctl.conf:5:51: error: 'blowfish' (Blowfish) is a strongSwan keyword, but Cygnet does not implement that algorithm\n  hint: use e.g. aes256gcm16, aes256 or chacha20poly1305",
                    "swanctl.conf:10:18: error: 'groups' in 'remote' of connection 'c' is a strongSwan key that Cygnet does not support yet",
                    "swanctl.conf:12:33: error: mode 'pass' is not supported yet\n  hint: use tunnel or transport",
                ])
    }

    @Test("remote { id } may be a wildcard, local { id } may not")
    func wildcardIdentities() throws {
        let text = """
            connections {
                c {
                    local { auth = psk
                            id = LOCAL }
                    remote { auth = psk
                             id = *@example.org }
                }
            }
            secrets { ike { id = alice@example.org
                            secret = "long enough secret for tests" } }
            """
        let configuration = try load(text.replacingOccurrences(of: "LOCAL", with: "gw.example.org"))
        #expect(configuration.connections.first?.peer.remoteIdentity == IKEIdentity(type: .rfc822Address, data: Array("*@example.org".utf8)))
        #expect(
            errors(text.replacingOccurrences(of: "LOCAL", with: "*.example.org")) == [
                "swanctl.conf:4:22: error: the local id '*.example.org' of connection 'c' contains a wildcard\n"
                    + "  hint: a wildcard only matches peers, in remote { id }; give our own identity in full"
            ])
    }
}
