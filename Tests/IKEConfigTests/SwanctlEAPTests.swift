import IKEConfig
import IKEWire
import Testing

@Suite("swanctl.conf auth = eap… and eap_id (RFC 7296 §2.16)")
struct SwanctlEAPTests {
    static let file = "/etc/swanctl/swanctl.conf"

    func load(_ text: String) throws(ConfigurationErrors) -> CygnetConfiguration {
        try CygnetConfiguration.load(
            file: Self.file,
            fileSystem: InMemorySettingsFileSystem(text: [
                Self.file: text, "/etc/swanctl/x509/gw.pem": "", "/etc/swanctl/x509ca/ca.pem": "",
            ]))
    }

    /// A gateway: `local { auth = pubkey }`, `remote { auth = REMOTE … }`, and a RADIUS
    /// server unless `radius` is false.
    func gateway(remote: String, local: String = "pubkey\n certs = gw.pem", remoteExtra: String = "", radius: Bool = true) -> String {
        """
        connections {
            rw {
                local {
                    auth = \(local)
                    id = vpn.example
                }
                remote {
                    auth = \(remote)
                    \(remoteExtra)
                }
                children { net { local_ts = 10.1.0.0/16 } }
            }
        }
        \(radius ? "cygnet { eap-radius { servers { r { address = 127.0.0.1\nsecret = s } } } }" : "")
        """
    }

    /// A client: `local { auth = LOCAL }`, `remote { auth = pubkey }`.
    func client(local: String, localExtra: String = "") -> String {
        """
        connections {
            home {
                remote_addrs = 192.0.2.1
                local {
                    auth = \(local)
                    id = alice@example.org
                    \(localExtra)
                }
                remote {
                    auth = pubkey
                    id = vpn.example
                }
                children { net { remote_ts = 10.1.0.0/16 } }
            }
        }
        """
    }

    @Test(
        "remote { auth = eap-… } on a gateway: the method reaches the engine's connection",
        arguments: [
            ("eap", EAPMethodChoice.any), ("eap-mschapv2", .method(.mschapv2)), ("EAP-TLS", .method(.tls)),
            ("eap-md5", .method(.md5Challenge)), ("eap-radius", .radius),
        ])
    func gatewayMethods(keyword: String, method: EAPMethodChoice) throws {
        let peer = try #require(try load(gateway(remote: keyword)).peers.first)
        #expect(peer.remoteAuthentication == .eap(method) && peer.localAuthentication == .publicKey)
        #expect(peer.remoteEAPIdentity == .ikeIdentity)
        #expect(peer.remoteAuthentication.description == keyword.lowercased())
    }

    @Test("Only eap-md5, the method without an MSK, allows one (RFC 7296 §2.16)")
    func methodsWithoutKey() {
        #expect(EAPMethodChoice.method(.md5Challenge).allowsMethodWithoutKey)
        for method in [EAPMethodChoice.any, .radius, .method(.mschapv2), .method(.tls)] {
            #expect(!method.allowsMethodWithoutKey, "\(method)")
        }
    }

    @Test("eap_id = %any on the gateway asks with EAP-Identity; a name is taken as given; unset is the IKE identity")
    func eapIdentities() throws {
        let asking = try #require(try load(gateway(remote: "eap-mschapv2", remoteExtra: "eap_id = %any")).peers.first)
        #expect(asking.remoteEAPIdentity == .ask)
        let named = try #require(try load(client(local: "eap-mschapv2", localExtra: "eap_id = alice")).peers.first)
        #expect(named.localAuthentication == .eap(.method(.mschapv2)) && named.localEAPIdentity == .named("alice"))
        let unset = try #require(try load(client(local: "eap-mschapv2")).peers.first)
        #expect(unset.localEAPIdentity == .ikeIdentity)
    }

    @Test(
        "Bad EAP settings are errors at their line, with a hint",
        arguments: [
            // An unknown method.
            ("gateway", "eap-ttls", "", ConfigurationError.Code.unsupported, 9),
            // EAP on both sides (RFC 5998 EAP-only) with methods §4 does not allow.
            ("gateway", "eap-mschapv2", "eap-md5", .unsupported, 8),
            // eap_id without EAP.
            ("gateway", "pubkey", "eap_id = %any", .inconsistent, 10),
            // A client asking for an identity.
            ("client", "eap-mschapv2", "eap_id = %any", .invalidValue, 7),
            // RADIUS authenticates the peer, never us.
            ("client", "eap-radius", "", .invalidValue, 5),
        ])
    func badSettings(role: String, auth: String, extra: String, code: ConfigurationError.Code, line: Int) {
        let text =
            switch role {
            case "gateway" where auth == "eap-mschapv2" && extra == "eap-md5":
                gateway(remote: auth, local: extra)
            case "gateway": gateway(remote: auth, remoteExtra: extra)
            default: client(local: auth, localExtra: extra)
            }
        do {
            _ = try load(text)
            Issue.record("accepted: \(text)")
        } catch {
            let first = error.errors.first
            #expect(error.errors.map(\.code) == [code], "\(error.errors)")
            #expect(first?.location?.line == line, "\(error.errors)")
            #expect(first?.hint != nil)
        }
    }

    @Test("EAP on both sides is EAP-only authentication (RFC 5998): eap-tls (or eap) on both sides loads as such")
    func eapOnly() throws {
        for (local, remote) in [("eap-tls", "eap-tls"), ("eap", "eap-tls")] {
            let peer = try #require(try load(gateway(remote: remote, local: local + "\n certs = gw.pem")).peers.first)
            #expect(peer.isEAPOnly && peer.localAuthentication.allowsEAPOnly && peer.remoteAuthentication.allowsEAPOnly)
        }
        let client = try #require(try load(client(local: "eap-mschapv2")).peers.first)
        #expect(!client.isEAPOnly)
        #expect(!EAPMethodChoice.method(.mschapv2).allowsEAPOnly && !EAPMethodChoice.radius.allowsEAPOnly)
    }

    @Test("EAP-TLS without a local certificate, on the client or the gateway, is missing its certs at the local section")
    func eapTLSWithoutCertificate() {
        for (text, line) in [(client(local: "eap-tls"), 4), (gateway(remote: "eap-tls", local: "psk"), 3)] {
            do {
                _ = try load(text)
                Issue.record("accepted: \(text)")
            } catch {
                // (The gateway's psk has no secret either, which is another error.)
                let missing = error.errors.filter { $0.code == .missing }
                #expect(missing.count == 1 && missing.first?.location?.line == line, "\(error.errors)")
                #expect(missing.first?.hint != nil)
            }
        }
        #expect((try? load(client(local: "eap-tls", localExtra: "certs = gw.pem"))) != nil)
    }

    @Test("auth = eap-radius without cygnet { eap-radius { } } names the missing servers")
    func radiusWithoutServers() {
        do {
            _ = try load(gateway(remote: "eap-radius", radius: false))
            Issue.record("accepted")
        } catch {
            #expect(error.errors.map(\.code) == [.inconsistent], "\(error.errors)")
            #expect(error.errors.first?.location?.line == 9 && error.errors.first?.hint != nil)
        }
    }

    @Test("secrets { eap-… { id  secret } }: the passwords of EAP identities, never printed")
    func eapSecrets() throws {
        let configuration = try load(
            client(local: "eap-mschapv2", localExtra: "eap_id = alice") + """

                secrets {
                    eap-alice {
                        id = alice
                        secret = "alice-password"
                    }
                    eap-both {
                        id-1 = bob
                        id-2 = carol@example.org
                        secret = 0x626f62
                    }
                }
                """)
        #expect(configuration.eapSecrets.map(\.name) == ["eap-alice", "eap-both"])
        #expect(configuration.eapSecrets.map(\.identities) == [["alice"], ["bob", "carol@example.org"]])
        #expect(configuration.eapSecrets.map(\.secret) == [Array("alice-password".utf8), Array("bob".utf8)])
        #expect(configuration.ikeSecrets.isEmpty)
        #expect(!configuration.eapSecrets.map(\.description).joined().contains("alice-password"))
    }

    @Test(
        "An eap secret without a password or an identity, or with an unknown key, is refused where it stands",
        arguments: [
            ("eap-a {\nid = alice\n}", ConfigurationError.Code.missing),
            ("eap-a {\nsecret = x\n}", .missing),
            ("eap-a {\nid = alice\nsecret = x\nuser = y\n}", .unknownKey),
        ])
    func badEAPSecrets(text: String, code: ConfigurationError.Code) {
        do {
            _ = try load("secrets {\n" + text + "\n}")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.errors.map(\.code) == [code], "\(error.errors)")
            #expect(error.errors.first?.location?.line == (code == .unknownKey ? 5 : 2))
        }
    }
}
