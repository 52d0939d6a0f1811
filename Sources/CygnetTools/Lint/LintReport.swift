import IKEConfig

/// What `cygnet lint` found in one file, with the exit status and both renderings.
public struct LintReport: Sendable {
    public var file: String
    public var findings: [LintFinding]
    /// Whether the file itself could not be read (exit status 2).
    public var isUnreadable: Bool

    public init(file: String, findings: [LintFinding], isUnreadable: Bool = false) {
        self.file = file
        self.findings = findings
        self.isUnreadable = isUnreadable
    }

    public func count(_ severity: LintFinding.Severity) -> Int { findings.filter { $0.severity == severity }.count }

    /// 2 when the file cannot be read, 1 with errors (or warnings under `strict`), else 0.
    public func exitStatus(strict: Bool) -> Int32 {
        if isUnreadable { return 2 }
        if count(.error) > 0 { return 1 }
        if strict, count(.warning) > 0 { return 1 }
        return 0
    }

    /// One finding after another, then a summary line.
    public var text: String {
        var lines = findings.map(\.description)
        lines.append(summary)
        return lines.joined(separator: "\n")
    }

    /// `FILE: 1 error, 2 warnings, 0 notes`.
    public var summary: String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return "\(file): \(plural(count(.error), "error")), \(plural(count(.warning), "warning")), \(plural(count(.note), "note"))"
    }

    /// One JSON object: `file`, `readable`, counts, and `findings` (each with `severity`,
    /// `code`, `file`, `line`, `column`, `message`, `hint`, `reason`; absent values are null).
    public var json: JSONValue {
        .object([
            "file": .string(file),
            "readable": .bool(!isUnreadable),
            "errors": .integer(count(.error)),
            "warnings": .integer(count(.warning)),
            "notes": .integer(count(.note)),
            "findings": .array(
                findings.map { finding in
                    .object([
                        "severity": .string(finding.severity.rawValue),
                        "code": finding.code.map { .string($0.rawValue) } ?? .null,
                        "file": finding.location.map { .string($0.file) } ?? .null,
                        "line": finding.location.map { .integer($0.line) } ?? .null,
                        "column": finding.location.map { .integer($0.column) } ?? .null,
                        "message": .string(finding.message),
                        "hint": finding.hint.map(JSONValue.string) ?? .null,
                        "reason": finding.reason.map(JSONValue.string) ?? .null,
                    ])
                }),
        ])
    }
}
