import Foundation
import IKECrypto
import IKEWire
import Testing

@testable import EAPCore

@Suite("EAP-TLS (RFC 5216) in memory")
struct EAPTLSTests {
    typealias H = EAPTestSupport

    static func pki(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/pki/\(name)")
        return Array(try Data(contentsOf: url))
    }

    /// `leaf` with the RSA intermediate, its key, and `root` as the trust anchor.
    static func configuration(_ leaf: String, root: String = "rsa-root.pem", fragmentSize: Int = 1024) throws
        -> EAPTLSConfiguration
    {
        EAPTLSConfiguration(
            certificateChainPEM: try pki("\(leaf).pem") + pki("rsa-intermediate.pem"),
            privateKeyPEM: SecretBytes(try pki("\(leaf).key")), trustedRootsPEM: try pki(root),
            fragmentSize: fragmentSize)
    }

    static func sides(server: EAPTLSConfiguration, client: EAPTLSConfiguration, knownIdentity: Bool = false)
        -> (EAPAuthenticator, EAPPeer)
    {
        (
            EAPAuthenticator(
                methods: [.tls], identity: knownIdentity ? EAPIdentity("left.lab.test") : nil,
                credentials: { _ in nil }, tls: server, random: ReplayRandom()),
            EAPPeer(identity: EAPIdentity("left.lab.test"), credential: nil, methods: [.tls], tls: client)
        )
    }

    @Test(
        "Both sides finish with the same 64-octet MSK and see each other's certificate",
        arguments: [1024, 200])
    func handshake(fragmentSize: Int) throws {
        var (authenticator, peer) = Self.sides(
            server: try Self.configuration("right-rsa", fragmentSize: fragmentSize),
            client: try Self.configuration("left-rsa", fragmentSize: fragmentSize))
        let ends = try #require(H.converse(&authenticator, &peer, limit: 64))
        #expect(ends.authenticator.isSuccess && ends.peer.isSuccess)
        let msk = try #require(ends.authenticator.msk)
        #expect(msk.count == 64)
        #expect(ends.peer.msk == msk)
        #expect(authenticator.peerCertificate?.isEmpty == false)
        #expect(peer.peerCertificate?.isEmpty == false)
        #expect(authenticator.peerCertificate != peer.peerCertificate)
        #expect(EAPMethod.tls.generatesMSK)
    }

    @Test("A client certificate from another CA fails the handshake: tlsFailed and EAP-Failure")
    func untrustedClient() throws {
        var (authenticator, peer) = Self.sides(
            server: try Self.configuration("right-rsa"),
            client: EAPTLSConfiguration(
                certificateChainPEM: try Self.pki("other-right.pem"),
                privateKeyPEM: SecretBytes(try Self.pki("other-right.key")),
                trustedRootsPEM: try Self.pki("rsa-root.pem")))
        let ends = try #require(H.converse(&authenticator, &peer, limit: 64))
        #expect(ends.authenticator.failureCode == .tlsFailed)
        #expect(ends.authenticator.packet?.code == .failure)
        #expect(ends.peer.failureCode == .rejected)
    }

    @Test("A server the client does not trust fails on the client's side")
    func untrustedServer() throws {
        var (authenticator, peer) = Self.sides(
            server: try Self.configuration("right-rsa"),
            client: try Self.configuration("left-rsa", root: "other-root.pem"))
        let ends = try #require(H.converse(&authenticator, &peer, limit: 64))
        #expect(ends.peer.failureCode == .tlsFailed)
        #expect(!ends.authenticator.isSuccess)
    }

    @Test("The peer refuses EAP-Success before the handshake finished")
    func earlySuccess() throws {
        var (authenticator, peer) = Self.sides(
            server: try Self.configuration("right-rsa"), client: try Self.configuration("left-rsa"),
            knownIdentity: true)
        let start = authenticator.start()
        #expect(peer.receive(start).packet?.type == .tls)
        #expect(peer.receive(.success(start.identifier)).failureCode == .outOfOrder)
    }

    @Test("EAP-TLS framing: lengths that lie and oversized messages are malformed")
    func framing() throws {
        var (authenticator, peer) = Self.sides(
            server: try Self.configuration("right-rsa"), client: try Self.configuration("left-rsa"),
            knownIdentity: true)
        let start = authenticator.start()
        #expect(peer.receive(start).packet?.type == .tls)
        // L set but the length cut short; then a total beyond the limit.
        var copy = peer
        #expect(copy.receive(.request(start.identifier &+ 1, .tls, [0x80, 0, 1])).failureCode == .malformed)
        #expect(peer.receive(.request(start.identifier &+ 1, .tls, [0xC0, 0x7F, 0, 0, 0, 1])).failureCode == .malformed)
        #expect(authenticator.receive(.response(start.identifier, .tls, [])).failureCode == .malformed)
    }

    /// Source: the P_SHA256 vector published with the TLS 1.2 PRF test vectors
    /// (secret 9bbe…db35, seed a0ba…198c, label "test label", 100 octets), checked here
    /// against OpenSSL 3.0's `openssl kdf … TLS1-PRF`.
    @Test("TLS 1.2 PRF with SHA-256 (RFC 5246 §5)")
    func prf() throws {
        let output = try TLSPRF.sha256(
            secret: SecretBytes(H.hex("9bbe436ba940f017b17652849a71db35")), label: "test label",
            seed: H.hex("a0ba9f936cda311827a6f796ffd5198c"), count: 100)
        #expect(
            output.unprotectedBytes
                == H.hex(
                    "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66"
                ))
    }
}
