import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// What one authenticated peer may ask of an IKE SA: a bounded number of Child SAs, no
/// second rekey of a replaced IKE SA, REKEY_SA only for an ESP Child SA.
@Suite("Per-peer limits on CREATE_CHILD_SA (RFC 7296 §1.3, §2.18, §3.10.1)")
struct PeerLimitTests {
    typealias Fixtures = ResponderFixtures

    @Test("§3.10.1 a peer cannot add Child SAs without limit: past 64 on one IKE SA, NO_ADDITIONAL_SAS")
    func childSALimit() throws {
        var (peer, engine) = try Fixtures.established(seed: 71)
        // IKE_AUTH made the first; 63 more fill the IKE SA.
        for index in 1..<64 {
            let outputs = Fixtures.send(try Fixtures.childRequest(&peer, spi: 0x1000 + UInt32(index)), from: peer, to: &engine)
            try #require(Fixtures.installations(outputs).count == 1, "Child SA \(index + 1)")
        }
        for rekey in [nil, NotifyPayload(protocolID: .esp, spi: [1, 2, 3, 4], type: .rekeySA)] {
            let outputs = Fixtures.send(try Fixtures.childRequest(&peer, spi: 0x2000, rekey: rekey), from: peer, to: &engine)
            let reply = try peer.open(try #require(outputs.transmits.first).datagram)
            #expect(reply.payloads == [.notify(NotifyPayload(type: .noAdditionalSAs))])
            #expect(Fixtures.installations(outputs).isEmpty)
            #expect(Fixtures.refusals(outputs) == [.childSALimitReached])
        }
        #expect(engine.statuses.first?.children.count == 64)
        #expect(engine.establishedSPIs.count == 1)
        // Deleting one makes room again.
        let delete = try peer.request(.informational, payloads: [.delete(DeletePayload(espSPIs: [0x1001]))])
        #expect(Fixtures.send(delete, from: peer, to: &engine).effects.count == 1)
        let again = Fixtures.send(try Fixtures.childRequest(&peer, spi: 0x2001), from: peer, to: &engine)
        #expect(Fixtures.installations(again).count == 1)
    }

    @Test("§2.18 an IKE SA already replaced by a rekey cannot be rekeyed again, nor given a Child SA: TEMPORARY_FAILURE")
    func replacedIKESA() throws {
        var (peer, engine) = try Fixtures.established(seed: 72)
        let first = Fixtures.send(try Fixtures.ikeRekeyRequest(&peer), from: peer, to: &engine)
        #expect(try peer.open(try #require(first.transmits.first).datagram).payloads.securityAssociation != nil)
        #expect(engine.ikeSACount == 2)
        for request in [try Fixtures.ikeRekeyRequest(&peer), try Fixtures.childRequest(&peer, spi: 0x3000)] {
            let outputs = Fixtures.send(request, from: peer, to: &engine)
            let reply = try peer.open(try #require(outputs.transmits.first).datagram)
            #expect(reply.payloads == [.notify(NotifyPayload(type: .temporaryFailure))])
            #expect(outputs.effects.isEmpty)
            #expect(Fixtures.refusals(outputs) == [.ikeSAReplaced])
        }
        #expect(engine.ikeSACount == 2)
    }

    @Test("CVE-2023-38710 class: REKEY_SA with protocol ID 0 or 1 is INVALID_SYNTAX, nothing rekeyed",
          arguments: [SecurityProtocolID.none, .ike])
    func rekeyWithWrongProtocol(protocolID: SecurityProtocolID) throws {
        var (peer, engine) = try Fixtures.established(seed: 73)
        // The SPI is that of the peer's inbound ESP SA, as for a real rekey.
        let rekey = NotifyPayload(protocolID: protocolID, spi: [1, 2, 3, 4], type: .rekeySA)
        let outputs = Fixtures.send(try Fixtures.childRequest(&peer, spi: 0x4000, rekey: rekey), from: peer, to: &engine)
        let reply = try peer.open(try #require(outputs.transmits.first).datagram)
        #expect(reply.payloads == [.notify(NotifyPayload(type: .invalidSyntax))])
        #expect(outputs.effects.isEmpty)
        #expect(engine.statuses.first?.children.count == 1)
        #expect(engine.establishedSPIs.count == 1)
    }
}
