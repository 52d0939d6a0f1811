import Crypto
import IKEConfig

/// The RADIUS answer path for the fuzzer (`Fuzz/Sources/FuzzRADIUS`): decoding
/// (``RADIUSPacket/init(decoding:)``), the authenticator checks
/// (``RADIUSPacket/verifyAnswer(requestAuthenticator:secret:)``), and what the EAP backend
/// makes of an authentic answer (EAP-Message reassembly, State, MS-MPPE keys, Framed-IP-Address,
/// Class).
///
/// Input: byte 0, flags: bit 0, the answer continues a conversation (else it answers its
/// first message); bit 1, sign the decoded packet before checking it, as the server
/// would with the harness's secret and Request Authenticator, so that the fuzzer reaches
/// past the authenticators. The rest is the datagram.
///
/// Properties checked (a failure traps): a decoded packet encodes back to the octets
/// its Length covers; an answer signed so verifies.
public enum RADIUSFuzzHarness {
    /// What one input did, for tests of the seeds.
    public enum Outcome: Equatable, Sendable {
        case malformed
        case notAuthentic
        case invalidAnswer
        case challenge
        case accept(hasMSK: Bool)
        case reject
    }

    static let secret = Array("cygnet-radius-secret".utf8)
    static let requestAuthenticator = (0x10...0x1f).map { UInt8($0) }
    static let server = EAPRADIUSSettings.Server(name: "fuzz", address: [127, 0, 0, 1], secret: secret)

    @discardableResult
    public static func run(_ bytes: [UInt8]) -> Outcome {
        guard let flags = bytes.first else { return .malformed }
        let datagram = bytes.dropFirst()
        guard var packet = try? RADIUSPacket(decoding: datagram) else { return .malformed }
        let length = Int(datagram[datagram.startIndex + 2]) << 8 | Int(datagram[datagram.startIndex + 3])
        guard (try? packet.encoded()) == Array(datagram.prefix(length)) else {
            fatalError("a decoded RADIUS packet does not encode back to its octets")
        }
        if flags & 2 != 0 {
            guard let signed = signed(packet) else { return .malformed }
            packet = signed
        }
        do {
            try packet.verifyAnswer(requestAuthenticator: requestAuthenticator, secret: secret)
        } catch {
            if flags & 2 != 0, packet.code.isAccessAnswer { fatalError("a signed answer does not verify: \(error)") }
            return .notAuthentic
        }
        let received = RADIUSClient.ReceivedAnswer(packet: packet, requestAuthenticator: requestAuthenticator, server: server)
        switch try? EAPRADIUSBackend.answer(received, continuing: flags & 1 != 0) {
        case .challenge: return .challenge
        case .accept(let accept): return .accept(hasMSK: accept.msk != nil)
        case .reject: return .reject
        case nil: return .invalidAnswer
        }
    }

    /// `packet` with one Message-Authenticator and its Response Authenticator, as the
    /// server signs an answer (RFC 2865 §3, RFC 3579 §3.2); `nil` when it gets too long.
    static func signed(_ packet: RADIUSPacket) -> RADIUSPacket? {
        var packet = packet
        packet.authenticator = requestAuthenticator
        packet.attributes.removeAll { $0.type == .messageAuthenticator }
        packet.attributes.append(RADIUSAttribute(.messageAuthenticator, [UInt8](repeating: 0, count: 16)))
        guard let unsigned = try? packet.encoded() else { return nil }
        packet.attributes[packet.attributes.count - 1].value = RADIUSPacket.hmacMD5(unsigned, secret: secret)
        guard let withMessageAuthenticator = try? packet.encoded() else { return nil }
        packet.authenticator = Array(Insecure.MD5.hash(data: withMessageAuthenticator + secret))
        return packet
    }

    /// Seeds: a challenge with State, an EAP packet in three pieces, an accept with
    /// MS-MPPE keys, Framed-IP-Address and Class, a reject, each signed.
    public static func seeds() -> [(name: String, bytes: [UInt8])] {
        let mppe = { (type: UInt8) -> RADIUSAttribute in
            RADIUSAttribute(.vendorSpecific, [0, 0, 1, 0x37, type, 36, 0x80, type] + (0..<32).map { UInt8($0) &* type })
        }
        let packets: [(String, UInt8, RADIUSPacket)] = [
            ("challenge", 0, RADIUSPacket(code: .accessChallenge, identifier: 1, authenticator: requestAuthenticator, attributes: [
                RADIUSAttribute(.eapMessage, [1, 2, 0, 6, 4, 0]), RADIUSAttribute(.state, [1, 2, 3]),
            ])),
            ("challenge-split", 0, RADIUSPacket(
                code: .accessChallenge, identifier: 2, authenticator: requestAuthenticator,
                attributes: RADIUSPacket.eapMessageAttributes([1, 3, 2, 0x58] + [UInt8](repeating: 0x17, count: 596)))),
            ("accept", 1, RADIUSPacket(code: .accessAccept, identifier: 3, authenticator: requestAuthenticator, attributes: [
                RADIUSAttribute(.framedIPAddress, [10, 3, 0, 7]), RADIUSAttribute(.class, [7]), RADIUSAttribute(.sessionTimeout, integer: 60),
                mppe(RADIUSAttribute.msMPPESendKey), mppe(RADIUSAttribute.msMPPERecvKey), RADIUSAttribute(.eapMessage, [3, 2, 0, 4]),
            ])),
            ("reject", 1, RADIUSPacket(code: .accessReject, identifier: 4, authenticator: requestAuthenticator, attributes: [
                RADIUSAttribute(.eapMessage, [4, 2, 0, 4]),
            ])),
        ]
        return packets.compactMap { name, flags, packet in
            guard let signed = signed(packet), let bytes = try? signed.encoded() else { return nil }
            return (name, [flags] + bytes)
        }
    }
}
