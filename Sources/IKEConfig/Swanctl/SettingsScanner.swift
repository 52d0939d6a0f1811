/// A cursor over the text of one settings file that keeps the line and column.
struct SettingsScanner {
    let file: String
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private(set) var line = 1
    private(set) var column = 1

    init(file: String, bytes: [UInt8]) {
        self.file = file
        // Invalid UTF-8 becomes U+FFFD, so any byte string scans.
        self.scalars = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
    }

    var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    /// The scalar after ``peek``.
    var peekSecond: Unicode.Scalar? { index + 1 < scalars.count ? scalars[index + 1] : nil }

    mutating func advance() {
        guard index < scalars.count else { return }
        if scalars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    /// Skips spaces, tabs and carriage returns (not newlines).
    mutating func skipBlanks() {
        while let c = peek, c == " " || c == "\t" || c == "\r" { advance() }
    }

    /// Skips a `#` comment up to, not including, the newline.
    mutating func skipComment() {
        while let c = peek, c != "\n" { advance() }
    }

    /// Scans characters while `accept` holds.
    mutating func scan(while accept: (Unicode.Scalar) -> Bool) -> String {
        var text = String.UnicodeScalarView()
        while let c = peek, accept(c) {
            text.append(c)
            advance()
        }
        return String(text)
    }

    /// Scans the rest of a quoted string (the opening quote already consumed), resolving
    /// strongSwan's escapes: `\n`, `\r`, `\t`, a backslash before a line end joins the
    /// lines, and a backslash before any other character stands for that character.
    mutating func scanQuotedString(openedAt start: SourceLocation) throws(ConfigurationError) -> String {
        var text = String.UnicodeScalarView()
        while true {
            guard let c = peek else {
                throw ConfigurationError(.syntax, at: start, "unterminated string: missing closing '\"'")
            }
            advance()
            switch c {
            case "\"":
                return String(text)
            case "\r":
                continue
            case "\\":
                guard let escaped = peek else {
                    throw ConfigurationError(.syntax, at: start, "unterminated string: missing closing '\"'")
                }
                advance()
                switch escaped {
                case "n": text.append("\n")
                case "r": text.append("\r")
                case "t": text.append("\t")
                case "\n": break
                case "\r": if peek == "\n" { advance() }
                default: text.append(escaped)
                }
            default:
                text.append(c)
            }
        }
    }

    static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "#", "{", "}", "=", "\"", " ", "\t", "\r", "\n": false
        default: true
        }
    }

    static func isValueCharacter(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "#", "}", "\"", " ", "\t", "\r", "\n": false
        default: true
        }
    }
}
