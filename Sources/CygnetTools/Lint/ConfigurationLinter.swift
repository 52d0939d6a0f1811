import IKECertificates
import IKEConfig

/// `cygnet lint`: checks a configuration offline, as the daemon would load it, and
/// warns about weak choices with the reason the RFCs give (RFC 8247 for IKE, RFC 8221
/// for ESP).
public struct ConfigurationLinter: Sendable {
    public var loader: ConfigurationLoader

    public init(fileSystem: any SettingsFileSystem = LocalFileSystem()) {
        self.loader = ConfigurationLoader(fileSystem: fileSystem)
    }

    /// Errors when the configuration cannot be loaded; otherwise the warnings and notes.
    public func lint(file: String) -> LintReport {
        do {
            let loaded = try loader.load(file: file)
            return LintReport(file: file, findings: Self.findings(in: loaded.configuration))
        } catch {
            let unreadable = error.errors.contains { $0.code == .file && $0.location == nil }
            return LintReport(file: file, findings: error.errors.map(LintFinding.init), isUnreadable: unreadable)
        }
    }

    /// The warnings and notes for a configuration that loads, in file order.
    public static func findings(in configuration: CygnetConfiguration) -> [LintFinding] {
        var findings: [LintFinding] = []
        for connection in configuration.connections {
            findings += WeakChoiceRules.proposals(of: connection)
            findings += LifetimeRules.findings(for: connection)
            findings += WeakChoiceRules.connection(connection)
            findings += PoolRules.findings(for: connection, pools: configuration.pools)
            findings += ClientProfileRules.findings(for: connection)
        }
        for secret in configuration.ikeSecrets {
            findings += WeakChoiceRules.secret(secret)
        }
        findings += WeakChoiceRules.daemon(configuration.daemon)
        return findings.enumerated().sorted { a, b in
            guard let x = a.element.location, let y = b.element.location else { return a.offset < b.offset }
            if x.file != y.file { return x.file < y.file }
            if x.line != y.line { return x.line < y.line }
            if x.column != y.column { return x.column < y.column }
            return a.offset < b.offset
        }.map(\.element)
    }
}
