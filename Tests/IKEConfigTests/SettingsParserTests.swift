import IKEConfig
import Testing

/// strongSwan's settings syntax (strongswan.conf(5), "SYNTAX") as swanctl.conf uses it.
@Suite("Settings parser: strongSwan's swanctl.conf syntax")
struct SettingsParserTests {
    func parse(_ text: String, files: [String: String] = [:]) throws(ConfigurationError) -> SettingsSection {
        var all = files
        all["/etc/swanctl/swanctl.conf"] = text
        return try SettingsParser(fileSystem: InMemorySettingsFileSystem(text: all)).parseFile(atPath: "/etc/swanctl/swanctl.conf")
    }

    func error(_ text: String, files: [String: String] = [:]) -> String {
        do {
            _ = try parse(text, files: files)
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test("Sections, keys, comments and values trimmed to the end of the line")
    func sectionsAndKeys() throws {
        let root = try parse(
            """
            # a comment
            connections {
                site {   # trailing comment
                    remote_addrs =   198.51.100.2   
                    proposals = aes256gcm16-prfsha384-ecp384 # comment after a value
                }
            }
            """)
        let site = try #require(root[section: "connections"]?[section: "site"])
        #expect(site[key: "remote_addrs"]?.value == "198.51.100.2")
        #expect(site[key: "proposals"]?.value == "aes256gcm16-prfsha384-ecp384")
        #expect(site.location == SourceLocation(file: "/etc/swanctl/swanctl.conf", line: 3, column: 5))
        #expect(site[key: "remote_addrs"]?.location == SourceLocation(file: "/etc/swanctl/swanctl.conf", line: 4, column: 9))
        #expect(site[key: "remote_addrs"]?.valueLocation.column == 26)
    }

    @Test("Words of a value are joined by one space; quoted strings keep theirs, with escapes")
    func valuesAndStrings() throws {
        let root = try parse(
            """
            s {
                words = a    b	c
                quoted = "  two  spaces  "
                escapes = "tab\\there \\"quote\\" back\\\\slash new\\nline"
                joined = "first \\
            second"
                mixed = a "b  c" d
                empty =
                braces = "{not a section}"
            }
            """)
        let s = try #require(root[section: "s"])
        #expect(s[key: "words"]?.value == "a b c")
        #expect(s[key: "quoted"]?.value == "  two  spaces  ")
        #expect(s[key: "escapes"]?.value == "tab\there \"quote\" back\\slash new\nline")
        #expect(s[key: "joined"]?.value == "first second")
        #expect(s[key: "mixed"]?.value == "a b  c d")
        #expect(s[key: "empty"] != nil)
        #expect(s[key: "empty"]?.value == nil)
        #expect(s[key: "braces"]?.value == "{not a section}")
    }

    @Test("A section's brace may be on the next line; a value ends at '}'")
    func braceOnNextLine() throws {
        let root = try parse("a\n{\n  k = v }\nb { x = 1 }\n")
        #expect(root[section: "a"]?[key: "k"]?.value == "v")
        #expect(root[section: "b"]?[key: "x"]?.value == "1")
    }

    @Test("A section given twice is merged; a key given twice keeps the later value")
    func mergeAndOverride() throws {
        let root = try parse(
            """
            connections {
                a { rekey_time = 1h }
            }
            connections {
                a {
                    rekey_time = 2h
                    mobike = no
                }
                b { }
            }
            """)
        let connections = try #require(root[section: "connections"])
        #expect(connections.sections.map(\.name) == ["a", "b"])
        let a = try #require(connections[section: "a"])
        #expect(a[key: "rekey_time"]?.value == "2h")
        #expect(a[key: "rekey_time"]?.location.line == 6)
        #expect(a[key: "rekey_time"]?.overridden == [SourceLocation(file: "/etc/swanctl/swanctl.conf", line: 2, column: 9)])
        #expect(a[key: "mobike"]?.value == "no")
        #expect(a.location.line == 2)
    }

    @Test("include reads files relative to the including file, globs sorted, inside sections too")
    func includes() throws {
        let root = try parse(
            """
            include conf.d/*.conf
            connections {
                include "more/extra one.conf"
            }
            """,
            files: [
                "/etc/swanctl/conf.d/b.conf": "connections { b { } }\n",
                "/etc/swanctl/conf.d/a.conf": "connections { a { } }\ninclude ../nested.conf\n",
                "/etc/swanctl/nested.conf": "secrets { }\n",
                "/etc/swanctl/more/extra one.conf": "c { version = 2 }\n",
                "/etc/swanctl/conf.d/ignored.txt": "broken {\n",
            ])
        #expect(root[section: "connections"]?.sections.map(\.name) == ["a", "b", "c"])
        #expect(root[section: "secrets"] != nil)
        let c = try #require(root[section: "connections"]?[section: "c"])
        #expect(c[key: "version"]?.location == SourceLocation(file: "/etc/swanctl/more/extra one.conf", line: 1, column: 5))
    }

    @Test("A glob that matches nothing is fine; a missing plain include is an error")
    func missingIncludes() {
        #expect(error("include none/*.conf\n") == "no error")
        #expect(
            error("\ninclude missing.conf\n")
                == "/etc/swanctl/swanctl.conf:2:9: error: cannot read included file '/etc/swanctl/missing.conf'")
        #expect(error("include = value\n") == "no error")
    }

    @Test("A file including itself stops at the include depth limit")
    func includeLoop() {
        #expect(
            error("include swanctl.conf\n")
                == """
                /etc/swanctl/swanctl.conf:1:9: error: includes nested deeper than 16 levels
                  hint: check whether '/etc/swanctl/swanctl.conf' includes itself
                """)
    }

    @Test(
        "Syntax errors name the place and the problem",
        arguments: [
            ("a {\n  b = c\n", "1:1: error: section 'a' is not closed: missing '}'"),
            ("a = b\n}\n", "2:1: error: unexpected '}' without a matching '{'"),
            ("a {\n  b = \"open\n}\n", "2:7: error: unterminated string: missing closing '\"'"),
            ("{ }\n", "1:1: error: '{' without a section name"),
            ("a {\n = 1\n}\n", "2:2: error: '=' without a key name"),
            ("\"a\" = 1\n", "1:1: error: unexpected quoted string: quotes are only allowed in values"),
            ("a b = 1\n", "1:1: error: 'a' is neither a setting ('a = value') nor a section ('a { ... }')"),
            ("a\n\n{ }\n", "1:1: error: 'a' is neither a setting ('a = value') nor a section ('a { ... }')"),
            ("include\t\"\"\n", "1:1: error: 'include' without a file name"),
        ])
    func syntaxErrors(text: String, expected: String) {
        #expect(error(text) == "/etc/swanctl/swanctl.conf:" + expected)
    }

    @Test("Sections nested too deep are an error, not a stack overflow")
    func nestingLimit() {
        let deep = String(repeating: "a {", count: 40) + String(repeating: "}", count: 40)
        #expect(error(deep) == "/etc/swanctl/swanctl.conf:1:97: error: sections nested deeper than 32 levels")
    }

    @Test("Glob matching: *, ?, classes, and no match across '/'")
    func globs() {
        #expect(SettingsPath.matches("/a/b.conf", pattern: "/a/*.conf"))
        #expect(!SettingsPath.matches("/a/sub/b.conf", pattern: "/a/*.conf"))
        #expect(SettingsPath.matches("/a/x1.conf", pattern: "/a/x?.conf"))
        #expect(SettingsPath.matches("/a/x1.conf", pattern: "/a/x[0-9].conf"))
        #expect(!SettingsPath.matches("/a/xa.conf", pattern: "/a/x[!a-z].conf"))
        #expect(SettingsPath.matches("/a/[b.conf", pattern: "/a/[b.conf"))
    }
}
