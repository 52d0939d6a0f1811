import ArgumentParser
import CygnetTools

/// `cygnet lint FILE [--strict] [--json]`: checks a configuration offline.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check a swanctl.conf-style configuration without running the daemon.",
        discussion: """
            Reads FILE and its includes, checks every key and value, loads the certificates \
            and keys it names from the swanctl directories beside it (x509/, x509ca/, \
            private/, rsa/, ecdsa/, pkcs8/), and warns about weak choices with the RFC \
            8247 (IKE) or RFC 8221 (ESP) reason: MODP 1024/1536, 3DES, SHA-1, short \
            pre-shared keys, missing PFS, lifetimes out of range.

            Each problem is printed as FILE:LINE:COLUMN: error|warning|note: MESSAGE, \
            followed by its reason and a hint.

            Exit status: 0 no errors (warnings allowed unless --strict), 1 errors (or \
            warnings with --strict), 2 FILE could not be read.
            """
    )

    @Argument(help: "The configuration file (swanctl.conf syntax).")
    var file: String

    @Flag(name: .long, help: "Fail (exit status 1) on warnings too.")
    var strict = false

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        let report = ConfigurationLinter().lint(file: file)
        print(json ? report.json.jsonText : report.text)
        let status = report.exitStatus(strict: strict)
        if status != 0 { throw ExitCode(status) }
    }
}
