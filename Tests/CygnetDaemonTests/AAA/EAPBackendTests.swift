import IKEConfig
import IKECore
import Logging
import NIOPosix
import Synchronization
import Testing

@testable import CygnetDaemon

@Suite("EAPBackend keeps no conversation past its IKE SA")
struct EAPBackendTests {
    @Test("An Access-Challenge that comes after the IKE SA closed does not bring its conversation back")
    func lateRADIUSChallenge() async throws {
        // The server answers only once the SA is gone; until then the client retransmits.
        let closed = Mutex(false)
        let server = try await FakeRADIUSServer.start(secret: "late") { request, _ in
            guard closed.withLock({ $0 }) else { return .none }
            return .datagrams([(
                RADIUSClientTests.sign(
                    request, .accessChallenge, [RADIUSAttribute(.eapMessage, [1, 2, 0, 6, 26, 1]), RADIUSAttribute(.state, [5])],
                    secret: "late"),
                false
            )])
        }
        let radius = try await RADIUSClientTests.backend(RADIUSClientTests.settings(server, tries: 1000, timeout: .milliseconds(10)))
        defer { Task { await radius.client.close(); await server.stop() } }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let eap = EAPBackend(secrets: [], radius: radius, metrics: DaemonMetrics(), logger: logger)
        let request = EAPExchangeRequest(
            id: IKECompletionID(localSPI: 7, step: .eapAuthenticator), connection: "rw", role: .authenticator,
            peerIdentity: IKEIdentity("alice@example.org"), eapIdentity: "alice", method: .radius, message: nil)
        let answering = Task { await eap.answer(request) }
        #expect(await DaemonFixtures.eventually { server.requestCount > 0 })
        #expect(eap.conversationCount == 1)
        // The IKE SA closes (the daemon ends its conversation), then the challenge comes.
        eap.end(localSPI: 7)
        closed.withLock { $0 = true }
        guard case .eap(let id, .success(.send)) = await answering.value else {
            Issue.record("the challenge was not passed on")
            return
        }
        #expect(id == request.id)
        #expect(eap.conversationCount == 0)
    }
}
