import IKECrypto
import Testing

@testable import ESPCore

@Suite("Soft and hard byte and packet lifetimes (RFC 4301 §4.4.2.1)")
struct ESPLifetimeCounterTests {
    @Test("Byte limits: soft reported once, then hard once; the hard state stays")
    func byteLimits() {
        var counter = ESPLifetimeCounter(limits: .init(softBytes: 1000, hardBytes: 2000))
        var crossings: [ESPLifetimeCounter.Crossing] = []
        for _ in 0..<30 { crossings.append(counter.record(bytes: 100)) }
        #expect(crossings[8] == [])
        #expect(crossings[9] == .soft)  // 1000 reached
        #expect(crossings[19] == .hard)  // 2000 reached
        #expect(crossings.filter { !$0.isEmpty } == [.soft, .hard])
        #expect(counter.isSoftExpired && counter.isHardExpired)
        #expect(counter.bytes == 3000 && counter.packets == 30)
    }

    @Test("Packet limits, and a packet that reaches soft and hard at once reports both")
    func packetLimitsAndBothAtOnce() {
        var counter = ESPLifetimeCounter(limits: .init(softPackets: 3, hardPackets: 5))
        let crossings = (0..<6).map { _ in counter.record(bytes: 0) }
        #expect(crossings == [[], [], .soft, [], .hard, []])
        var both = ESPLifetimeCounter(limits: .init(softBytes: 100, hardBytes: 150))
        #expect(both.record(bytes: 99) == [])
        #expect(both.record(bytes: 1000) == [.soft, .hard])
        #expect(both.record(bytes: 1) == [])
    }

    @Test("Bytes and packets together: the first to reach its limit fires")
    func mixed() {
        var counter = ESPLifetimeCounter(limits: .init(softBytes: 10_000, hardBytes: 20_000, softPackets: 2, hardPackets: 100))
        #expect(counter.record(bytes: 10) == [])
        #expect(counter.record(bytes: 10) == .soft)  // packets
        #expect(counter.record(bytes: 9_000) == [])  // bytes soft already reported
        #expect(counter.record(bytes: 11_000) == .hard)  // 20_020 bytes
        #expect(!ESPLifetimeCounter().isSoftExpired)
        var unlimited = ESPLifetimeCounter()
        for _ in 0..<1000 { #expect(unlimited.record(bytes: Int.max) == []) }
        #expect(!unlimited.isHardExpired)
    }

    @Test("A soft limit at or above the hard one fires with it; zero limits are expired from the start")
    func oddLimits() {
        var counter = ESPLifetimeCounter(limits: .init(softBytes: 500, hardBytes: 300))
        #expect(counter.record(bytes: 299) == [])
        #expect(counter.record(bytes: 1) == [.soft, .hard])
        let zero = ESPLifetimeCounter(limits: .init(hardPackets: 0))
        #expect(zero.isHardExpired && zero.isSoftExpired)
    }

    @Test("The SA counts ciphertext bytes (payload, padding, trailer) and refuses to seal or open after the hard limit",
          arguments: [ESPTestSuite.aesGCM16_256, .aesCBC128_hmacSHA256])
    func saRefusesAfterHardLimit(suite: ESPTestSuite) throws {
        let limits = ESPLifetimeCounter.Limits(softPackets: 2, hardPackets: 4)
        let make = {
            try ESPSecurityAssociation(
                spi: 9, encryption: suite.encryption, encryptionKey: suite.encryptionKey, integrity: suite.integrity,
                integrityKey: suite.integrityKey, usesExtendedSequenceNumbers: false, lifetimeLimits: limits)
        }
        var outbound = try make()
        var inbound = try make()
        var packets: [[UInt8]] = []
        var outCrossings: [ESPLifetimeCounter.Crossing] = []
        var inCrossings: [ESPLifetimeCounter.Crossing] = []
        for _ in 0..<4 {
            var packet = try outbound.seal(payload(30), nextHeader: .ipv4)
            packets.append(packet)
            outCrossings.append(outbound.pollLifetimeCrossing())
            _ = try inbound.open(&packet)
            inCrossings.append(inbound.pollLifetimeCrossing())
        }
        #expect(outCrossings == [[], .soft, [], .hard])
        #expect(inCrossings == [[], .soft, [], .hard])
        #expect(outbound.pollLifetimeCrossing() == [])
        #expect(outbound.lifetime.bytes == UInt64(4 * (outbound.sealedLength(payloadLength: 30) - outbound.headerLength - outbound.icvLength)))
        #expect(outbound.lifetime.isHardExpired)
        let error = espErrorValue { _ = try outbound.seal(payload(30), nextHeader: .ipv4) }
        #expect(error?.code == .lifetimeExpired)
        #expect(error?.isRekeyRequired == true)
        #expect(outbound.lastSequenceNumber == 4)
        // Inbound: a further (authentic) packet is dropped before any crypto.
        var late = packets[3]
        late[7] = 5  // would be sequence 5; never verified
        #expect(espError { _ = try inbound.open(&late) } == .lifetimeExpired)
    }

    @Test("Error codes stay stable; new ones are appended")
    func codes() {
        #expect(ESPError.Code.cryptoFailure.rawValue == 10)
        #expect(ESPError.Code.lifetimeExpired.rawValue == 11)
        #expect(ESPError.Code.malformedIPPacket.rawValue == 12)
        #expect(ESPError.Code.ipFragment.rawValue == 13)
    }
}

/// The error `body` throws, or `nil`.
func espErrorValue(_ body: () throws -> Void) -> ESPError? {
    do {
        try body()
        return nil
    } catch let error as ESPError {
        return error
    } catch {
        return ESPError(ESPError.Code(rawValue: .max))
    }
}
