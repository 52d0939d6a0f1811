import IKEWire
import Testing

@testable import IKECrypto

@Suite("BoringSSL MODP Diffie-Hellman (RFC 3526, RFC 2409 §6.2, RFC 7296 §3.4, RFC 6989 §2.1)")
struct BoringMODPTests {
    typealias H = BoringTestSupport

    @Test("Two parties agree, values padded to the prime length (RFC 7296 §3.4, §2.14)", arguments: MODPKeyExchange.all)
    func agreement(_ method: MODPKeyExchange) throws {
        var initiatorRandom = BoringTestRandom(seed: UInt64(method.id.rawValue))
        var responderRandom = BoringTestRandom(seed: UInt64(method.id.rawValue) + 1000)
        let share = try method.generate(using: &initiatorRandom)
        #expect(share.publicValue.count == method.primeBits / 8)
        #expect(method.initiatorValueLength == method.primeBits / 8 && method.responderValueLength == method.primeBits / 8)
        let response = try method.respond(to: share.publicValue, using: &responderRandom)
        #expect(response.publicValue.count == method.primeBits / 8)
        #expect(response.sharedSecret.count == method.primeBits / 8)
        let secret = try share.complete(peerValue: response.publicValue)
        #expect(secret == response.sharedSecret)
        #expect(response.publicValue != share.publicValue)
    }

    @Test("The same random source gives the same key; another gives another (principle 6)")
    func deterministic() throws {
        var a = BoringTestRandom(seed: 42)
        var b = BoringTestRandom(seed: 42)
        var c = BoringTestRandom(seed: 43)
        let method = MODPKeyExchange.modp2048
        let first = try method.generate(using: &a).publicValue
        #expect(try method.generate(using: &b).publicValue == first)
        #expect(try method.generate(using: &c).publicValue != first)
    }

    @Test("Exponent lengths follow RFC 3526 §8 strength estimate 2")
    func exponentLengths() {
        #expect(MODPKeyExchange.all.map(\.exponentBits) == [256, 256, 320, 448, 512, 576, 640])
        #expect(MODPKeyExchange.all.map(\.isLegacy) == [true, true, false, false, false, false, false])
        #expect(MODPKeyExchange.all.map(\.id.rawValue) == [2, 5, 14, 15, 16, 17, 18])
    }

    /// Big-endian `prime - delta` or `prime + delta` at the prime's length (delta < 256,
    /// no borrow past the low byte because every MODP prime ends in 0xFF…).
    static func offset(_ prime: [UInt8], by delta: Int) -> [UInt8] {
        var value = prime
        let last = value.count - 1
        value[last] = UInt8(truncatingIfNeeded: Int(value[last]) + delta)
        return value
    }

    @Test(
        "Peer values 0, 1, p-1, p, 2^n-1, too short, too long and empty are rejected (RFC 6989 §2.1, RFC 7296 §3.4)",
        arguments: MODPKeyExchange.all)
    func badPeerValues(_ method: MODPKeyExchange) throws {
        let group = try #require(MODPGroup.group(method.id))
        let prime = group.primeBytes()
        let length = method.primeBits / 8
        #expect(prime.count == length)
        let two = [UInt8](repeating: 0, count: length - 1) + [2]
        let bad: [[UInt8]] = [
            [UInt8](repeating: 0, count: length),  // 0
            [UInt8](repeating: 0, count: length - 1) + [1],  // 1
            Self.offset(prime, by: -1),  // p-1
            prime,  // p
            [UInt8](repeating: 0xFF, count: length),  // 2^n - 1 > p
            Array(two.dropFirst()),  // a valid value, one byte short
            [0] + two,  // a valid value, one byte long
            [],
        ]
        var random = BoringTestRandom(seed: 1)
        let share = try method.generate(using: &random)
        for value in bad {
            #expect(H.errorCode { _ = try share.complete(peerValue: value) } == .invalidPublicValue, "\(value.count) bytes")
            #expect(H.errorCode { _ = try method.respond(to: value, using: &random) } == .invalidPublicValue)
        }
        // The edges of the valid range: 2 and p-2.
        for value in [[UInt8](repeating: 0, count: length - 1) + [2], Self.offset(prime, by: -2)] {
            #expect(throws: Never.self) { _ = try share.complete(peerValue: value) }
        }
    }

    @Test("The group 2 prime is RFC 2409 §6.2's: leading pi digits shared with RFC 3526 group 5")
    func oakleyGroup2() throws {
        let p1024 = try #require(MODPGroup.group2).primeBytes()
        let p1536 = try #require(MODPGroup.group5).primeBytes()
        #expect(p1024.count == 128)
        #expect(p1024.prefix(8) == [UInt8](repeating: 0xFF, count: 8)[...])
        #expect(p1024.suffix(8) == [UInt8](repeating: 0xFF, count: 8)[...])
        // Both are 2^n - 2^(n-64) - 1 + 2^64 * ([2^(n-130) pi] + c): the middle bytes
        // hold the same leading bits of pi until c and the truncation differ.
        #expect(p1024[8..<100] == p1536[8..<100])
        #expect(H.hexString(Array(p1024.suffix(16))) == "49286651ece65381ffffffffffffffff")
    }
}
