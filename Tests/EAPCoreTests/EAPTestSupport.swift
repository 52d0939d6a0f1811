import EAPCore
import IKECrypto
import IKEWire
import Testing

/// Helpers shared by the EAP suites.
enum EAPTestSupport {
    /// Bytes from hex, ignoring spaces; a bad string gives `[]` and records an issue.
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8.filter { $0 != UInt8(ascii: " ") })
        guard digits.count % 2 == 0 else {
            Issue.record("odd hex length: \(text)")
            return []
        }
        var bytes: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let value = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                Issue.record("bad hex: \(text)")
                return []
            }
            bytes.append(value)
            index += 2
        }
        return bytes
    }

    static func password(_ text: String) -> SecretBytes { SecretBytes(Array(text.utf8)) }

    /// A credential store with one user per entry.
    static func lookup(_ users: [String: EAPCredential]) -> EAPCredentialLookup {
        { identity in identity.text.flatMap { users[$0] } }
    }

    /// Runs a conversation in memory until one side finishes; returns both final steps.
    static func converse(_ authenticator: inout EAPAuthenticator, _ peer: inout EAPPeer, limit: Int = 16)
        -> (authenticator: EAPStep, peer: EAPStep)?
    {
        var request = authenticator.start()
        for _ in 0..<limit {
            let peerStep = peer.receive(encoded: request.encoded())
            guard case .send(let response) = peerStep else {
                return (.failure(nil, EAPFailure(.outOfOrder, "peer ended first")), peerStep)
            }
            let authenticatorStep = authenticator.receive(encoded: response.encoded())
            switch authenticatorStep {
            case .send(let next):
                request = next
            case .success(let packet?, _), .failure(let packet?, _):
                return (authenticatorStep, peer.receive(encoded: packet.encoded()))
            case .success(nil, _), .failure(nil, _):
                return (authenticatorStep, peerStep)
            }
        }
        Issue.record("no end after \(limit) rounds")
        return nil
    }
}

/// A random source that replays fixed bytes, then counts up: deterministic challenges.
struct ReplayRandom: RandomSource, Sendable {
    var bytes: [UInt8]
    var counter: UInt8 = 0

    init(_ bytes: [UInt8] = []) { self.bytes = bytes }

    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        for index in 0..<buffer.count {
            if bytes.isEmpty {
                counter &+= 1
                buffer[index] = counter
            } else {
                buffer[index] = bytes.removeFirst()
            }
        }
    }
}

extension EAPStep {
    /// The failure code, if this step is a failure.
    var failureCode: EAPFailure.Code? {
        if case .failure(_, let failure) = self { return failure.code }
        return nil
    }

    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }

    var msk: SecretBytes? {
        if case .success(_, let msk) = self { return msk }
        return nil
    }
}
