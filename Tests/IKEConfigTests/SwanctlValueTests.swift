import IKEConfig
import IKEWire
import Testing

@Suite("strongSwan value syntax: times, byte counts, Booleans, lists")
struct SwanctlValueTests {
    @Test(
        "Times: whole numbers with s, m, h, d or plain seconds (vici parse_time)",
        arguments: [
            ("4h", 14400), ("30m", 1800), ("10s", 10), ("1d", 86400), ("3600", 3600), ("0", 0), ("2 h", 7200), ("1D", 86400),
        ])
    func durations(text: String, seconds: Int64) {
        #expect(SwanctlValue.duration(text) == .seconds(seconds))
    }

    @Test("Times that are not strongSwan times", arguments: ["", "h", "4 hours", "1.5h", "-1s", "4w", "99999999999999999999"])
    func badDurations(text: String) {
        #expect(SwanctlValue.duration(text) == nil)
    }

    @Test(
        "Byte counts with k, m, g for powers of 1024 (vici parse_bytes)",
        arguments: [("500M", UInt64(500) << 20), ("1g", 1 << 30), ("64k", 64 << 10), ("1000", 1000), ("0", 0)] as [(String, UInt64)])
    func byteCounts(text: String, value: UInt64) {
        #expect(SwanctlValue.bytes(text) == value)
    }

    @Test("Byte counts that do not parse or overflow", arguments: ["1T", "MB", "", "18446744073709551615G"])
    func badByteCounts(text: String) {
        #expect(SwanctlValue.bytes(text) == nil)
    }

    @Test("Booleans as strongSwan spells them, in any case")
    func booleans() {
        for text in ["yes", "true", "enabled", "1", "YES"] { #expect(SwanctlValue.bool(text) == true) }
        for text in ["no", "false", "disabled", "0", "No"] { #expect(SwanctlValue.bool(text) == false) }
        for text in ["y", "on", "2", ""] { #expect(SwanctlValue.bool(text) == nil) }
    }

    @Test("Lists split at commas, blanks trimmed, offsets kept")
    func lists() {
        let items = SwanctlValue.list("a, b ,c,, d e")
        #expect(items.map(\.item) == ["a", "b", "c", "", "d e"])
        #expect(items.map(\.offset) == [0, 3, 6, 8, 10])
    }

    @Test("Secrets: text, 0x hex and 0s base64 as strongSwan encodes them")
    func secrets() throws {
        #expect(try SecretEncoding.decode("plain text").get() == Array("plain text".utf8))
        #expect(try SecretEncoding.decode("0x00ff10").get() == [0x00, 0xFF, 0x10])
        #expect(try SecretEncoding.decode("0sAAEC").get() == [0, 1, 2])
        #expect(try SecretEncoding.decode("0sAAE=").get() == [0, 1])
        #expect(try SecretEncoding.decode("0sAA==").get() == [0])
        for bad in ["0x", "0x123", "0xzz", "0s", "0s!!!!", "0sA"] {
            #expect(throws: ProposalSyntaxError.self) { try SecretEncoding.decode(bad).get() }
        }
    }

    @Test("Addresses: IPv4, IPv6, prefixes, ranges, names, wildcards")
    func addresses() {
        #expect(AddressSpecification("192.0.2.1") == .address([192, 0, 2, 1]))
        #expect(AddressSpecification("2001:db8::1")?.description == "2001:db8::1")
        #expect(AddressSpecification("::")?.description == "::")
        #expect(AddressSpecification("::ffff:192.0.2.1")?.description == "::ffff:c000:201")
        #expect(AddressSpecification("10.0.0.0/8") == .prefix([10, 0, 0, 0], length: 8))
        #expect(AddressSpecification("10.0.0.1-10.0.0.9") == .range([10, 0, 0, 1], [10, 0, 0, 9]))
        #expect(AddressSpecification("vpn.example.org") == .hostname("vpn.example.org"))
        #expect(AddressSpecification("%ANY") == .any)
        for bad in ["198.51.100.300", "10.0.0.0/33", "10.0.0.9-10.0.0.1", "a..b", "-a.example", "1:2:3", "::1::2", "bad name"] {
            #expect(AddressSpecification(bad) == nil, "\(bad)")
        }
    }

    @Test("Traffic selectors: subnets, ranges, dynamic, protocol and ports")
    func trafficSelectors() throws {
        let cases: [(String, String)] = [
            ("10.1.0.0/16", "10.1.0.0/16"), ("10.1.2.3/16", "10.1.0.0/16"), ("10.0.0.1-10.0.0.9", "10.0.0.1-10.0.0.9"),
            ("2001:db8::/32", "2001:db8::/32"), ("0.0.0.0/0", "0.0.0.0/0"), ("10.0.0.1", "10.0.0.1/32"),
            ("dynamic", "dynamic"), ("dynamic[udp/500]", "dynamic[17/500]"), ("10.0.0.0/8[tcp/1024-65535]", "10.0.0.0/8[6/1024-65535]"),
            ("::/0[ipv6-icmp]", "::/0[58]"), ("10.0.0.0/8[icmp/opaque]", "10.0.0.0/8[1/65535-0]"), ("10.0.0.0/8[any/any]", "10.0.0.0/8"),
        ]
        for (text, expected) in cases {
            #expect(try TrafficSelectorSpecification.parse(text).get().description == expected, "\(text)")
        }
        for bad in ["10.0.0.0/33", "10.0.0.0/8[tcp", "10.0.0.0/8[foo]", "10.0.0.0/8[tcp/https]", "10.0.0.0/8[tcp/9-1]", "host.example", ""] {
            #expect(throws: ProposalSyntaxError.self, "\(bad)") { try TrafficSelectorSpecification.parse(bad).get() }
        }
    }

    @Test("Identities as swanctl writes them")
    func identities() throws {
        #expect(try IdentityText.parse("vpn.example.org").get() == IKEIdentity(type: .fqdn, data: Array("vpn.example.org".utf8)))
        #expect(try IdentityText.parse("@vpn").get() == IKEIdentity(type: .fqdn, data: Array("vpn".utf8)))
        #expect(try IdentityText.parse("user@example.org").get()?.type == .rfc822Address)
        #expect(try IdentityText.parse("@@user@example.org").get()?.type == .rfc822Address)
        #expect(try IdentityText.parse("192.0.2.1").get() == IKEIdentity(type: .ipv4Address, data: [192, 0, 2, 1]))
        #expect(try IdentityText.parse("2001:db8::1").get()?.type == .ipv6Address)
        #expect(try IdentityText.parse("@#0a0b").get() == IKEIdentity(type: .keyID, data: [10, 11]))
        #expect(try IdentityText.parse("%any").get() == nil)
        #expect(throws: ProposalSyntaxError.self) { try IdentityText.parse("C=CH, O=strongSwan, CN=moon").get() }
    }
}
