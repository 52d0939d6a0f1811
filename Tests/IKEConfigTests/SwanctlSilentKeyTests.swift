import IKEConfig
import Testing

/// Keys that strongSwan has and Cygnet parsed without acting on them: each is now either
/// carried out by the daemon or an error with file, line and a hint.
@Suite("swanctl.conf: no key parses without an effect; the ones Cygnet cannot honour are errors with a hint")
struct SwanctlSilentKeyTests {
    static let file = "/etc/swanctl/swanctl.conf"

    /// A PSK connection with `connection` added to the connection section, `child` to its
    /// child, `daemon` to the cygnet section and `secrets` to the secrets section.
    static func configuration(connection: String = "", child: String = "", daemon: String = "", secrets: String = "") -> String {
        """
        connections {
            site {
                remote_addrs = 192.0.2.2
                \(connection)
                local { auth = psk
                        id = a.example.org }
                remote { auth = psk
                         id = b.example.org }
                children { net { local_ts = 10.1.0.0/16
                                 remote_ts = 10.2.0.0/16
                                 \(child) } }
            }
        }
        secrets { ike-site { id = b.example.org
                             secret = "a secret long enough for the lint"
                             }
                  \(secrets) }
        cygnet { \(daemon) }
        """
    }

    static func errors(_ text: String) -> [ConfigurationError] {
        do {
            _ = try CygnetConfiguration.load(file: file, fileSystem: InMemorySettingsFileSystem(text: [file: text]))
            return []
        } catch {
            return error.errors
        }
    }

    static func load(_ text: String) throws -> CygnetConfiguration {
        try CygnetConfiguration.load(file: file, fileSystem: InMemorySettingsFileSystem(text: [file: text]))
    }

    @Test(
        "Trap policies (start_action, dpd_action, close_action = trap or route) are not supported: an error with a hint",
        arguments: ["start_action = trap", "start_action = route", "dpd_action = trap", "close_action = route"])
    func trap(setting: String) {
        let errors = Self.errors(Self.configuration(child: setting))
        #expect(errors.map(\.code) == [.unsupported])
        #expect(errors.first?.location?.line == 11)
        #expect(errors.first?.hint != nil)
    }

    @Test("dpd_action and close_action: none/clear and start/restart are taken")
    func actions() throws {
        let configuration = try Self.load(Self.configuration(child: "dpd_action = restart\n close_action = start"))
        let child = try #require(configuration.connections.first?.children.first)
        #expect(child.dpdAction == .start && child.closeAction == .start)
        let cleared = try Self.load(Self.configuration(child: "dpd_action = clear\n close_action = none"))
        #expect(cleared.connections.first?.children.first.map { $0.dpdAction == .none && $0.closeAction == .none } == true)
    }

    @Test("dpd_timeout (IKEv1 only in strongSwan) is an error that says how IKEv2 finds a dead peer")
    func dpdTimeout() {
        let errors = Self.errors(Self.configuration(connection: "dpd_timeout = 150s"))
        #expect(errors.map(\.code) == [.unsupported])
        #expect(errors.first?.location?.line == 4)
        #expect(errors.first?.hint?.contains("retransmit") == true)
    }

    @Test("mobike is on unless mobike = no, as in strongSwan (RFC 4555)")
    func mobike() throws {
        #expect(try Self.load(Self.configuration(connection: "mobike = yes")).connections.first?.peer.isMOBIKEEnabled == true)
        #expect(try Self.load(Self.configuration(connection: "mobike = no")).connections.first?.peer.isMOBIKEEnabled == false)
        #expect(try Self.load(Self.configuration(connection: "")).connections.first?.peer.isMOBIKEEnabled == true)
    }

    @Test("local_port must be the one port cygnetd receives IKE on (cygnet { port })")
    func localPort() throws {
        let errors = Self.errors(Self.configuration(connection: "local_port = 4500"))
        #expect(errors.map(\.code) == [.unsupported])
        #expect(errors.first?.location?.line == 4)
        _ = try Self.load(Self.configuration(connection: "local_port = 500"))
        _ = try Self.load(Self.configuration(connection: "local_port = 1500", daemon: "port = 1500"))
    }

    @Test("A passphrase for a private key is an error: encrypted keys are not supported")
    func privateKeyPassphrase() {
        let errors = Self.errors(Self.configuration(secrets: "private-k { secret = passphrase }"))
        #expect(errors.map(\.code) == [.unsupported])
        #expect(errors.first?.location?.line == 17)
    }

    @Test("Log levels: the subsystems Cygnet logs under are taken, strongSwan's others are an error")
    func logSubsystems() throws {
        let configuration = try Self.load(
            Self.configuration(daemon: "log { default = 1\n dmn = 0\n cfg = 2\n ike = 2\n chd = 3\n net = -1\n knl = 4\n esp = 1 }"))
        #expect(configuration.daemon.log.level(for: "knl") == 4 && configuration.daemon.log.level(for: "net") == -1)
        for subsystem in ["mgr", "job", "asn", "enc", "lib", "tls"] {
            #expect(Self.errors(Self.configuration(daemon: "log { \(subsystem) = 2 }")).map(\.code) == [.unsupported], "\(subsystem)")
        }
        #expect(Self.errors(Self.configuration(daemon: "log { iek = 2 }")).map(\.code) == [.unknownKey])
    }
}
