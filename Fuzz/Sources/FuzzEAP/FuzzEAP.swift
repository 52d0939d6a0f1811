import EAPCore
import Foundation
import IKECrypto
import IKEWire

/// libFuzzer entry point for EAPCore: the packet decoder and both state machines.
///
/// Input: byte 0 picks the role and method (bit 0: authenticator or peer; bit 1:
/// MSCHAPv2 or MD5-Challenge), byte 1 how many rounds of a clean conversation run first
/// (0–3), and the rest is the packet given to that side next.
///
/// The properties checked on every input:
/// - decoding never traps: malformed input is an `EAPPacketError`;
/// - what decodes encodes to the input's first Length octets and decodes again equal;
/// - neither side traps on any packet in any state, and a failure is typed;
/// - the authenticator's success carries the clean conversation's MSK (a response it
///   accepts proved the same password), and the peer never succeeds on anything but an
///   EAP-Success after a finished method.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEAP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    checkPacket(bytes)
    guard bytes.count >= 2 else { return 0 }
    let scenario = Scenario(selector: bytes[0], rounds: Int(bytes[1] % 4))
    let packet = Array(bytes[2...])
    var sides = scenario.sides()
    let expected = sides.cleanMSK
    guard sides.advance(rounds: scenario.rounds) else { return 0 }
    if scenario.isAuthenticator {
        let step = sides.authenticator.receive(encoded: packet)
        if case .success(_, let msk) = step, scenario.method == .mschapv2, msk != expected {
            fail("the authenticator succeeded with another MSK", bytes)
        }
    } else {
        let step = sides.peer.receive(encoded: packet)
        if case .success = step, (try? EAPPacket(decoding: packet))?.code != .success {
            fail("the peer succeeded on something other than EAP-Success", bytes)
        }
    }
    return 0
}

/// With `FUZZ_EAP_WRITE_SEEDS=DIR` in the environment, writes each clean message of each
/// scenario as a seed into DIR and exits; `Fuzz/run.sh` does this to seed the corpus.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzEAPInitialize(
    _ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?
) -> CInt {
    guard let directory = ProcessInfo.processInfo.environment["FUZZ_EAP_WRITE_SEEDS"] else { return 0 }
    var count = 0
    for selector: UInt8 in 0..<4 {
        for rounds in 0..<4 {
            let scenario = Scenario(selector: selector, rounds: rounds)
            var sides = scenario.sides()
            guard sides.advance(rounds: rounds), let next = sides.nextMessage(toAuthenticator: scenario.isAuthenticator)
            else { continue }
            let url = URL(fileURLWithPath: directory).appendingPathComponent("eap-\(selector)-\(rounds)")
            try? Data([selector, UInt8(rounds)] + next.encoded()).write(to: url)
            count += 1
        }
    }
    print("FuzzEAP: wrote \(count) seeds to \(directory)")
    exit(count == 0 ? 1 : 0)
}

private struct Scenario {
    var isAuthenticator: Bool
    var method: EAPMethod
    var rounds: Int

    init(selector: UInt8, rounds: Int) {
        isAuthenticator = selector & 1 == 0
        method = selector & 2 == 0 ? .mschapv2 : .md5Challenge
        self.rounds = rounds
    }

    func sides() -> Sides {
        let password = SecretBytes(Array("fuzz-password".utf8))
        return Sides(
            authenticator: EAPAuthenticator(
                methods: [method], credentials: { $0 == EAPIdentity("fuzz") ? .password(password) : nil },
                random: CountingRandom()),
            peer: EAPPeer(
                identity: EAPIdentity("fuzz"), credential: .password(password), methods: [method],
                random: CountingRandom()))
    }
}

/// Both sides of one conversation and the Request in flight.
private struct Sides {
    var authenticator: EAPAuthenticator
    var peer: EAPPeer
    var request: EAPPacket?

    init(authenticator: EAPAuthenticator, peer: EAPPeer) {
        self.authenticator = authenticator
        self.peer = peer
        request = self.authenticator.start()
    }

    /// The MSK a clean conversation of these sides ends with.
    var cleanMSK: SecretBytes? {
        var copy = self
        while copy.advance(rounds: 1) {}
        if let request = copy.request, case .success(_, let msk) = copy.peer.receive(request) { return msk }
        return nil
    }

    /// Runs `rounds` clean rounds (a Request answered and the answer received); `false`
    /// if the conversation ended before.
    mutating func advance(rounds: Int) -> Bool {
        for _ in 0..<rounds {
            guard let current = request, case .send(let response) = peer.receive(current) else { return false }
            switch authenticator.receive(response) {
            case .send(let next): request = next
            case .success(let final, _), .failure(let final, _):
                request = final
                return false
            }
        }
        return true
    }

    /// The next clean message: the Request in flight, or the peer's answer to it.
    func nextMessage(toAuthenticator: Bool) -> EAPPacket? {
        guard let request else { return nil }
        guard toAuthenticator else { return request }
        var peer = self.peer
        if case .send(let response) = peer.receive(request) { return response }
        return nil
    }
}

/// Deterministic bytes: challenges and Identifiers repeat from run to run.
private struct CountingRandom: RandomSource, Sendable {
    var counter: UInt8 = 0
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        for index in 0..<buffer.count {
            counter &+= 1
            buffer[index] = counter
        }
    }
}

private func checkPacket(_ bytes: [UInt8]) {
    guard let packet = try? EAPPacket(decoding: bytes) else { return }
    let encoded = packet.encoded()
    guard encoded == Array(bytes.prefix(encoded.count)), encoded.count == Int(bytes[2]) << 8 | Int(bytes[3]) else {
        fail("encoding is not the input's first Length octets", bytes)
    }
    guard (try? EAPPacket(decoding: encoded)) == packet else { fail("round trip changed the packet", bytes) }
}

private func fail(_ what: String, _ input: [UInt8]) -> Never {
    fatalError("FuzzEAP: \(what); input \(input.map { String(format: "%02x", $0) }.joined())")
}
