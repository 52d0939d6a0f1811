import IKECrypto
import Testing

@testable import ESPCore

@Suite("Anti-replay window and ESN (RFC 4303 §3.4.3, Appendix A)")
struct ESPReplayWindowTests {
    @Test("In order: every packet accepted (RFC 4303 §3.4.3)")
    func inOrder() throws {
        var (outbound, inbound) = try ESPTestSuite.aesGCM16_128.pair()
        for sequence in 1...2100 as ClosedRange<UInt64> {
            var packet = try outbound.seal(payload(4), nextHeader: .ipv4)
            #expect(try inbound.open(&packet).sequenceNumber == sequence)
        }
    }

    @Test("Reordered within the window accepted; left of it too old; duplicates replayed (RFC 4303 §3.4.3)")
    func reorderedTooOldDuplicates() throws {
        var (outbound, inbound) = try ESPTestSuite.aesGCM16_128.pair()
        let packets = try (1...1100).map { _ in try outbound.seal(payload(4), nextHeader: .ipv4) }
        var newest = packets[1099]
        _ = try inbound.open(&newest)
        // 1100 - 77 = 1023 < 1024: inside; 1100 - 76 = 1024: outside.
        for index in stride(from: 1098, through: 76, by: -1) {
            var packet = packets[index]
            #expect(try inbound.open(&packet).sequenceNumber == UInt64(index + 1))
        }
        for index in [75, 10, 0] {
            var packet = packets[index]
            #expect(espError { _ = try inbound.open(&packet) } == .tooOld, "sequence \(index + 1)")
        }
        for index in [1099, 500, 76] {
            var packet = packets[index]
            #expect(espError { _ = try inbound.open(&packet) } == .replayed, "sequence \(index + 1)")
        }
    }

    @Test("Window size is configurable (rounded up to 64)")
    func configurableSize() throws {
        #expect(ESPReplayWindow(size: 100, usesExtendedSequenceNumbers: false).size == 128)
        #expect(ESPReplayWindow(size: 4096, usesExtendedSequenceNumbers: false).size == 4096)
        var window = ESPReplayWindow(size: 64, usesExtendedSequenceNumbers: false)
        window.accept(try window.check(100))
        #expect(try window.check(37) == 37)
        #expect(throws: ESPError(.tooOld)) { try window.check(36) }
        #expect(throws: ESPError(.tooOld)) { try window.check(0) }
    }

    @Test("A big jump clears the bitmap; a later slide clears stale bits")
    func slideClears() throws {
        var window = ESPReplayWindow(size: 64, usesExtendedSequenceNumbers: false)
        for sequence in 1...64 as ClosedRange<UInt64> { window.accept(sequence) }
        window.accept(1000)
        #expect(try window.check(999) == 999)
        window.accept(1001)
        #expect(try window.check(1000 - 63 + 1) == 938)
        #expect(throws: ESPError(.replayed)) { try window.check(1000) }
    }

    @Test("Appendix A case A: window within one subspace (Tl >= W - 1)")
    func esnCaseA() throws {
        var window = ESPReplayWindow(size: 1024, usesExtendedSequenceNumbers: true)
        let top: UInt64 = 5 << 32 | 2000
        window.accept(top)
        #expect(try window.check(1500) == 5 << 32 | 1500)
        #expect(try window.check(977) == 5 << 32 | 977)
        #expect(try window.check(976) == 6 << 32 | 976)  // below Tl - W + 1: next subspace
        #expect(try window.check(3000) == 5 << 32 | 3000)
        #expect(throws: ESPError(.replayed)) { try window.check(2000) }
    }

    @Test("Appendix A case B: window spans two subspaces (Tl < W - 1)")
    func esnCaseB() throws {
        var window = ESPReplayWindow(size: 1024, usesExtendedSequenceNumbers: true)
        window.accept(5 << 32 | 10)
        #expect(try window.check(0xFFFF_FF00) == 4 << 32 | 0xFFFF_FF00)
        #expect(try window.check(UInt32.max - 1012) == 4 << 32 | UInt64(UInt32.max - 1012))
        #expect(try window.check(5) == 5 << 32 | 5)
        #expect(try window.check(2000) == 5 << 32 | 2000)
        // Below Tl - W + 1 (mod 2^32): read as this subspace, far right of the window.
        #expect(try window.check(UInt32.max - 1013) == 5 << 32 | UInt64(UInt32.max - 1013))
    }

    @Test("ESN: the low 32 bits wrap and the high bits are inferred, also reordered (RFC 4303 §2.2.1, Appendix A)",
          arguments: [ESPTestSuite.aesGCM16_128, .chacha20Poly1305, .aesCBC128_hmacSHA256, .null_hmacSHA256])
    func esnWrap(suite: ESPTestSuite) throws {
        var (outbound, inbound) = try suite.pair(esn: true)
        let start = UInt64(UInt32.max) - 3
        outbound.lastSequenceNumber = start
        inbound.replayWindow.accept(start)
        let packets = try (0..<8).map { _ in try outbound.seal(payload(16), nextHeader: .ipv4) }
        // Seal order is start+1 … start+8, crossing 2^32 at the 4th packet.
        #expect(Array(packets[4][4..<8]) == [0, 0, 0, 1])
        for index in [5, 0, 7, 1, 4, 2, 3, 6] {
            var packet = packets[index]
            #expect(try inbound.open(&packet).sequenceNumber == start + 1 + UInt64(index))
        }
        #expect(inbound.replayWindow.top == start + 8)
        var replay = packets[2]
        #expect(espError { _ = try inbound.open(&replay) } == .replayed)
    }

    @Test("Regression: accepting 2^64 - 1 (the last ESN sequence number) slides the window without overflowing")
    func acceptLastESNSequenceNumber() throws {
        var window = ESPReplayWindow(size: 64, usesExtendedSequenceNumbers: true)
        window.accept(.max - 3)
        #expect(try window.check(UInt32.max) == .max)
        window.accept(.max)
        #expect(window.top == .max)
        #expect(window.contains(.max) && window.contains(.max - 3) && !window.contains(.max - 1))
        #expect(throws: ESPError(.replayed)) { try window.check(UInt32.max) }
    }

    @Test("ESN: the high bits are authenticated; a receiver without ESN rejects (RFC 4303 §2.2.1)")
    func esnHighBitsAuthenticated() throws {
        var (outbound, _) = try ESPTestSuite.aesGCM16_128.pair(esn: true)
        var (_, inbound) = try ESPTestSuite.aesGCM16_128.pair(esn: false)
        var packet = try outbound.seal(payload(8), nextHeader: .ipv4)
        #expect(espError { _ = try inbound.open(&packet) } == .icvFailure)
    }

    @Test("Exhaustion: 2^32 - 1 without ESN is the last packet; then rekey required (RFC 4303 §3.3.3)",
          arguments: [false, true])
    func exhaustion(esn: Bool) throws {
        var (outbound, _) = try ESPTestSuite.aesGCM16_128.pair(esn: esn)
        let last: UInt64 = esn ? .max : UInt64(UInt32.max)
        outbound.lastSequenceNumber = last - 1
        let packet = try outbound.seal(payload(8), nextHeader: .ipv4)
        #expect(Array(packet[4..<8]) == [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(outbound.lastSequenceNumber == last)
        for _ in 0..<2 {
            #expect(espError { _ = try outbound.seal(payload(8), nextHeader: .ipv4) } == .sequenceNumberExhausted)
        }
        #expect(outbound.lastSequenceNumber == last)
    }
}
