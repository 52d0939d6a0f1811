import IKEConfig
import Testing

/// A connection's `cygnet { }` section: Cygnet's own settings of the connection.
@Suite("swanctl.conf: a connection's cygnet { } section")
struct SwanctlConnectionExtensionTests {
    static let file = "/etc/swanctl/swanctl.conf"

    func load(_ extensions: String, proposals: String = "aes256-sha256-modp2048") throws(ConfigurationErrors) -> CygnetConfiguration {
        try CygnetConfiguration.load(
            file: Self.file,
            fileSystem: InMemorySettingsFileSystem(text: [
                Self.file: """
                    connections {
                        windows {
                            proposals = \(proposals)
                            local {
                                auth = psk
                                id = vpn.example
                            }
                            remote { auth = psk }
                            children { net { local_ts = 10.1.0.0/16 } }
                            \(extensions)
                        }
                    }
                    secrets { ike-w { id = vpn.example
                                      secret = "a secret long enough for the lint" } }
                    """
            ]))
    }

    @Test("ms_dh_downgrade = yes reaches the engine's connection and turns on the legacy transforms; the default is off")
    func downgrade() throws {
        let tolerant = try load("cygnet { ms_dh_downgrade = yes }")
        #expect(tolerant.peers.map(\.toleratesKeyExchangeDowngradeOnRekey) == [true])
        #expect(tolerant.requiresLegacyTransforms)
        let plain = try load("")
        #expect(plain.peers.map(\.toleratesKeyExchangeDowngradeOnRekey) == [false])
        #expect(!plain.requiresLegacyTransforms)
        #expect(try load("cygnet { ms_dh_downgrade = no }").peers.map(\.toleratesKeyExchangeDowngradeOnRekey) == [false])
    }

    @Test("An unknown key, a section or a bad value in it is an error at its line, with a hint",
          arguments: [
            ("cygnet { ms_dh_downgrad = yes }", ConfigurationError.Code.unknownKey),
            ("cygnet { more { } }", .unknownKey),
            ("cygnet { ms_dh_downgrade = perhaps }", .invalidValue),
          ])
    func errors(extensions: String, code: ConfigurationError.Code) {
        do {
            _ = try load(extensions)
            Issue.record("accepted: \(extensions)")
        } catch {
            #expect(error.errors.map(\.code) == [code], "\(error.errors)")
            #expect(error.errors.first?.location?.line == 10, "\(error.errors)")
            #expect(error.errors.first?.hint != nil || code == .invalidValue)
        }
    }
}
