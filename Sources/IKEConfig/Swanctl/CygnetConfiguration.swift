import IKEWire

/// A whole configuration in swanctl.conf syntax, checked and interpreted: the
/// connections with their children, the secrets, and the daemon's own `cygnet { }`
/// settings.
///
/// ```
/// connections {
///     site { remote_addrs = 198.51.100.2  local { auth = psk  id = a.example }  ... }
/// }
/// secrets { ike-site { id = b.example  secret = "..." } }
/// cygnet { port = 500  log { default = 1 } }
/// ```
///
/// ``load(file:fileSystem:)`` reads and checks everything it can without loading
/// credentials: unknown and unsupported keys, values, proposals, traffic selectors,
/// identities, that named certificate and key files exist, and that the parts fit
/// together. It reports every problem at once, each with file, line and column.
public struct CygnetConfiguration: Sendable {
    /// The main file, as given.
    public var file: String
    /// The swanctl directory: the main file's directory, where `x509/`, `x509ca/`,
    /// `private/` and the other credential directories are looked for.
    public var directory: String
    public var connections: [ConnectionConfiguration]
    /// `secrets { ike<suffix> { ... } }`.
    public var ikeSecrets: [IKESecret]
    /// `secrets { eap<suffix> { ... } }`: EAP passwords.
    public var eapSecrets: [EAPSecret] = []
    /// `secrets { private<suffix> { ... } ... }`.
    public var privateKeySecrets: [PrivateKeySecret]
    /// `cygnet { ... }`.
    public var daemon: DaemonSettings
    /// `pools { ... }`, in file order.
    public var pools: [AddressPoolConfiguration] = []

    public init(
        file: String, directory: String, connections: [ConnectionConfiguration] = [], ikeSecrets: [IKESecret] = [],
        privateKeySecrets: [PrivateKeySecret] = [], daemon: DaemonSettings = DaemonSettings()
    ) {
        self.file = file
        self.directory = directory
        self.connections = connections
        self.ikeSecrets = ikeSecrets
        self.privateKeySecrets = privateKeySecrets
        self.daemon = daemon
    }

    /// Reads `file` (and its includes) and interprets it.
    ///
    /// - Throws: ``ConfigurationErrors`` with every problem found; a main file that
    ///   cannot be read is one error of code ``ConfigurationError/Code/file`` without a
    ///   location.
    public static func load(file: String, fileSystem: any SettingsFileSystem) throws(ConfigurationErrors) -> CygnetConfiguration {
        let root: SettingsSection
        do {
            root = try SettingsParser(fileSystem: fileSystem).parseFile(atPath: file)
        } catch {
            throw ConfigurationErrors([error])
        }
        return try CygnetConfiguration(settings: root, file: file, fileSystem: fileSystem)
    }

    /// Interprets parsed settings.
    public init(settings: SettingsSection, file: String, fileSystem: any SettingsFileSystem) throws(ConfigurationErrors) {
        var interpreter = SwanctlInterpreter(file: file, fileSystem: fileSystem)
        let configuration = interpreter.interpret(settings)
        guard interpreter.errors.isEmpty else {
            throw ConfigurationErrors(interpreter.errors.sorted(by: SwanctlInterpreter.fileOrder))
        }
        self = configuration
    }

    /// What the engine takes: one ``PeerConfiguration`` per connection.
    public var peers: [PeerConfiguration] { connections.map(\.peer) }

    /// What the engine takes: the `ike` secrets.
    public var preSharedKeys: [PreSharedKey] { ikeSecrets.map(\.key) }

    /// The path of one of the swanctl credential directories.
    public func path(of directory: CredentialDirectory) -> String {
        SettingsPath.join(self.directory, directory.rawValue)
    }

    /// Whether some connection's proposal names a transform the crypto provider only
    /// offers on explicit opt-in (``ConnectionConfiguration/requiresLegacyTransforms``).
    public var requiresLegacyTransforms: Bool { connections.contains(where: \.requiresLegacyTransforms) }
}
