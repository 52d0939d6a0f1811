import IKEConfig
import IKECore
import IKETestSupport
import IKEWire
import Testing

/// swanctl's `send_cert` and `send_certreq` on the wire, between two engines with the
/// ECDSA certificates of `Tests/Fixtures/pki`.
@Suite("CERT and CERTREQ payloads as send_cert and send_certreq say (RFC 7296 §3.6, §3.7)")
struct CertificatePayloadPolicyTests {
    typealias Fixtures = CertificateFixtures

    static func run(
        left: Fixtures.Adjustment = { _, _ in }, right: Fixtures.Adjustment = { _, _ in }
    ) async throws -> SimulatedNetwork {
        var network = try Fixtures.network(
            left: Fixtures.Kind.ecdsaP256.left, right: Fixtures.Kind.ecdsaP256.right, adjustLeft: left,
            adjustRight: right)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        await network.runCompletingEffects()
        return network
    }

    /// Whether the responder's IKE_SA_INIT response (plaintext) carries a CERTREQ.
    static func saInitResponseHasCertificateRequest(_ network: SimulatedNetwork) throws -> Bool {
        let response = try #require(
            network.transcript.compactMap { try? IKEMessage(decoding: $0.datagram) }.first {
                $0.header.exchangeType == .ikeSAInit && $0.header.isResponse
            })
        return response.payloads.contains { $0.type == .certificateRequest }
    }

    /// The number of certificates the engine at `index` received and asked its host to validate.
    static func certificatesReceived(_ network: SimulatedNetwork, by index: Int) -> Int? {
        Fixtures.validationRequests(network.nodes[index]).first?.certificates.count
    }

    @Test("Defaults (send_cert = ifasked, send_certreq = yes): CERTREQ both ways, so CERT both ways")
    func defaults() async throws {
        let network = try await Self.run()
        #expect(try Self.saInitResponseHasCertificateRequest(network))
        #expect(Self.certificatesReceived(network, by: 0) == 2 && Self.certificatesReceived(network, by: 1) == 2)
        #expect(network.nodes.allSatisfy(EngineFixtures.isEstablished))
    }

    @Test("Responder send_certreq = no: no CERTREQ in IKE_SA_INIT, so an ifasked initiator sends no CERT")
    func responderSendsNoCertificateRequest() async throws {
        let network = try await Self.run(right: { peer, _ in peer.sendCertificateRequest = false })
        #expect(try !Self.saInitResponseHasCertificateRequest(network))
        let reasons = EngineFixtures.closeReasons(network.nodes[1])
        #expect(reasons.first?.cause == .missingCertificate, "\(reasons)")
        #expect(Self.certificatesReceived(network, by: 1) == nil)
    }

    @Test("Initiator send_certreq = no: an ifasked responder sends no CERT; with send_cert = always it does")
    func initiatorSendsNoCertificateRequest() async throws {
        let noRequest: Fixtures.Adjustment = { peer, _ in peer.sendCertificateRequest = false }
        let refused = try await Self.run(left: noRequest)
        #expect(EngineFixtures.closeReasons(refused.nodes[0]).first?.cause == .missingCertificate)
        #expect(Self.certificatesReceived(refused, by: 1) == 2, "the initiator still sends its own (it was asked)")
        let always = try await Self.run(left: noRequest, right: { peer, _ in peer.sendCertificate = .always })
        #expect(always.nodes.allSatisfy(EngineFixtures.isEstablished))
        #expect(Self.certificatesReceived(always, by: 0) == 2)
    }

    @Test("send_cert = never: no CERT even when asked; send_cert = always: CERT even unasked")
    func neverAndAlways() async throws {
        let never = try await Self.run(left: { peer, _ in peer.sendCertificate = .never })
        #expect(EngineFixtures.closeReasons(never.nodes[1]).first?.cause == .missingCertificate)
        let always = try await Self.run(
            left: { peer, _ in peer.sendCertificate = .always }, right: { peer, _ in peer.sendCertificateRequest = false })
        #expect(try !Self.saInitResponseHasCertificateRequest(always))
        #expect(always.nodes.allSatisfy(EngineFixtures.isEstablished))
        #expect(Self.certificatesReceived(always, by: 1) == 2)
    }

    @Test("ifasked: a CERTREQ that names a CA we do not know still asks for our certificate (strongSwan's rule)")
    func certificateRequestForAnotherCA() async throws {
        let otherCA: Fixtures.Adjustment = { _, configuration in
            configuration.certificateAuthorityKeyHashes = [[UInt8](repeating: 0xAA, count: 20)]
        }
        let network = try await Self.run(left: otherCA)
        #expect(network.nodes.allSatisfy(EngineFixtures.isEstablished), "\(EngineFixtures.closeReasons(network.nodes[0]))")
        #expect(Self.certificatesReceived(network, by: 0) == 2)
    }
}
