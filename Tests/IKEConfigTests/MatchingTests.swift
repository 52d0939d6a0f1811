import IKEConfig
import IKEWire
import Testing

/// How a received identity or address matches what a connection configures, which ranks
/// the connections a responder chooses from.
@Suite("Identity and address matching for the choice of connection")
struct MatchingTests {
    static func identity(_ text: String) throws -> IKEIdentity? { try IdentityText.parse(text).get() }

    @Test(
        "remote { id }: %any, exact (names without regard to case), and a leading * for one or more characters",
        arguments: [
            ("bob@example.org", "%any", IdentityMatch.any),
            ("bob@example.org", "*", .any),
            ("bob@example.org", "bob@example.org", .exact),
            ("Bob@Example.ORG", "bob@example.org", .exact),
            ("bob@example.org", "*@example.org", .wildcard),
            ("bob@EXAMPLE.org", "*@example.org", .wildcard),
            ("@example.org", "*@example.org", .none),
            ("bob@sub.example.org", "*@example.org", .none),
            ("bob@example.org", "*.example.org", .none),
            ("vpn.example.org", "*.example.org", .wildcard),
            ("example.org", "*.example.org", .none),
            ("vpn.example.org", "*", .any),
            ("vpn.example.org", "vpn.example.org", .exact),
            ("vpn.example.org.evil", "*.example.org", .none),
            ("192.0.2.1", "192.0.2.1", .exact),
            ("192.0.2.1", "192.0.2.2", .none),
            ("192.0.2.1", "@#c0000201", .none),
            ("@#0a0b", "@#0a0b", .exact),
        ])
    func identities(received: String, configured: String, expected: IdentityMatch) throws {
        let identity = try #require(try Self.identity(received))
        #expect(identity.match(try Self.identity(configured)) == expected, "\(received) against \(configured)")
    }

    @Test("Only a * in a name is a wildcard")
    func wildcards() throws {
        #expect(try #require(try Self.identity("*@example.org")).hasWildcard)
        #expect(try #require(try Self.identity("*.example.org")).hasWildcard)
        #expect(try #require(try Self.identity("bob@example.org")).hasWildcard == false)
        #expect(IKEIdentity(type: .keyID, data: Array("*".utf8)).hasWildcard == false)
        #expect(try Self.identity("*") == nil)
    }

    @Test(
        "local_addrs and remote_addrs: 129 for the address, prefix + 1 for a subnet (or a range that is one), 1 for a range, %any and a name",
        arguments: [
            ("192.0.2.7", "192.0.2.7", 129),
            ("192.0.2.7", "192.0.2.8", 0),
            ("192.0.2.7", "192.0.2.0/24", 25),
            ("192.0.2.7", "192.0.2.0/29", 30),
            ("192.0.2.8", "192.0.2.0/29", 0),
            ("192.0.2.7", "0.0.0.0/0", 1),
            ("192.0.2.7", "192.0.2.5-192.0.2.9", 1),
            ("192.0.2.10", "192.0.2.5-192.0.2.9", 0),
            ("192.0.2.7", "192.0.2.0-192.0.2.7", 30),
            ("192.0.2.7", "192.0.2.0-192.0.2.255", 25),
            ("192.0.2.7", "%any", 1),
            ("192.0.2.7", "%any4", 1),
            ("192.0.2.7", "%any6", 0),
            ("192.0.2.7", "gw.example.org", 1),
            ("2001:db8::7", "2001:db8::7", 129),
            ("2001:db8::7", "2001:db8::/64", 65),
            ("2001:db8:1::7", "2001:db8::/64", 0),
            ("2001:db8::7", "%any6", 1),
            ("2001:db8::7", "%any4", 0),
            ("2001:db8::7", "192.0.2.0/24", 0),
            ("2001:db8::7", "2001:db8::-2001:db8::ffff", 113),
            ("::ffff:c000:207", "192.0.2.7", 0),
        ])
    func addresses(address: String, configured: String, expected: Int) throws {
        guard case .address(let bytes) = try #require(AddressSpecification(address)) else {
            Issue.record("\(address) is not an address")
            return
        }
        #expect(try #require(AddressSpecification(configured)).matchQuality(for: bytes) == expected, "\(address) in \(configured)")
    }

    @Test("local_addrs and remote_addrs are the engine's: ConnectionConfiguration forwards them to its peer")
    func addressesLiveInThePeer() {
        var connection = ConnectionConfiguration(
            peer: PeerConfiguration(
                name: "c", proposals: [], localIdentity: IKEIdentity("gw.example.org"), remoteIdentity: nil,
                localAuthentication: .preSharedKey, remoteAuthentication: .preSharedKey, children: []),
            remoteAddresses: [.anyIPv6], location: SourceLocation(file: "f", line: 1, column: 1))
        #expect(connection.peer.localAddresses == [.any])
        #expect(connection.peer.remoteAddresses == [.anyIPv6])
        connection.localAddresses = [.address([192, 0, 2, 1])]
        #expect(connection.peer.localAddresses == [.address([192, 0, 2, 1])])
    }
}
