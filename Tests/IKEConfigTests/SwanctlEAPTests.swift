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

    /// A gateway: `local { auth = pubkey }`, `remote { auth = REMOTE … }`.
    func gateway(remote: String, local: String = "pubkey\n certs = gw.pem", remoteExtra: String = "") -> String {
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
            // EAP on both sides (RFC 5998 EAP-only) is not implemented.
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
}
