/// Reads strongSwan's settings syntax, the syntax of `swanctl.conf` and
/// `strongswan.conf` (strongswan.conf(5), "SYNTAX"):
///
/// ```
/// settings := (section | keyvalue)*
/// section  := name { settings }
/// keyvalue := key = value\n
/// ```
///
/// - `#` starts a comment up to the end of the line.
/// - A value runs to the end of the line, a `#` or a `}`; its words are joined by single
///   spaces. Quoted strings (`"..."`) keep their spaces and may span lines; `\n`, `\r`,
///   `\t` and `\` before a line end are escapes, `\` before any other character stands
///   for that character.
/// - `include PATTERN` reads the files matching a glob pattern at that place, relative
///   to the including file's directory. A pattern without wildcards must name a readable
///   file; one with wildcards may match nothing.
/// - A section given twice at one level is one section; a key given twice keeps the later
///   value (strongSwan's `settings_parser.y`: "extend the existing section", "move value
///   to existing object").
///
/// Every node keeps its file, line and column. Any input gives a tree or a typed
/// ``ConfigurationError``, never a trap: sections nest at most
/// ``maximumNestingDepth`` deep, includes ``maximumIncludeDepth`` deep, and at most
/// ``maximumFiles`` files are read.
public struct SettingsParser: Sendable {
    public static let maximumNestingDepth = 32
    public static let maximumIncludeDepth = 16
    public static let maximumFiles = 256

    public let fileSystem: any SettingsFileSystem

    public init(fileSystem: any SettingsFileSystem) {
        self.fileSystem = fileSystem
    }

    /// Parses the file at `path` and the files it includes.
    ///
    /// - Throws: ``ConfigurationError`` with code ``ConfigurationError/Code/file`` and no
    ///   location when `path` itself cannot be read; any other error has a location.
    public func parseFile(atPath path: String) throws(ConfigurationError) -> SettingsSection {
        guard let bytes = fileSystem.contents(ofFile: path) else {
            throw ConfigurationError(.file, at: nil, "cannot read '\(path)'")
        }
        return try parse(bytes: bytes, file: path)
    }

    /// Parses `bytes` as the contents of `file` (which names it in locations and anchors
    /// relative includes).
    public func parse(bytes: [UInt8], file: String) throws(ConfigurationError) -> SettingsSection {
        var root = SettingsSection(name: "", location: SourceLocation(file: file, line: 1, column: 1))
        var context = Context()
        var scanner = SettingsScanner(file: file, bytes: bytes)
        try parseStatements(into: &root, scanner: &scanner, opening: nil, depth: 0, includeDepth: 0, context: &context)
        return root
    }

    /// Parses `text` as the contents of `file`.
    public func parse(text: String, file: String) throws(ConfigurationError) -> SettingsSection {
        try parse(bytes: Array(text.utf8), file: file)
    }

    private struct Context {
        var filesRead = 1
    }

    /// Statements up to the `}` that closes `opening` (consumed), or to the end of the
    /// file at the top level of a file.
    private func parseStatements(
        into section: inout SettingsSection, scanner: inout SettingsScanner,
        opening: (name: String, location: SourceLocation)?, depth: Int, includeDepth: Int, context: inout Context
    ) throws(ConfigurationError) {
        while true {
            scanner.skipBlanks()
            guard let c = scanner.peek else {
                if let opening {
                    throw ConfigurationError(
                        .syntax, at: opening.location, "section '\(opening.name)' is not closed: missing '}'")
                }
                return
            }
            let location = scanner.location
            switch c {
            case "\n":
                scanner.advance()
            case "#":
                scanner.skipComment()
            case "}":
                guard opening != nil else {
                    throw ConfigurationError(.syntax, at: location, "unexpected '}' without a matching '{'")
                }
                scanner.advance()
                return
            case "{":
                throw ConfigurationError(.syntax, at: location, "'{' without a section name")
            case "=":
                throw ConfigurationError(.syntax, at: location, "'=' without a key name")
            case "\"":
                throw ConfigurationError(
                    .syntax, at: location, "unexpected quoted string: quotes are only allowed in values")
            default:
                let name = scanner.scan(while: SettingsScanner.isNameCharacter)
                if name == "include", scanner.peek == " " || scanner.peek == "\t" {
                    scanner.skipBlanks()
                    if scanner.peek != "=" {
                        try include(
                            into: &section, scanner: &scanner, at: location, depth: depth, includeDepth: includeDepth,
                            context: &context)
                        continue
                    }
                }
                try parseNamed(
                    name, at: location, into: &section, scanner: &scanner, depth: depth, includeDepth: includeDepth,
                    context: &context)
            }
        }
    }

    /// What follows a name: `= value` or `{ ... }` (possibly on the next line).
    private func parseNamed(
        _ name: String, at location: SourceLocation, into section: inout SettingsSection,
        scanner: inout SettingsScanner, depth: Int, includeDepth: Int, context: inout Context
    ) throws(ConfigurationError) {
        scanner.skipBlanks()
        var sawNewline = false
        while true {
            switch scanner.peek {
            case "=" where !sawNewline:
                scanner.advance()
                section.merge(try parseValue(key: name, at: location, scanner: &scanner))
                return
            case "{":
                guard depth < Self.maximumNestingDepth else {
                    throw ConfigurationError(
                        .syntax, at: location, "sections nested deeper than \(Self.maximumNestingDepth) levels")
                }
                scanner.advance()
                var subsection = SettingsSection(name: name, location: location)
                try parseStatements(
                    into: &subsection, scanner: &scanner, opening: (name, location), depth: depth + 1,
                    includeDepth: includeDepth, context: &context)
                section.merge(subsection)
                return
            case "\n" where !sawNewline:
                // strongSwan allows the brace of a section on the next line.
                scanner.advance()
                sawNewline = true
                scanner.skipBlanks()
            case "#" where !sawNewline:
                scanner.skipComment()
            default:
                throw ConfigurationError(
                    .syntax, at: location,
                    "'\(name)' is neither a setting ('\(name) = value') nor a section ('\(name) { ... }')")
            }
        }
    }

    private func parseValue(key: String, at location: SourceLocation, scanner: inout SettingsScanner)
        throws(ConfigurationError) -> SettingsKeyValue
    {
        var value = ""
        var length = 0
        var parts: [SettingsKeyValue.ValuePart] = []
        while true {
            scanner.skipBlanks()
            guard let c = scanner.peek, c != "\n", c != "#", c != "}" else { break }
            let partLocation = scanner.location
            let part: String
            if c == "\"" {
                scanner.advance()
                part = try scanner.scanQuotedString(openedAt: partLocation)
            } else {
                part = scanner.scan(while: SettingsScanner.isValueCharacter)
            }
            if !parts.isEmpty {
                value += " "
                length += 1
            }
            parts.append(SettingsKeyValue.ValuePart(offset: length, location: partLocation))
            value += part
            length += part.unicodeScalars.count
        }
        return SettingsKeyValue(
            key: key, value: parts.isEmpty ? nil : value, location: location, valueLocation: parts.first?.location,
            valueParts: parts)
    }

    /// `include PATTERN` (the keyword and blanks consumed).
    private func include(
        into section: inout SettingsSection, scanner: inout SettingsScanner, at location: SourceLocation, depth: Int,
        includeDepth: Int, context: inout Context
    ) throws(ConfigurationError) {
        let patternLocation = scanner.location
        var pattern = ""
        if scanner.peek == "\"" {
            scanner.advance()
            pattern = try scanner.scanQuotedString(openedAt: patternLocation)
        } else {
            while let c = scanner.peek, c != " ", c != "\t", c != "\r", c != "\n", c != "#", c != "}" {
                scanner.advance()
                if c == "\\", let next = scanner.peek, next == "\"" || next == "#" || next == "}" || next == " " {
                    pattern.unicodeScalars.append(next)
                    scanner.advance()
                } else {
                    pattern.unicodeScalars.append(c)
                }
            }
        }
        guard !pattern.isEmpty else {
            throw ConfigurationError(.syntax, at: location, "'include' without a file name")
        }
        let resolved = SettingsPath.resolve(pattern, relativeTo: SettingsPath.directory(of: scanner.file))
        let files: [String]
        if SettingsPath.isPattern(pattern) {
            files = fileSystem.files(matching: resolved)
        } else {
            files = [resolved]
        }
        for file in files {
            guard includeDepth < Self.maximumIncludeDepth else {
                throw ConfigurationError(
                    .include, at: patternLocation,
                    "includes nested deeper than \(Self.maximumIncludeDepth) levels",
                    hint: "check whether '\(file)' includes itself")
            }
            guard context.filesRead < Self.maximumFiles else {
                throw ConfigurationError(.include, at: patternLocation, "more than \(Self.maximumFiles) files included")
            }
            guard let bytes = fileSystem.contents(ofFile: file) else {
                throw ConfigurationError(.include, at: patternLocation, "cannot read included file '\(file)'")
            }
            context.filesRead += 1
            var included = SettingsScanner(file: file, bytes: bytes)
            try parseStatements(
                into: &section, scanner: &included, opening: nil, depth: depth, includeDepth: includeDepth + 1,
                context: &context)
        }
    }
}
