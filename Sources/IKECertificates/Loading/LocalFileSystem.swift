import Foundation
import IKEConfig

/// The machine's file system, for the settings parser and the credential loader.
///
/// Glob patterns are expanded one path component at a time with
/// ``SettingsPath/matches(_:pattern:)``, so `include conf.d/*.conf` and
/// `include */swanctl.conf` both work; hidden files match only a pattern that starts
/// with a dot, as in the shell.
public struct LocalFileSystem: SettingsFileSystem {
    public init() {}

    public func contents(ofFile path: String) -> [UInt8]? {
        guard fileExists(atPath: path), let data = FileManager.default.contents(atPath: path) else { return nil }
        return [UInt8](data)
    }

    public func fileExists(atPath path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    public func files(matching pattern: String) -> [String] {
        let isAbsolute = pattern.hasPrefix("/")
        let components = pattern.split(separator: "/").map(String.init)
        var candidates = [isAbsolute ? "/" : ""]
        for (index, component) in components.enumerated() {
            let isLast = index == components.count - 1
            var next: [String] = []
            for base in candidates {
                let directory = base.isEmpty ? "." : base
                if SettingsPath.isPattern(component) {
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
                    for name in names.sorted()
                    where SettingsPath.matches(name, pattern: component) && (!name.hasPrefix(".") || component.hasPrefix(".")) {
                        next.append(Self.join(base, name))
                    }
                } else {
                    next.append(Self.join(base, component))
                }
            }
            candidates = next.filter { path in
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                return exists && (isLast || isDirectory.boolValue)
            }
            if candidates.isEmpty { return [] }
        }
        return candidates.filter(fileExists).sorted()
    }

    private static func join(_ base: String, _ name: String) -> String {
        if base.isEmpty { return name }
        return base.hasSuffix("/") ? base + name : base + "/" + name
    }
}
