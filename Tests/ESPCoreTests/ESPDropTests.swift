import IKECrypto
import IKEWire
import Testing

@testable import ESPCore

@Suite("ESP drops (RFC 4303 §3.4)")
struct ESPDropTests {
    @Test("Truncated at every length: dropped, window untouched (RFC 4303 §3.4)", arguments: ESPTestSuite.allCases)
    func truncatedEveryLength(suite: ESPTestSuite) throws {
        var (outbound, inbound) = try suite.pair()
        let packet = try outbound.seal(payload(37), nextHeader: .ipv4)
        for length in 0..<packet.count {
            var prefix = Array(packet[0..<length])
            let code = espError { _ = try inbound.open(&prefix) }
            if length < inbound.minimumPacketLength {
                #expect(code == .truncated, "length \(length)")
            } else {
                #expect(code == .truncated || code == .icvFailure, "length \(length): \(String(describing: code))")
            }
        }
        var whole = packet
        #expect(try inbound.open(&whole).payloadRange.count == 37)
    }

    @Test("Every byte flipped: dropped as bad SPI or ICV failure, window untouched (RFC 4303 §3.4.4)",
          arguments: ESPTestSuite.allCases, [false, true])
    func tamperedEveryByte(suite: ESPTestSuite, esn: Bool) throws {
        var (outbound, inbound) = try suite.pair(esn: esn)
        let packet = try outbound.seal(payload(29), nextHeader: .ipv6)
        for index in packet.indices {
            var tampered = packet
            tampered[index] ^= 0x80
            let code = espError { _ = try inbound.open(&tampered) }
            #expect(code == (index < 4 ? .badSPI : .icvFailure), "byte \(index)")
        }
        #expect(inbound.replayWindow.top == 0)
        var whole = packet
        #expect(try inbound.open(&whole).nextHeader == .ipv6)
    }

    @Test("A replayed packet is dropped as replayed (RFC 4303 §3.4.3)", arguments: ESPTestSuite.allCases)
    func replayed(suite: ESPTestSuite) throws {
        var (outbound, inbound) = try suite.pair()
        let packet = try outbound.seal(payload(10), nextHeader: .ipv4)
        var first = packet
        _ = try inbound.open(&first)
        var again = packet
        #expect(espError { _ = try inbound.open(&again) } == .replayed)
    }

    @Test("Wrong SPI is dropped before any crypto (RFC 4303 §3.4.2)")
    func badSPI() throws {
        var (outbound, _) = try ESPTestSuite.aesGCM16_128.pair(spi: 7)
        var (_, inbound) = try ESPTestSuite.aesGCM16_128.pair(spi: 8)
        var packet = try outbound.seal(payload(10), nextHeader: .ipv4)
        #expect(espError { _ = try inbound.open(&packet) } == .badSPI)
    }

    /// Builds a NULL + HMAC-SHA-256 packet with the given plaintext trailer and a valid ICV.
    func forged(plaintext: [UInt8], sequence: UInt32 = 1) throws -> [UInt8] {
        let suite = ESPTestSuite.null_hmacSHA256
        let integrity = try #require(suite.integrity).makeContext(key: suite.integrityKey)
        var header: [UInt8] = [0xC0, 0xFF, 0xEE, 0x01]
        header += withUnsafeBytes(of: sequence.bigEndian) { Array($0) }
        let body = header + plaintext
        return body + integrity.icv(body)
    }

    @Test("Padding other than 1, 2, 3… is dropped (RFC 4303 §2.4)")
    func badPadding() throws {
        var (_, inbound) = try ESPTestSuite.null_hmacSHA256.pair()
        var good = try forged(plaintext: [9, 9, 1, 2, 3, 4, 4, 4])
        #expect(try inbound.open(&good).payloadRange == 8..<10)
        var wrongPad = try forged(plaintext: [9, 9, 1, 2, 7, 4, 4, 4], sequence: 2)
        #expect(espError { _ = try inbound.open(&wrongPad) } == .badPadding)
        var padTooLong = try forged(plaintext: [1, 2, 3, 4, 5, 6, 9, 4], sequence: 3)
        #expect(espError { _ = try inbound.open(&padTooLong) } == .badPadding)
        var zeroPad = try forged(plaintext: [9, 9, 0, 0, 0, 0, 4, 4], sequence: 4)
        #expect(espError { _ = try inbound.open(&zeroPad) } == .badPadding)
    }

    @Test("Error equality compares the code; codes are stable numbers for counters")
    func errorCodes() {
        #expect(ESPError(.replayed, "a") == ESPError(.replayed, "b"))
        #expect(ESPError.Code.truncated.rawValue == 1)
        #expect(ESPError.Code.sequenceNumberExhausted.rawValue == 7)
        #expect(ESPError(.sequenceNumberExhausted).isRekeyRequired)
    }
}
