import CygnetDaemon
import Foundation
import IKECore
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Prometheus metrics of cygnetd")
struct MetricsTests {
    func scrape(_ port: Int, path: String = "/metrics") async throws -> (Int, String) {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
        let (data, response) = try await URLSession.shared.data(from: url)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// The value of the sample line `name` (with its labels), or `nil`.
    func value(_ page: String, _ sample: String) -> Double? {
        page.split(separator: "\n").first { $0.hasPrefix(sample + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("Handshakes, IKE SAs by state and Child SAs are exported in the text format; other paths are 404")
    func exported() async throws {
        let (left, right) = try await DaemonFixtures.pair(metrics: true)
        let port = try #require(left.metricsPort)
        try await left.up("lab")
        let up = await DaemonFixtures.eventually { await left.statuses().first?.phase == .established }
        #expect(up)
        let (status, page) = try await scrape(port)
        #expect(status == 200)
        #expect(page.contains("# TYPE cygnet_ike_sas gauge"))
        #expect(value(page, #"cygnet_ike_sas{state="established"}"#) == 1)
        #expect(value(page, #"cygnet_ike_handshakes_started_total{role="initiator"}"#) == 1)
        #expect(value(page, "cygnet_ike_handshakes_completed_total") == 1)
        #expect(value(page, "cygnet_child_sas") == 1)
        #expect(value(page, "cygnet_half_open_ike_sas") == 0)
        try await left.down("lab")
        let down = await DaemonFixtures.eventually { await left.statuses().isEmpty }
        #expect(down)
        let (_, after) = try await scrape(port)
        #expect(value(after, #"cygnet_ike_sas{state="established"}"#) == 0)
        #expect(value(after, #"cygnet_ike_sas_closed_total{reason="deleted_locally"}"#) == 1)
        let (missing, _) = try await scrape(port, path: "/")
        #expect(missing == 404)
        await left.shutdown(grace: .zero)
        await right.shutdown(grace: .zero)
    }
}
