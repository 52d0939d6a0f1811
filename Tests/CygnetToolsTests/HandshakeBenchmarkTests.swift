import Foundation
import Testing

@testable import CygnetTools

@Suite("cygnet bench handshake --in-memory: report structure (no timing thresholds)")
struct HandshakeBenchmarkTests {
    @Test("A quick run establishes every SA with its Child SA, PSK and EAP-MSCHAPv2 with a virtual IP, and fills every figure")
    func quickRun() throws {
        let report = try HandshakeBenchmark(count: 4, warmUp: 1).run(
            environment: .current(command: "cygnet bench handshake --in-memory --count 4 --test"))
        #expect(report.benchmark == "handshake")
        #expect(report.mode == "in-memory")
        #expect(report.count == 4)
        #expect(report.established == 5)
        #expect(report.childSAsInstalled == 4)
        #expect(report.responderCPUMicrosecondsPerSA > 0)
        #expect(report.responderSAInitMicrosecondsPerSA > 0)
        #expect(report.responderAuthMicrosecondsPerSA > 0)
        #expect(report.initiatorCPUMicrosecondsPerSA > 0)
        #expect(report.heapBytesPerSA != nil)
        // The EAP-MSCHAPv2 case of the same run: every SA with its Child SA and a leased
        // address; MSCHAPv2 after an Identity round is 5 IKE_AUTH exchanges.
        let eap = report.eapMSCHAPv2
        #expect(eap.count == 4 && eap.established == 5 && eap.childSAsInstalled == 4 && eap.addressesLeased == 5)
        #expect(eap.conversationsLeft == 0 && eap.authExchangesPerSA == 5)
        #expect(eap.responderCPUMicrosecondsPerSA > 0 && eap.responderAuthMicrosecondsPerSA > 0)
        #expect(eap.responderHostMicrosecondsPerSA > 0 && eap.initiatorCPUMicrosecondsPerSA > 0)
        #expect(eap.heapBytesPerSA != nil)
        #expect(report.reference.label.contains("not this run"))
        let text = HandshakeBenchmark.render(report)
        #expect(text.contains("responder CPU per IKE SA"))
        #expect(text.contains("with EAP-MSCHAPv2 and a virtual IP"))
        #expect(text.contains("reference measured earlier on this machine type (not this run)"))
        let json = try HandshakeBenchmark.json(report)
        let decoded = try JSONDecoder().decode(HandshakeBenchmark.Report.self, from: Data(json.utf8))
        #expect(decoded == report)
    }
}
