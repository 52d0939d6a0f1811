import CygnetControlProtocol
import Foundation
import Testing

@Suite("cygnet leases: the pools and their leases")
struct LeasesReportTests {
    static let report = LeasesReport(pools: [
        LeasesReport.Pool(
            name: "rw", base: "10.3.0.0/24", range: "10.3.0.1-10.3.0.254", size: 254, online: 1, offline: 1,
            leases: [
                LeasesReport.Lease(address: "10.3.0.1", identity: "alice@lab.test", status: "online"),
                LeasesReport.Lease(address: "10.3.0.2", identity: "bob@lab.test", status: "offline"),
            ])
    ])

    @Test("the text form: one line per pool, one per lease")
    func text() {
        #expect(Self.report.text == """
            rw 10.3.0.0/24 (10.3.0.1-10.3.0.254): 254 addresses, 1 online, 1 offline
              10.3.0.1 online 'alice@lab.test'
              10.3.0.2 offline 'bob@lab.test'

            """)
        #expect(LeasesReport(pools: []).text == "no address pools (pools { } in the configuration)\n")
    }

    @Test("the request is the word leases; the JSON result round-trips")
    func request() throws {
        #expect(ControlCommand.leases.request == ControlRequest(command: "leases"))
        #expect(try ControlRequest.command(from: Array(#"{"version":1,"command":"leases"}"#.utf8)) == .leases)
        let decoded = try JSONDecoder().decode(LeasesReport.self, from: Data(Self.report.jsonText.utf8))
        #expect(decoded == Self.report)
    }
}
