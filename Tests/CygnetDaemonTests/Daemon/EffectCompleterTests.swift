import IKECertificates
import IKEConfig
import IKECore
import IKEWire
import NIOConcurrencyHelpers
import NIOPosix
import Testing

@testable import CygnetDaemon

@Suite("EffectCompleter answers every request the engine makes")
struct EffectCompleterTests {
    @Test("An EAP request gets eap_backend_unavailable at once, so the SA ends instead of waiting for the timeout")
    func eapWithoutBackend() throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        defer { try? pool.syncShutdownGracefully() }
        let completer = EffectCompleter(signer: LocalSigner(keys: [:]), validator: nil, threadPool: pool)
        let request = EAPExchangeRequest(
            id: IKECompletionID(localSPI: 7, step: .eapAuthenticator), connection: "rw", role: .authenticator,
            peerIdentity: IKEIdentity("alice@example.org"), eapIdentity: nil, method: .method(.mschapv2), message: nil)
        let answers = NIOLockedValueBox<[IKECompletion]>([])
        completer.complete(.eap(request)) { answer in answers.withLockedValue { $0.append(answer) } }
        let answer = try #require(answers.withLockedValue { $0 }.first)
        guard case .eap(let id, .failure(let failure)) = answer else {
            Issue.record("answered \(answer)")
            return
        }
        #expect(id == request.id && failure.code == .eapBackendUnavailable)
    }
}
