import ESPCore
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import CygnetTools

/// `cygnet demo` on real loopback sockets (no root needed). Only the report's structure
/// and counts are checked, never its times.
@Suite("cygnet demo: two engines on loopback UDP through an IKE SA's life")
struct DemoTests {
    @Test("Handshake, ESP both ways with replay (RFC 4303 §3.4.3) and ICV (§3.4.4) drops, Child and IKE rekeys (RFC 7296 §1.3.3, §1.3.2), delete")
    func fullRun() async throws {
        let packets = 30
        let report = try await Demo(packets: packets).run()

        // IKE_SA_INIT and IKE_AUTH.
        #expect(report.ikeSA.algorithms == "AES_GCM_16-256/PRF_HMAC_SHA2_256/CURVE_25519")
        #expect(report.ikeSA.initiatorSPI.count == 16 && report.ikeSA.responderSPI.count == 16)
        #expect(report.ikeSA.initiatorSPI != String(repeating: "0", count: 16))
        #expect(report.ikeSA.responderSPI != String(repeating: "0", count: 16))
        #expect(report.initiator.hasPrefix("127.0.0.1:") && report.responder.hasPrefix("127.0.0.1:"))
        #expect(report.initiator != report.responder)

        // The Child SA, as ESP in UDP.
        #expect(report.childSA.algorithms == "AES_GCM_16-256")
        #expect(report.childSA.localTrafficSelectors == ["10.0.0.1/32"])
        #expect(report.childSA.remoteTrafficSelectors == ["10.0.0.2/32"])
        #expect(report.childSA.isUDPEncapsulated)
        #expect(report.childSA.inboundSPI != report.childSA.outboundSPI)

        // ESP: every packet verified each way; the replay and the tampered packet dropped.
        #expect(report.traffic.esp == .init(packetsEachWay: packets, verifiedByInitiator: packets, verifiedByResponder: packets))
        #expect(report.traffic.replayedPacket.code == ESPError.Code.replayed.rawValue)
        #expect(report.traffic.replayedPacket.reason == "replayed")
        #expect(report.traffic.tamperedPacket.code == ESPError.Code.icvFailure.rawValue)
        #expect(report.traffic.tamperedPacket.reason == "ICV failure")

        // Child SA rekey: new SPIs both ways, ESP verified on them.
        #expect(report.childRekey.oldInboundSPI == report.childSA.inboundSPI)
        #expect(report.childRekey.oldOutboundSPI == report.childSA.outboundSPI)
        #expect(report.childRekey.newInboundSPI != report.childRekey.oldInboundSPI)
        #expect(report.childRekey.newOutboundSPI != report.childRekey.oldOutboundSPI)
        #expect(report.childRekey.esp.isComplete && report.childRekey.esp.packetsEachWay == packets)

        // IKE SA rekey: new SPIs, the Child SA kept and still carrying ESP.
        #expect(report.ikeRekey.oldInitiatorSPI == report.ikeSA.initiatorSPI)
        #expect(report.ikeRekey.oldResponderSPI == report.ikeSA.responderSPI)
        #expect(report.ikeRekey.newInitiatorSPI != report.ikeRekey.oldInitiatorSPI)
        #expect(report.ikeRekey.newResponderSPI != report.ikeRekey.oldResponderSPI)
        #expect(report.ikeRekey.isChildSAKept)
        #expect(report.ikeRekey.esp.isComplete && report.ikeRekey.esp.packetsEachWay == Demo.packetsAfterIKERekey)

        // Delete: nothing left anywhere.
        #expect(report.delete.ikeSAsLeft == 0)
        #expect(report.delete.childSAsLeft == 0)
        #expect(report.delete.initiatorCloseReason == "deleted_locally")
        #expect(report.delete.responderCloseReason == "deleted_by_peer")

        // Seven exchanges of two messages (IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA and the
        // old Child SA's delete, CREATE_CHILD_SA and the old IKE SA's delete, the delete).
        #expect(report.ikeMessages == 14 + report.retransmissions)
        #expect(report.espPackets == 2 * packets + 3 + 2 * packets + 2 * Demo.packetsAfterIKERekey)

        let text = report.text
        #expect(text.contains("IKE SA       IKE_SA_INIT + IKE_AUTH in "))
        #expect(text.contains("SPIs \(report.ikeSA.initiatorSPI)_i \(report.ikeSA.responderSPI)_r"))
        #expect(text.contains("replayed packet dropped (replayed), tampered packet dropped (ICV failure)"))
        #expect(text.contains("no IKE or Child SA left on either peer"))
        let decoded = try JSONDecoder().decode(DemoReport.self, from: Data(try report.json().utf8))
        #expect(decoded == report)
    }

    @Test("--esp picks the Child SA's algorithms (RFC 7634 ChaCha20-Poly1305, RFC 4303 AES-CBC with HMAC-SHA2)",
          arguments: [
              ("chacha20poly1305", "CHACHA20_POLY1305"),
              ("aes128-sha256", "AES_CBC-128/HMAC_SHA2_256_128"),
          ])
    func espProposal(proposal: String, algorithms: String) async throws {
        let report = try await Demo(packets: 3, espProposal: proposal).run()
        #expect(report.childSA.algorithms == algorithms)
        #expect(report.traffic.esp.isComplete && report.childRekey.esp.isComplete && report.ikeRekey.esp.isComplete)
        #expect(report.traffic.tamperedPacket.code == ESPError.Code.icvFailure.rawValue)
        #expect(report.delete.ikeSAsLeft == 0 && report.delete.childSAsLeft == 0)
    }

    @Test("An unknown proposal keyword or a packet count out of range is refused before any socket opens")
    func invalidArguments() async {
        await #expect(throws: DemoError(.invalidArgument, step: "setup", "")) {
            try await Demo(espProposal: "aes256gcm17").run()
        }
        await #expect(throws: DemoError(.invalidArgument, step: "setup", "")) {
            try await Demo(ikeProposal: "aes256gcm16").run()  // no PRF, no key exchange
        }
        await #expect(throws: DemoError(.invalidArgument, step: "setup", "")) {
            try await Demo(packets: 0).run()
        }
    }

    @Test("A step whose condition never holds fails with a timeout instead of waiting forever")
    func stepTimeout() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let session = DemoSession(eventLoop: group.next(), stepTimeout: .milliseconds(50))
        let error = await #expect(throws: DemoError.self) {
            try await session.step("waiting", waitingFor: "something that never happens", action: { _ in }, until: { _ in false })
        }
        #expect(error?.code == .timeout)
        #expect(error?.step == "waiting")
        #expect(error?.description.contains("no something that never happens within") == true)
        await session.close()
        try await group.shutdownGracefully()
    }

    @Test("The inner packet: IPv4 and ICMP checksums (RFC 1071) verify, one flipped bit does not")
    func innerPacket() throws {
        let packet = DemoPacket(source: [10, 0, 0, 1], destination: [10, 0, 0, 2], identifier: 7, sequence: 42)
        let bytes = packet.bytes
        #expect(bytes.count == DemoPacket.length)
        #expect(DemoPacket.checksum(bytes[0..<20]) == 0)
        #expect(try DemoPacket(verifying: bytes) == packet)
        for offset in [0, 9, 12, 20, 27, bytes.count - 1] {
            var corrupted = bytes
            corrupted[offset] ^= 0x01
            #expect(throws: DemoPacket.Invalid.self) { try DemoPacket(verifying: corrupted) }
        }
    }
}
