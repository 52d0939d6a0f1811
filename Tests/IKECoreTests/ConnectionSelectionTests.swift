import IKEConfig
import IKECore
import IKETestSupport
import IKEWire
import Testing

/// A gateway with several connections that share their IKE and ESP proposals, and
/// clients that initiate to it: which connection each client gets.
@Suite("Connection selection: addresses in IKE_SA_INIT, identities in IKE_AUTH (RFC 7296 §2.15)")
struct ConnectionSelectionTests {
    static let gatewayAddress: [UInt8] = [192, 0, 2, 2]
    static let gatewayID = IKEIdentity("gw@lab.test")

    /// A gateway connection for the clients of `peerNet`, with a child named `NAME-net`.
    static func connection(
        _ name: String, remote: IKEIdentity?, local: IKEIdentity = gatewayID, peerNet: String,
        proposals: [ProposalTemplate] = [EngineFixtures.gcmX25519]
    ) -> PeerConfiguration {
        var child = EngineFixtures.child(local: "10.0.0.0/16", remote: peerNet)
        child.name = name + "-net"
        return PeerConfiguration(
            name: name, proposals: proposals, localIdentity: local, remoteIdentity: remote,
            localAuthentication: .preSharedKey, remoteAuthentication: .preSharedKey, children: [child], rekeyTime: .zero)
    }

    /// `connection` with `local_addrs` and `remote_addrs`.
    static func addressed(
        _ connection: PeerConfiguration, local: [String] = ["%any"], remote: [String]
    ) -> PeerConfiguration {
        var connection = connection
        connection.localAddresses = local.compactMap(AddressSpecification.init)
        connection.remoteAddresses = remote.compactMap(AddressSpecification.init)
        return connection
    }

    /// A client at `address` that initiates its connection "client" as `identity` with `secret`.
    struct Client {
        var address: [UInt8]
        var identity: IKEIdentity
        var secret: String
        var net: String
        /// Sent as IDr when set.
        var gatewayIdentity: IKEIdentity? = nil
        var gatewaySecretIdentity: IKEIdentity = ConnectionSelectionTests.gatewayID
        var proposals: [ProposalTemplate] = [EngineFixtures.gcmX25519]

        var node: SimulatedNetwork.Node {
            let peer = PeerConfiguration(
                name: "client", proposals: proposals, localIdentity: identity, remoteIdentity: gatewayIdentity,
                localAuthentication: .preSharedKey, remoteAuthentication: .preSharedKey,
                children: [EngineFixtures.child(local: net, remote: "10.0.0.0/16")], rekeyTime: .zero)
            let configuration = IKEEngineConfiguration(
                peers: [peer],
                preSharedKeys: [PreSharedKey(identities: [identity, gatewaySecretIdentity], secret: Array(secret.utf8))])
            return .init(address: address, engine: IKEEngine(configuration: configuration, random: SeededRandomSource(seed: 3)))
        }
    }

    /// What the gateway did with one client's attempt.
    struct Outcome {
        var established: [String]
        var installed: [String]
        var closeReasons: [IKECloseReason]
        var refusals: [IKERefusal]
    }

    /// Runs `client` against a gateway with `connections` and `secrets`.
    static func attempt(
        _ client: Client, connections: [PeerConfiguration], secrets: [PreSharedKey],
        gatewayAddress: [UInt8] = gatewayAddress
    ) throws -> Outcome {
        let gateway = IKEEngine(
            configuration: IKEEngineConfiguration(peers: connections, preSharedKeys: secrets),
            random: SeededRandomSource(seed: 4))
        var network = SimulatedNetwork(
            nodes: [client.node, .init(address: gatewayAddress, engine: gateway)], seed: 5)
        try network.command(
            0,
            .initiate(
                peer: "client", local: IKEEndpointAddress(address: client.address, port: 500),
                remote: IKEEndpointAddress(address: gatewayAddress, port: 500)))
        network.run()
        let events = network.nodes[1].events
        return Outcome(
            established: events.compactMap { if case .ikeSAEstablished(let name, _, _, _) = $0 { name } else { nil } },
            installed: EngineFixtures.installations(network.nodes[1]).map(\.name),
            closeReasons: EngineFixtures.closeReasons(network.nodes[1]),
            refusals: events.compactMap { if case .negotiationRefused(_, let reason) = $0 { reason } else { nil } })
    }

    static let alice = Client(address: [192, 0, 2, 10], identity: IKEIdentity("alice@lab.test"), secret: "alice-secret-0123456789", net: "10.1.0.0/24")
    static let bob = Client(address: [192, 0, 2, 20], identity: IKEIdentity("bob@lab.test"), secret: "bob-secret-0123456789", net: "10.2.0.0/24")

    static func secret(_ client: Client, local: IKEIdentity = gatewayID) -> PreSharedKey {
        PreSharedKey(identities: [local, client.identity], secret: Array(client.secret.utf8))
    }

    @Test("two connections with the same proposals are told apart by the peer's IDi")
    func byIdentity() throws {
        let connections = [
            Self.connection("alice", remote: Self.alice.identity, peerNet: Self.alice.net),
            Self.connection("bob", remote: Self.bob.identity, peerNet: Self.bob.net),
        ]
        let secrets = [Self.secret(Self.alice), Self.secret(Self.bob)]
        let first = try Self.attempt(Self.alice, connections: connections, secrets: secrets)
        #expect(first.established == ["alice"])
        #expect(first.installed == ["alice-net"])
        let second = try Self.attempt(Self.bob, connections: connections, secrets: secrets)
        #expect(second.established == ["bob"])
        #expect(second.installed == ["bob-net"])
    }

    @Test("a connection that names the peer's identity wins over an earlier one for %any")
    func exactIdentityBeforeAny() throws {
        let connections = [
            Self.connection("anyone", remote: nil, peerNet: "10.1.0.0/24"),
            Self.connection("bob", remote: Self.bob.identity, peerNet: Self.bob.net),
        ]
        let outcome = try Self.attempt(Self.bob, connections: connections, secrets: [Self.secret(Self.bob)])
        #expect(outcome.established == ["bob"])
        #expect(outcome.installed == ["bob-net"])
    }

    @Test("remote { id = *@domain } and *.domain accept the identities they cover, and only those")
    func wildcardIdentity() throws {
        let connections = [
            Self.connection("staff", remote: IKEIdentity("*@staff.lab.test"), peerNet: "10.3.0.0/24"),
            Self.connection("hosts", remote: IKEIdentity("*.hosts.lab.test"), peerNet: "10.4.0.0/24"),
            Self.connection("bob", remote: Self.bob.identity, peerNet: Self.bob.net),
        ]
        let carol = Client(address: [192, 0, 2, 30], identity: IKEIdentity("carol@staff.lab.test"), secret: "carol-secret-0123456789", net: "10.3.0.0/24")
        let host = Client(address: [192, 0, 2, 31], identity: IKEIdentity("h1.hosts.lab.test"), secret: "host-secret-0123456789", net: "10.4.0.0/24")
        let dave = Client(address: [192, 0, 2, 32], identity: IKEIdentity("dave@lab.test"), secret: "dave-secret-0123456789", net: "10.3.0.0/24")
        let secrets = [Self.secret(carol), Self.secret(host), Self.secret(dave), Self.secret(Self.bob)]
        #expect(try Self.attempt(carol, connections: connections, secrets: secrets).established == ["staff"])
        #expect(try Self.attempt(host, connections: connections, secrets: secrets).established == ["hosts"])
        #expect(try Self.attempt(Self.bob, connections: connections, secrets: secrets).established == ["bob"])
        let refused = try Self.attempt(dave, connections: connections, secrets: secrets)
        #expect(refused.established.isEmpty)
        #expect(refused.closeReasons.map(\.cause) == [.unexpectedIdentity])
    }

    static let gatewayA = IKEIdentity("gw-a@lab.test")
    static let gatewayB = IKEIdentity("gw-b@lab.test")

    /// Connections for alice and bob, each with a local identity and secret of its own.
    static var twoGateways: (connections: [PeerConfiguration], secrets: [PreSharedKey]) {
        (
            [
                connection("alice", remote: alice.identity, local: gatewayA, peerNet: alice.net),
                connection("bob", remote: bob.identity, local: gatewayB, peerNet: bob.net),
            ],
            [secret(alice, local: gatewayA), secret(bob, local: gatewayB)]
        )
    }

    @Test("§2.15 a peer that authenticates with another connection's PSK is refused")
    func anotherConnectionsKey() throws {
        let (connections, secrets) = Self.twoGateways
        var bob = Self.bob
        bob.gatewaySecretIdentity = Self.gatewayB
        #expect(try Self.attempt(bob, connections: connections, secrets: secrets).established == ["bob"])
        // Bob with the key of connection "alice": verified with bob's own key, refused.
        bob.secret = Self.alice.secret
        let refused = try Self.attempt(bob, connections: connections, secrets: secrets)
        #expect(refused.established.isEmpty)
        #expect(refused.closeReasons.map(\.cause) == [.sharedKeyMismatch])
    }

    @Test("§3.5 an IDr naming another connection's local identity is refused")
    func responderIdentity() throws {
        let (connections, secrets) = Self.twoGateways
        var alice = Self.alice
        alice.gatewaySecretIdentity = Self.gatewayA
        alice.gatewayIdentity = Self.gatewayA
        #expect(try Self.attempt(alice, connections: connections, secrets: secrets).established == ["alice"])
        // Alice's own key, but aimed at connection "bob"'s local identity.
        alice.gatewayIdentity = Self.gatewayB
        alice.gatewaySecretIdentity = Self.gatewayB
        let refused = try Self.attempt(alice, connections: connections, secrets: secrets)
        #expect(refused.established.isEmpty)
        #expect(refused.closeReasons.map(\.cause) == [.unexpectedIdentity])
    }

    @Test("§2.15 the method of AUTH chooses between connections for the same identities")
    func byAuthenticationMethod() throws {
        var certificates = Self.connection("certificates", remote: nil, peerNet: "10.1.0.0/24")
        certificates.remoteAuthentication = .publicKey
        let connections = [certificates, Self.connection("psk", remote: nil, peerNet: Self.bob.net)]
        let outcome = try Self.attempt(Self.bob, connections: connections, secrets: [Self.secret(Self.bob)])
        #expect(outcome.established == ["psk"])
        #expect(outcome.installed == ["psk-net"])
    }

    @Test("the connection chosen in IKE_AUTH must allow the IKE proposal chosen for another in IKE_SA_INIT")
    func proposalCheckedAgain() throws {
        let connections = [
            Self.connection("alice", remote: Self.alice.identity, peerNet: Self.alice.net),
            Self.connection("bob", remote: Self.bob.identity, peerNet: Self.bob.net, proposals: [EngineFixtures.cbcModp]),
        ]
        var bob = Self.bob
        bob.proposals = [EngineFixtures.gcmX25519, EngineFixtures.cbcModp]
        let outcome = try Self.attempt(bob, connections: connections, secrets: [Self.secret(Self.alice), Self.secret(bob)])
        #expect(outcome.established.isEmpty)
        #expect(outcome.closeReasons.map(\.code) == [.authenticationFailed])
        #expect(outcome.closeReasons.map(\.cause) == [.ikeProposalNotAllowed])
    }

    @Test("two connections with the same proposals and identities are told apart by remote_addrs")
    func byRemoteAddress() throws {
        let connections = [
            Self.addressed(Self.connection("east", remote: nil, peerNet: Self.alice.net), remote: ["192.0.2.10"]),
            Self.addressed(Self.connection("west", remote: nil, peerNet: Self.bob.net), remote: ["192.0.2.20"]),
        ]
        let secrets = [Self.secret(Self.alice), Self.secret(Self.bob)]
        #expect(try Self.attempt(Self.alice, connections: connections, secrets: secrets).established == ["east"])
        let west = try Self.attempt(Self.bob, connections: connections, secrets: secrets)
        #expect(west.established == ["west"])
        #expect(west.installed == ["west-net"])
    }

    @Test("an address before a longer prefix before a shorter one before a range, %any last")
    func addressPriorities() throws {
        let connections = [
            Self.addressed(Self.connection("any", remote: nil, peerNet: "10.0.0.0/8"), remote: ["%any"]),
            Self.addressed(Self.connection("range", remote: nil, peerNet: "10.0.0.0/8"), remote: ["192.0.2.30-192.0.2.34"]),
            Self.addressed(Self.connection("wide", remote: nil, peerNet: "10.0.0.0/8"), remote: ["192.0.2.0/24"]),
            Self.addressed(Self.connection("narrow", remote: nil, peerNet: "10.0.0.0/8"), remote: ["192.0.2.16/28"]),
            Self.addressed(Self.connection("exact", remote: nil, peerNet: "10.0.0.0/8"), remote: ["198.51.100.7", "192.0.2.20"]),
        ]
        func chosen(_ last: UInt8) throws -> [String] {
            var client = Self.bob
            client.address = [192, 0, 2, last]
            return try Self.attempt(client, connections: connections, secrets: [Self.secret(client)]).established
        }
        #expect(try chosen(20) == ["exact"])
        #expect(try chosen(21) == ["narrow"])
        #expect(try chosen(40) == ["wide"])
        #expect(try chosen(32) == ["wide"])
        // A range that is exactly a subnet counts as that subnet: /28 beats /24.
        let subnetRange = [connections[2], Self.addressed(connections[1], remote: ["192.0.2.32-192.0.2.47"])]
        var client = Self.bob
        client.address = [192, 0, 2, 40]
        #expect(try Self.attempt(client, connections: subnetRange, secrets: [Self.secret(client)]).established == ["range"])
    }

    @Test("a connection whose local_addrs or remote_addrs do not include the request's is never chosen")
    func addressesMustMatch() throws {
        let elsewhere = [
            Self.addressed(Self.connection("lan", remote: Self.bob.identity, peerNet: Self.bob.net), remote: ["10.99.0.0/16"]),
            Self.addressed(
                Self.connection("other-address", remote: Self.bob.identity, peerNet: Self.bob.net), local: ["192.0.2.99"],
                remote: ["%any"]),
        ]
        let refused = try Self.attempt(Self.bob, connections: elsewhere, secrets: [Self.secret(Self.bob)])
        #expect(refused.established.isEmpty)
        #expect(refused.refusals.map(\.code) == [.noMatchingConnection])
        #expect(refused.refusals.first?.code.notifyType == .noProposalChosen)
        // In IKE_AUTH too: the better identity match of "lan" does not make it a candidate.
        let any = Self.connection("any", remote: nil, peerNet: Self.bob.net)
        #expect(try Self.attempt(Self.bob, connections: elsewhere + [any], secrets: [Self.secret(Self.bob)]).established == ["any"])
    }

    static func address(_ text: String) throws -> [UInt8] {
        guard case .address(let bytes) = AddressSpecification(text) else { throw IKECoreError(.configuration, "\(text)") }
        return bytes
    }

    @Test("IPv6: remote_addrs with an IPv6 prefix, %any4 and %any6")
    func ipv6() throws {
        let gatewayAddress = try Self.address("2001:db8::2")
        let connections = [
            Self.addressed(Self.connection("v4", remote: nil, peerNet: Self.alice.net), remote: ["%any4"]),
            Self.addressed(Self.connection("v6", remote: nil, peerNet: Self.bob.net), remote: ["2001:db8::/64"]),
            Self.addressed(Self.connection("v6-any", remote: nil, peerNet: Self.bob.net), remote: ["%any6"]),
        ]
        var client = Self.bob
        client.address = try Self.address("2001:db8::20")
        let v6 = try Self.attempt(client, connections: connections, secrets: [Self.secret(client)], gatewayAddress: gatewayAddress)
        #expect(v6.established == ["v6"])
        #expect(v6.installed == ["v6-net"])
        client.address = try Self.address("2001:db8:1::5")
        #expect(
            try Self.attempt(client, connections: connections, secrets: [Self.secret(client)], gatewayAddress: gatewayAddress)
                .established == ["v6-any"])
        let refused = try Self.attempt(
            client, connections: Array(connections.prefix(2)), secrets: [Self.secret(client)], gatewayAddress: gatewayAddress)
        #expect(refused.refusals.map(\.code) == [.noMatchingConnection])
        #expect(try Self.attempt(Self.alice, connections: connections, secrets: [Self.secret(Self.alice)]).established == ["v4"])
    }

    @Test("secrets: one for *@domain serves every peer of the domain, a peer's own secret wins, names ignore case")
    func secretsMatchLikeConnections() throws {
        let connections = [Self.connection("staff", remote: IKEIdentity("*@staff.lab.test"), peerNet: "10.3.0.0/24")]
        let shared = "staff-shared-secret-0123456789"
        let domain = PreSharedKey(identities: [IKEIdentity("*@staff.lab.test")], secret: Array(shared.utf8))
        var carol = Client(address: [192, 0, 2, 30], identity: IKEIdentity("carol@staff.lab.test"), secret: shared, net: "10.3.0.0/24")
        #expect(try Self.attempt(carol, connections: connections, secrets: [domain]).established == ["staff"])
        // Carol's own secret is a better match than the domain's.
        carol.secret = "carol-own-secret-0123456789"
        #expect(try Self.attempt(carol, connections: connections, secrets: [domain, Self.secret(carol)]).established == ["staff"])
        #expect(try Self.attempt(carol, connections: connections, secrets: [domain]).closeReasons.map(\.cause) == [.sharedKeyMismatch])
        carol.identity = IKEIdentity("Carol@STAFF.lab.test")
        #expect(
            try Self.attempt(carol, connections: connections, secrets: [Self.secret(Self.Client(
                address: carol.address, identity: IKEIdentity("carol@staff.lab.test"), secret: carol.secret, net: carol.net))])
                .established == ["staff"])
    }
}
