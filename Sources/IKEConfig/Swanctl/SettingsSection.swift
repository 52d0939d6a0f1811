/// A section of a settings file, `name { ... }`, with its keys and subsections in the
/// order they first appeared.
///
/// As in strongSwan, a section given twice at the same level is one section (the second
/// extends the first) and a key given twice keeps the later value.
public struct SettingsSection: Hashable, Sendable {
    public var name: String
    /// Where the name first appeared (the root section: the start of the main file).
    public var location: SourceLocation
    public var keys: [SettingsKeyValue]
    public var sections: [SettingsSection]

    public init(name: String, location: SourceLocation, keys: [SettingsKeyValue] = [], sections: [SettingsSection] = []) {
        self.name = name
        self.location = location
        self.keys = keys
        self.sections = sections
    }

    /// The key named `key`, if set.
    public subscript(key key: String) -> SettingsKeyValue? { keys.first { $0.key == key } }

    /// The subsection named `name`, if present.
    public subscript(section name: String) -> SettingsSection? { sections.first { $0.name == name } }

    /// Adds a key, replacing the value of an earlier one with the same name.
    public mutating func merge(_ keyValue: SettingsKeyValue) {
        if let index = keys.firstIndex(where: { $0.key == keyValue.key }) {
            var replacement = keyValue
            replacement.overridden = keys[index].overridden + [keys[index].location]
            keys[index] = replacement
        } else {
            keys.append(keyValue)
        }
    }

    /// Adds a section, extending an earlier one with the same name.
    public mutating func merge(_ section: SettingsSection) {
        guard let index = sections.firstIndex(where: { $0.name == section.name }) else {
            sections.append(section)
            return
        }
        for keyValue in section.keys { sections[index].merge(keyValue) }
        for subsection in section.sections { sections[index].merge(subsection) }
    }
}
