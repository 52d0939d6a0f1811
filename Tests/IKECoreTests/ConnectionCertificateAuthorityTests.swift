import Foundation
import IKECertificates
import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import Testing

/// A gateway loaded from swanctl.conf text (the credentials of `Tests/Fixtures/pki`) whose
/// connections name their own CAs with `remote { cacerts }`, and clients with EC and RSA
/// chains.
@Suite("remote { cacerts }: a connection accepts only chains through its own CAs (RFC 7296 §3.7)")
struct ConnectionCertificateAuthorityTests {
    /// `x509ca/` holds both roots, so both are trusted for connections that name no CA.
    static func gateway(_ connections: String) throws -> SimulatedNetwork.Node {
        var files: [String: String] = ["/gw/swanctl.conf": "connections {\n\(connections)\n}\n"]
        for name in ["ec-root", "rsa-root"] { files["/gw/x509ca/\(name).pem"] = try CertificateFixtures.text("\(name).pem") }
        for name in ["right-ec", "ec-intermediate"] { files["/gw/x509/\(name).pem"] = try CertificateFixtures.text("\(name).pem") }
        files["/gw/private/right-ec.key"] = try CertificateFixtures.text("right-ec.key")
        let loaded = try ConfigurationLoader(fileSystem: InMemorySettingsFileSystem(text: files)).load(file: "/gw/swanctl.conf")
        // What cygnetd runs with (DaemonConfiguration): one validator answers every request
        // (CertificateValidator.complete, as EffectCompleter calls it).
        let validator = CertificateValidator(trustAnchorsDER: loaded.trustAnchors)
        var configuration = IKEEngineConfiguration(peers: loaded.configuration.peers, preSharedKeys: [])
        configuration.certificateAuthorityKeyHashes = validator.certificateRequestHashes
        let host = SimulatedHost(
            signingKeys: [CertificateFixtures.rightID: try CertificateFixtures.key("right-ec")], validator: validator,
            at: CertificateFixtures.validationTime)
        return SimulatedNetwork.Node(
            address: EngineFixtures.rightAddress,
            engine: IKEEngine(configuration: configuration, random: SeededRandomSource(seed: 2)), completer: host)
    }

    static func connection(_ name: String, cacerts: String?) -> String {
        """
            \(name) {
                proposals = aes256gcm16-prfsha256-x25519
                local {
                    auth = pubkey
                    certs = right-ec.pem, ec-intermediate.pem
                    id = right.lab.test
                }
                remote {
                    auth = pubkey
                    \(cacerts.map { "cacerts = \($0)" } ?? "")
                }
                children {
                    \(name)-net {
                        local_ts = 203.0.113.0/24
                        remote_ts = 198.51.100.0/24
                        esp_proposals = aes256gcm16
                    }
                }
            }
        """
    }

    /// The client "left" with `certificate` and `intermediate`, trusting the EC root.
    static func client(_ certificate: String, _ intermediate: String) throws -> SimulatedNetwork.Node {
        try CertificateFixtures.node(
            .init(CertificateFixtures.leftID, certificate, intermediate, anchors: ["ec-root"]),
            expects: CertificateFixtures.rightID, address: EngineFixtures.leftAddress, local: "198.51.100.0/24",
            remoteNet: "203.0.113.0/24", seed: 1, classic: false)
    }

    struct Outcome {
        var established: [String]
        var closeReasons: [IKECloseReason]
        /// The CAs the gateway's IKE_SA_INIT response asked for.
        var certificateRequest: [[UInt8]]
    }

    static func run(client: SimulatedNetwork.Node, gateway: SimulatedNetwork.Node) async throws -> Outcome {
        var network = SimulatedNetwork(nodes: [client, gateway], seed: 1)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        await network.runCompletingEffects()
        let events = network.nodes[1].events
        let response = try #require(network.transcript.first { $0.source.address == EngineFixtures.rightAddress })
        let requests = try IKEMessage(decoding: response.datagram).payloads.compactMap {
            if case .certificateRequest(let request) = $0 { request } else { nil }
        }
        return Outcome(
            established: events.compactMap { if case .ikeSAEstablished(let name, _, _, _) = $0 { name } else { nil } },
            closeReasons: EngineFixtures.closeReasons(network.nodes[1]),
            certificateRequest: requests.flatMap(\.authorityKeyHashes))
    }

    @Test("a connection with cacerts = ec-root refuses a chain to rsa-root, which x509ca/ trusts")
    func refusesOtherCA() async throws {
        let gateway = try Self.gateway(Self.connection("ec-clients", cacerts: "ec-root.pem"))
        let ec = try await Self.run(client: try Self.client("left-ec", "ec-intermediate"), gateway: gateway)
        #expect(ec.established == ["ec-clients"])
        let rsa = try await Self.run(client: try Self.client("left-rsa", "rsa-intermediate"), gateway: gateway)
        #expect(rsa.established.isEmpty)
        #expect(rsa.closeReasons.map(\.cause) == [.certificateRefused])
        #expect(rsa.closeReasons.first?.completionFailure == .certificateAuthorityMismatch)
    }

    static func keyHashes(_ names: String...) throws -> [[UInt8]] {
        try CertificateValidator(trustAnchorsPEM: names.map { try CertificateFixtures.text("\($0).pem") }.joined())
            .certificateRequestHashes
    }

    @Test("§3.7 CERTREQ names the connection's own CAs, or every trusted CA for a connection that names none")
    func certificateRequest() async throws {
        let own = try Self.gateway(Self.connection("ec-clients", cacerts: "ec-root.pem"))
        let client = try Self.client("left-ec", "ec-intermediate")
        #expect(try await Self.run(client: client, gateway: own).certificateRequest == Self.keyHashes("ec-root"))
        let all = try Self.gateway(Self.connection("anyone", cacerts: nil))
        #expect(try await Self.run(client: client, gateway: all).certificateRequest == Self.keyHashes("ec-root", "rsa-root"))
    }

    @Test("a connection that names no CA trusts every loaded one")
    func noCACertsTrustsAll() async throws {
        let gateway = try Self.gateway(Self.connection("anyone", cacerts: nil))
        let rsa = try await Self.run(client: try Self.client("left-rsa", "rsa-intermediate"), gateway: gateway)
        #expect(rsa.established == ["anyone"])
    }

    @Test("two connections without remote { id } are told apart by the CA of the peer's chain")
    func selectsByCA() async throws {
        let gateway = try Self.gateway(
            Self.connection("ec-clients", cacerts: "ec-root.pem") + "\n" + Self.connection("rsa-clients", cacerts: "rsa-root.pem"))
        let rsa = try await Self.run(client: try Self.client("left-rsa", "rsa-intermediate"), gateway: gateway)
        #expect(rsa.established == ["rsa-clients"])
        let ec = try await Self.run(client: try Self.client("left-ec", "ec-intermediate"), gateway: gateway)
        #expect(ec.established == ["ec-clients"])
    }
}
