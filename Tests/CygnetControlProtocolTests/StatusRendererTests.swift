import CygnetControlProtocol
import Foundation
import Testing

/// The human form of `cygnet status` for a fixed snapshot, as golden text.
@Suite("cygnet status: the text renderer (swanctl --list-sas style)")
struct StatusRendererTests {
    static let report = StatusReport(ikeSAs: [
        IKESAReport(
            name: "site-b", state: "ESTABLISHED", initiator: true, localHost: "192.0.2.1", localPort: 4500,
            localID: "gw-a.example.net", remoteHost: "198.51.100.7", remotePort: 4500, remoteID: "gw-b.example.net",
            initiatorSPI: "0123456789abcdef", responderSPI: "fedcba9876543210", encrAlg: "AES_GCM_16", encrKeysize: 256,
            prfAlg: "PRF_HMAC_SHA2_256", dhGroup: "CURVE_25519", established: 125, rekeyTime: 14_280, lifeTime: 16_080,
            natAny: true,
            childSAs: [
                ChildSAReport(
                    name: "net", mode: "TUNNEL", encap: true, spiIn: "c1a2b3c4", spiOut: "0000c5d6",
                    encrAlg: "AES_GCM_16",
                    encrKeysize: 256, bytesIn: 1_234_567, packetsIn: 1000, rekeyTime: 3300, lifeTime: 3900,
                    localTS: ["10.1.0.0/16"], remoteTS: ["10.2.0.0/16", "10.3.0.5/32[tcp/443]"]),
                ChildSAReport(
                    name: "voice", mode: "TRANSPORT", encap: false, spiIn: "00000001", spiOut: "00000002",
                    encrAlg: "AES_CBC", encrKeysize: 128, integAlg: "HMAC_SHA2_256_128", dhGroup: "ECP_256", esn: true,
                    localTS: ["192.0.2.1/32[udp/5060]"], remoteTS: ["198.51.100.7/32[udp/5060]"]),
            ]),
        IKESAReport(
            name: "road", state: "CONNECTING", initiator: false, localHost: "2001:db8::1", localPort: 500,
            localID: "gw-a.example.net", remoteHost: "2001:db8:77::9", remotePort: 500, remoteID: nil,
            initiatorSPI: "1111222233334444", responderSPI: "5555666677778888", encrAlg: "AES_CBC", encrKeysize: 128,
            integAlg: "HMAC_SHA2_256_128", prfAlg: "PRF_HMAC_SHA2_256", dhGroup: "MODP_2048"),
        IKESAReport(
            name: "rw", state: "ESTABLISHED", initiator: false, localHost: "192.0.2.1", localPort: 4500,
            localID: "gw-a.example.net", remoteHost: "203.0.113.9", remotePort: 4500, remoteID: "laptop.example.net",
            initiatorSPI: "aaaabbbbccccdddd", responderSPI: "eeeeffff00001111", remoteVIPs: ["10.3.0.1"],
            remoteEAPID: "alice", mobike: true, addressUpdates: 2, remoteAdditionalHosts: ["198.51.100.8", "2001:db8::8"]),
        IKESAReport(
            name: "home", state: "ESTABLISHED", initiator: true, localHost: "203.0.113.9", localPort: 4500,
            localID: "laptop.example.net", remoteHost: "192.0.2.1", remotePort: 4500, remoteID: "gw-a.example.net",
            initiatorSPI: "aaaabbbbccccdddd", responderSPI: "eeeeffff00001111", localVIPs: ["10.3.0.1"],
            localDNS: ["10.3.0.53", "fd00::53"]),
    ])

    static let golden = """
        site-b: ESTABLISHED, IKEv2, 0123456789abcdef_i* fedcba9876543210_r
          local  'gw-a.example.net' @ 192.0.2.1[4500]
          remote 'gw-b.example.net' @ 198.51.100.7[4500]
          AES_GCM_16-256/PRF_HMAC_SHA2_256/CURVE_25519
          established 2m5s ago, rekeying in 3h58m, expires in 4h28m
          NAT-T: IKE on UDP 4500, ESP in UDP
          net: INSTALLED, TUNNEL-in-UDP, ESP:AES_GCM_16-256
            rekeying in 55m, expires in 1h5m
            in  c1a2b3c4, 1234567 bytes,  1000 packets
            out 0000c5d6,      0 bytes,     0 packets
            local  10.1.0.0/16
            remote 10.2.0.0/16 10.3.0.5/32[tcp/443]
          voice: INSTALLED, TRANSPORT, ESP:AES_CBC-128/HMAC_SHA2_256_128/ECP_256/ESN
            in  00000001,      0 bytes,     0 packets
            out 00000002,      0 bytes,     0 packets
            local  192.0.2.1/32[udp/5060]
            remote 198.51.100.7/32[udp/5060]
        road: CONNECTING, IKEv2, 1111222233334444_i 5555666677778888_r*
          local  'gw-a.example.net' @ 2001:db8::1[500]
          remote '%any' @ 2001:db8:77::9[500]
          AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048
        rw: ESTABLISHED, IKEv2, aaaabbbbccccdddd_i eeeeffff00001111_r*
          local  'gw-a.example.net' @ 192.0.2.1[4500]
          remote 'laptop.example.net' @ 203.0.113.9[4500] EAP: 'alice' [10.3.0.1]
          MOBIKE, moved 2 times, peer also at 198.51.100.8 2001:db8::8
        home: ESTABLISHED, IKEv2, aaaabbbbccccdddd_i* eeeeffff00001111_r
          local  'laptop.example.net' @ 203.0.113.9[4500] [10.3.0.1]
          remote 'gw-a.example.net' @ 192.0.2.1[4500]
          DNS servers 10.3.0.53 fd00::53

        """

    @Test("a fixed snapshot renders to the golden text")
    func golden() {
        let text = StatusRenderer.render(Self.report)
        #expect(text == Self.golden)
        if text != Self.golden { print(text) }
    }

    @Test("no IKE SAs says so, and how to start one")
    func empty() {
        #expect(
            StatusRenderer.render(StatusReport(ikeSAs: [])) == "no IKE SAs (`cygnet up NAME` initiates a connection)\n")
    }

    @Test("the JSON form uses vici's key names, omits what does not apply, and round-trips")
    func json() throws {
        let text = Self.report.jsonText
        #expect(text.contains(#""initiator-spi" : "0123456789abcdef""#))
        #expect(text.contains(#""local-ts" : ["#) && text.contains(#""10.1.0.0/16""#))
        #expect(text.contains(#""nat-any" : true"#) && text.contains(#""child-sas" : ["#))
        let decoded = try JSONDecoder().decode(StatusReport.self, from: Data(text.utf8))
        #expect(decoded == Self.report)
        #expect(text.contains(#""remote-eap-id" : "alice""#) && text.contains(#""local-dns" : ["#))
        let road = try #require(decoded.ikeSAs.dropLast(2).last)
        #expect(road.remoteID == nil && road.established == nil)
        // RFC 4555: MOBIKE, the moves and the peer's additional addresses are Cygnet's
        // additions, absent where they do not apply (an older daemon's report decodes).
        #expect(text.contains(#""mobike" : true"#) && text.contains(#""address-updates" : 2"#))
        #expect(text.contains(#""remote-additional-hosts" : ["#) && text.contains(#""2001:db8::8""#))
        #expect(road.mobike == nil && road.addressUpdates == nil && road.remoteAdditionalHosts == nil)
        // Absent, not null.
        #expect(!text.contains("null"))
    }
}
