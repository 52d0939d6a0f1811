import IKEConfig
import Testing

/// `cygnet { eap-radius { } }`: strongSwan's eap-radius plugin settings.
@Suite("swanctl.conf: cygnet { eap-radius { } }")
struct SwanctlEAPRADIUSTests {
    func load(_ text: String) throws(ConfigurationErrors) -> CygnetConfiguration {
        try CygnetConfiguration.load(file: "/c/swanctl.conf", fileSystem: InMemorySettingsFileSystem(text: ["/c/swanctl.conf": text]))
    }

    /// The code and line of each error of `text`.
    func errors(_ text: String) -> [(code: ConfigurationError.Code, line: Int?)] {
        do {
            _ = try load(text)
            return []
        } catch {
            return error.errors.map { ($0.code, $0.location?.line) }
        }
    }

    @Test("Servers with their own keys, the section's defaults and strongSwan's defaults")
    func servers() throws {
        let configuration = try load(
            """
            cygnet {
                eap-radius {
                    retransmit_tries = 3
                    nas_identifier = gw.example.org
                    servers {
                        primary {
                            address = 192.0.2.10
                            secret = "two words"
                            auth_port = 11812
                            preference = 10
                            retransmit_timeout = 1s
                            retransmit_base = 2
                        }
                        backup {
                            address = 2001:db8::10
                            secret = other
                            nas_identifier = backup-gw
                            retransmit_tries = 6
                        }
                    }
                    retransmit_timeout = 3s
                }
            }
            """)
        let radius = try #require(configuration.daemon.eapRADIUS)
        #expect(radius.servers == [
            EAPRADIUSSettings.Server(
                name: "primary", address: [192, 0, 2, 10], secret: Array("two words".utf8), authPort: 11812, preference: 10,
                nasIdentifier: "gw.example.org", retransmitTries: 3, retransmitTimeout: .seconds(1), retransmitBase: 2),
            EAPRADIUSSettings.Server(
                name: "backup", address: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [0x10], secret: Array("other".utf8),
                authPort: 1812, preference: 0, nasIdentifier: "backup-gw", retransmitTries: 6, retransmitTimeout: .seconds(3),
                retransmitBase: 1.4),
        ])
        // The secret never prints.
        #expect("\(radius.servers[0])" == "RADIUS server 'primary' at 192.0.2.10[11812]")
        #expect(String(reflecting: radius.servers[0]) == "\(radius.servers[0])")
    }

    @Test("Without the section there is no RADIUS; strongSwan's defaults apply to a bare server")
    func defaults() throws {
        #expect(try load("cygnet { port = 500 }").daemon.eapRADIUS == nil)
        let radius = try #require(try load("cygnet { eap-radius { servers { r { address = 127.0.0.1\nsecret = s } } } }").daemon.eapRADIUS)
        let server = try #require(radius.servers.first)
        #expect(server.authPort == 1812 && server.preference == 0 && server.nasIdentifier == "cygnet")
        #expect(server.retransmitTries == 4 && server.retransmitTimeout == .seconds(2) && server.retransmitBase == 1.4)
    }

    @Test("Missing, invalid, unknown and unsupported keys are errors on their line")
    func errors() {
        #expect(errors("cygnet {\n eap-radius {\n }\n}").map(\.code) == [.missing])
        #expect(errors("cygnet {\n eap-radius {\n servers {\n r {\n address = 127.0.0.1\n }\n }\n }\n}").map { "\($0.code)@\($0.line ?? 0)" }
            == ["\(ConfigurationError.Code.missing)@4"])
        #expect(errors("cygnet {\n eap-radius {\n servers {\n r {\n secret = s\n }\n }\n }\n}").map(\.code) == [.missing])
        let invalid = """
            cygnet {
                eap-radius {
                    servers {
                        r {
                            address = radius.example.org
                            secret = s
                            auth_port = 0
                            retransmit_tries = 0
                            retransmit_base = 0.5
                            retransmit_timeout = 0s
                            preference = high
                        }
                    }
                }
            }
            """
        #expect(errors(invalid).map(\.code) == [ConfigurationError.Code](repeating: .invalidValue, count: 6))
        #expect(errors(invalid).map(\.line) == [5, 7, 8, 9, 10, 11])
        let unsupported = """
            cygnet {
                eap-radius {
                    accounting = yes
                    server = 127.0.0.1
                    dae {
                        enable = yes
                    }
                    servers {
                        r {
                            address = 127.0.0.1
                            secret = s
                            acct_port = 1813
                            adress = 127.0.0.2
                        }
                    }
                    retransmit_trys = 2
                }
            }
            """
        #expect(errors(unsupported).map(\.code) == [.unsupported, .unsupported, .unsupported, .unsupported, .unknownKey, .unknownKey])
        #expect(errors(unsupported).map(\.line) == [3, 4, 5, 12, 13, 16])
    }
}
