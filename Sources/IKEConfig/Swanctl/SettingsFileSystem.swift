/// What the settings parser and the swanctl layer need from files: reading a file,
/// expanding an include pattern, and checking that a file exists.
///
/// `IKEConfig` does no I/O of its own; the daemon passes the local file system, tests and
/// fuzzers pass ``InMemorySettingsFileSystem``.
public protocol SettingsFileSystem: Sendable {
    /// The bytes of the file at `path`; `nil` when it does not exist or cannot be read.
    func contents(ofFile path: String) -> [UInt8]?
    /// The files matching a glob pattern (`*`, `?`, `[...]`), sorted; empty when none.
    func files(matching pattern: String) -> [String]
    /// Whether a regular file exists at `path`.
    func fileExists(atPath path: String) -> Bool
}

extension SettingsFileSystem {
    /// The files directly in `directory` (not in subdirectories), sorted.
    public func files(inDirectory directory: String) -> [String] {
        files(matching: SettingsPath.join(directory, "*")).filter { fileExists(atPath: $0) }
    }
}

/// Path arithmetic on `/`-separated paths, without touching the file system.
public enum SettingsPath {
    /// The directory part of `path` (`.` when it has none).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// `path` when absolute, else appended to `directory`; `.` and `..` components
    /// folded away.
    public static func resolve(_ path: String, relativeTo directory: String) -> String {
        normalize(path.hasPrefix("/") ? path : join(directory, path))
    }

    /// Folds `.` and `..` components and repeated slashes (`..` above the root stays at
    /// the root; leading `..` of a relative path is kept).
    public static func normalize(_ path: String) -> String {
        let isAbsolute = path.hasPrefix("/")
        var components: [Substring] = []
        for component in path.split(separator: "/") {
            switch component {
            case ".": continue
            case "..":
                if let last = components.last, last != ".." {
                    components.removeLast()
                } else if !isAbsolute {
                    components.append(component)
                }
            default: components.append(component)
            }
        }
        let joined = components.joined(separator: "/")
        if isAbsolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    public static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty || directory == "." { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Whether `text` has glob characters.
    public static func isPattern(_ text: String) -> Bool { text.contains { "*?[".contains($0) } }

    /// Whether `name` matches the glob `pattern` (`*`, `?`, `[abc]`, `[a-z]`, `[!x]`),
    /// where neither wildcard matches `/`. Iterative, so hostile patterns cannot recurse.
    public static func matches(_ name: String, pattern: String) -> Bool {
        let text = Array(name.unicodeScalars)
        let glob = Array(pattern.unicodeScalars)
        var t = 0
        var g = 0
        var starG = -1
        var starT = 0
        while t < text.count {
            if g < glob.count, glob[g] == "*" {
                starG = g
                starT = t
                g += 1
            } else if g < glob.count, case let step = matchOne(glob, at: g, text[t]), step.matched {
                t += 1
                g = step.next
            } else if starG >= 0, text[starT] != "/" {
                starT += 1
                t = starT
                g = starG + 1
            } else {
                return false
            }
        }
        while g < glob.count, glob[g] == "*" { g += 1 }
        return g == glob.count
    }

    /// Whether one pattern element at `g` matches `c`, and where the next element starts.
    private static func matchOne(_ glob: [Unicode.Scalar], at g: Int, _ c: Unicode.Scalar) -> (matched: Bool, next: Int) {
        switch glob[g] {
        case "?": return (c != "/", g + 1)
        case "[":
            var i = g + 1
            var negate = false
            if i < glob.count, glob[i] == "!" || glob[i] == "^" {
                negate = true
                i += 1
            }
            var matched = false
            var first = true
            while i < glob.count, glob[i] != "]" || first {
                first = false
                if i + 2 < glob.count, glob[i + 1] == "-", glob[i + 2] != "]" {
                    if glob[i] <= c && c <= glob[i + 2] { matched = true }
                    i += 3
                } else {
                    if glob[i] == c { matched = true }
                    i += 1
                }
            }
            guard i < glob.count else { return (glob[g] == c, g + 1) }  // no closing ']': literal '['
            return (matched != negate && c != "/", i + 1)
        case "\\" where g + 1 < glob.count:
            return (glob[g + 1] == c, g + 2)
        default:
            return (glob[g] == c, g + 1)
        }
    }
}
