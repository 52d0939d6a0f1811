/// Files held in memory, keyed by path: for tests and fuzzing.
public struct InMemorySettingsFileSystem: SettingsFileSystem {
    public var files: [String: [UInt8]]

    public init(files: [String: [UInt8]] = [:]) { self.files = files }

    /// Files given as text.
    public init(text: [String: String]) {
        self.files = text.mapValues { Array($0.utf8) }
    }

    public func contents(ofFile path: String) -> [UInt8]? { files[path] }

    public func files(matching pattern: String) -> [String] {
        files.keys.filter { SettingsPath.matches($0, pattern: pattern) }.sorted()
    }

    public func fileExists(atPath path: String) -> Bool { files[path] != nil }
}
