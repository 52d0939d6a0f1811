/// Turns a parsed swanctl.conf tree into a ``CygnetConfiguration``, collecting every
/// problem instead of stopping at the first.
struct SwanctlInterpreter {
    let file: String
    let directory: String
    let fileSystem: any SettingsFileSystem
    var errors: [ConfigurationError] = []
    /// Whether some `ike` secret was reported broken, so the PSK cross-check does not
    /// pile a second error on the first.
    var hasBrokenSecrets = false

    init(file: String, fileSystem: any SettingsFileSystem) {
        self.file = file
        self.directory = SettingsPath.directory(of: file)
        self.fileSystem = fileSystem
    }

    /// Errors sorted by file, then line, then column; stable otherwise.
    static func fileOrder(_ a: ConfigurationError, _ b: ConfigurationError) -> Bool {
        guard let x = a.location else { return b.location != nil }
        guard let y = b.location else { return false }
        if x.file != y.file { return x.file < y.file }
        if x.line != y.line { return x.line < y.line }
        return x.column < y.column
    }

    mutating func interpret(_ root: SettingsSection) -> CygnetConfiguration {
        var configuration = CygnetConfiguration(file: file, directory: directory)
        for keyValue in root.keys {
            report(
                .unknownKey, at: keyValue.location, "'\(keyValue.key)' must be inside a section",
                hint: "swanctl.conf settings live in connections { }, secrets { }, pools { } or cygnet { }")
        }
        var secretsSection: SettingsSection?
        for section in root.sections {
            switch section.name {
            case "connections":
                configuration.connections = interpretConnections(section)
            case "secrets":
                secretsSection = section
            case "pools":
                configuration.pools = interpretPools(section)
            case "cygnet":
                configuration.daemon = interpretDaemon(section)
            case "children":
                report(
                    .inconsistent, at: section.location, "'children' must be inside a connection",
                    hint: "write connections { NAME { children { CHILD { ... } } } }")
            default:
                if let reason = SwanctlKeys.unsupportedTopSections[section.name] {
                    report(.unsupported, at: section.location, reason)
                } else {
                    reportUnknown(section.name, at: section.location, kind: "section", context: "the top level", known: SwanctlKeys.topSections)
                }
            }
        }
        if let secretsSection {
            (configuration.ikeSecrets, configuration.eapSecrets, configuration.privateKeySecrets) = interpretSecrets(secretsSection)
        }
        crossCheck(&configuration)
        return configuration
    }

    // MARK: - Reporting

    mutating func report(_ code: ConfigurationError.Code, at location: SourceLocation?, _ message: String, hint: String? = nil) {
        errors.append(ConfigurationError(code, at: location, message, hint: hint))
    }

    /// Whether an error was already reported at `location` (to avoid cascades).
    func hasError(at location: SourceLocation?) -> Bool {
        guard let location else { return false }
        return errors.contains { $0.location == location }
    }

    /// An unknown key or section, with the closest known name as a hint.
    mutating func reportUnknown(
        _ name: String, at location: SourceLocation, kind: String, context: String, known: [String], unsupported: [String] = []
    ) {
        if unsupported.contains(name) {
            report(.unsupported, at: location, "'\(name)' in \(context) is a strongSwan \(kind) that Cygnet does not support yet")
            return
        }
        let hint = EditDistance.closest(to: name, among: known).map { "did you mean '\($0)'?" }
        report(
            .unknownKey, at: location, "unknown \(kind) '\(name)' in \(context)",
            hint: hint ?? "known \(kind)s here: \(known.joined(separator: ", "))")
    }

    /// The key's value, or an error when it has none.
    mutating func value(_ keyValue: SettingsKeyValue) -> String? {
        guard let value = keyValue.value else {
            report(
                .missing, at: keyValue.location, "'\(keyValue.key)' has no value",
                hint: "give it a value or remove the line to keep the default")
            return nil
        }
        return value
    }

    mutating func invalid(_ keyValue: SettingsKeyValue, _ value: String, expected: String) {
        report(.invalidValue, at: keyValue.valueLocation, "invalid value '\(value)' for '\(keyValue.key)': expected \(expected)")
    }

    // MARK: - Typed values

    mutating func duration(_ keyValue: SettingsKeyValue) -> Duration? {
        guard let text = value(keyValue) else { return nil }
        guard let duration = SwanctlValue.duration(text) else {
            invalid(keyValue, text, expected: "a time such as 4h, 30m, 10s, 1d or plain seconds")
            return nil
        }
        return duration
    }

    mutating func bytes(_ keyValue: SettingsKeyValue) -> UInt64? {
        guard let text = value(keyValue) else { return nil }
        guard let bytes = SwanctlValue.bytes(text) else {
            invalid(keyValue, text, expected: "a byte count such as 500M, 1G, 64k or plain bytes")
            return nil
        }
        return bytes
    }

    mutating func unsigned(_ keyValue: SettingsKeyValue, maximum: UInt64, expected: String? = nil) -> UInt64? {
        guard let text = value(keyValue) else { return nil }
        guard let number = SwanctlValue.unsigned(text, maximum: maximum) else {
            invalid(keyValue, text, expected: expected ?? "a whole number from 0 to \(maximum)")
            return nil
        }
        return number
    }

    mutating func port(_ keyValue: SettingsKeyValue, allowZero: Bool = false) -> UInt16? {
        guard let text = value(keyValue) else { return nil }
        guard let number = SwanctlValue.unsigned(text, maximum: 65535), allowZero || number > 0 else {
            invalid(keyValue, text, expected: "a port number from \(allowZero ? 0 : 1) to 65535")
            return nil
        }
        return UInt16(number)
    }

    mutating func bool(_ keyValue: SettingsKeyValue) -> Bool? {
        guard let text = value(keyValue) else { return nil }
        guard let flag = SwanctlValue.bool(text) else {
            invalid(keyValue, text, expected: SwanctlValue.boolSpellings)
            return nil
        }
        return flag
    }

    /// A value from a fixed set of words.
    mutating func choice<T>(_ keyValue: SettingsKeyValue, _ parse: (String) -> T?, accepted: String) -> T? {
        guard let text = value(keyValue) else { return nil }
        guard let parsed = parse(text) else {
            invalid(keyValue, text, expected: accepted)
            return nil
        }
        return parsed
    }

    /// The items of a comma-separated list with the location of each; empty items are
    /// reported.
    mutating func list(_ keyValue: SettingsKeyValue) -> [(item: String, location: SourceLocation)] {
        guard let text = value(keyValue) else { return [] }
        var items: [(String, SourceLocation)] = []
        for (item, offset) in SwanctlValue.list(text) {
            let location = keyValue.location(ofValueOffset: offset)
            guard !item.isEmpty else {
                report(.invalidValue, at: location, "empty item in the list of '\(keyValue.key)'", hint: "remove the extra comma")
                continue
            }
            items.append((item, location))
        }
        return items
    }

    /// A proposals list (`proposals`, `esp_proposals`).
    mutating func proposals(_ keyValue: SettingsKeyValue, for proto: ProposalProtocol) -> [ConfiguredProposal] {
        var result: [ConfiguredProposal] = []
        for (item, location) in list(keyValue) {
            do throws(ProposalSyntaxError) {
                let templates = try ProposalParser.parse(item, for: proto)
                let isDefault = item.lowercased() == "default"
                result += templates.map { ConfiguredProposal(text: item, template: $0, isDefault: isDefault, location: location) }
            } catch {
                report(error.isUnsupported ? .unsupported : .invalidValue, at: location.advanced(by: error.offset), error.message, hint: error.hint)
            }
        }
        return result
    }

    /// The default proposals, located at the section they apply to.
    func defaultProposals(for proto: ProposalProtocol, at location: SourceLocation) -> [ConfiguredProposal] {
        DefaultProposals.templates(for: proto).map {
            ConfiguredProposal(text: "default", template: $0, isDefault: true, location: location)
        }
    }

    /// A file named in the configuration, resolved against a credential directory and
    /// checked to exist.
    mutating func fileReference(_ text: String, in credentialDirectory: CredentialDirectory, at location: SourceLocation, what: String)
        -> FileReference
    {
        let base = SettingsPath.join(directory, credentialDirectory.rawValue)
        let path = SettingsPath.resolve(text, relativeTo: base)
        if !fileSystem.fileExists(atPath: path) {
            report(
                .file, at: location, "\(what) file '\(path)' does not exist",
                hint: text.hasPrefix("/") ? nil : "relative names are looked up in \(base)/")
        }
        return FileReference(text: text, path: path, location: location)
    }
}
