import CygnetDaemon
import Foundation
import IKECore
import NIOCore
import NIOPosix
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

        // The data plane's counters: ESP for an SPI nobody has, and a NAT keepalive, sent
        // to the NAT-T port (RFC 3948 §2.2, §2.3).
        // The fixtures' NAT-T port is the IKE port + 1.
        let natT = try #require(left.boundAddresses.max { $0.port < $1.port })
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let destination = try SocketAddress(ipAddress: "127.0.0.1", port: Int(natT.port))
        for datagram in [[0x12, 0x34, 0x56, 0x78] + [UInt8](repeating: 0xAB, count: 36), [0xFF]] {
            try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: destination, data: ByteBuffer(bytes: datagram)))
        }
        try await channel.close()
        let counted = await DaemonFixtures.eventually {
            guard let (_, page) = try? await scrape(port) else { return false }
            return value(page, #"cygnet_esp_drops_total{reason="unknown_spi"}"#) == 1
                && value(page, #"cygnet_nat_keepalives_total{direction="received"}"#) == 1
        }
        #expect(counted)
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
