import IKECertificates
import IKEConfig
import IKECore
import IKEWire
import Logging
import NIOPosix
import Testing

@testable import CygnetDaemon

@Suite("EffectCompleter answers every request the engine makes")
struct EffectCompleterTests {
    @Test(
        "An EAP request the backend cannot serve (EAP-TLS without a certificate, RADIUS without servers) gets eap_backend_unavailable, so the SA ends instead of waiting for the timeout",
        arguments: [EAPMethodChoice.method(.tls), .radius])
    func eapWithoutBackend(method: EAPMethodChoice) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let eap = EAPBackend(secrets: [], radius: nil, metrics: DaemonMetrics(), logger: logger)
        let completer = EffectCompleter(
            signer: LocalSigner(keys: [:]), validator: nil, threadPool: .singleton,
            pools: AddressPools([], store: nil, logger: logger), eap: eap)
        let request = EAPExchangeRequest(
            id: IKECompletionID(localSPI: 7, step: .eapAuthenticator), connection: "rw", role: .authenticator,
            peerIdentity: IKEIdentity("alice@example.org"), eapIdentity: nil, method: method, message: nil)
        let answer = await withCheckedContinuation { continuation in
            completer.complete(.eap(request)) { continuation.resume(returning: $0) }
        }
        guard case .eap(let id, .failure(let failure)) = answer else {
            Issue.record("answered \(answer)")
            return
        }
        #expect(id == request.id && failure.code == .eapBackendUnavailable)
        #expect(eap.conversationCount == 0)
        await eap.shutdown()
    }
}
