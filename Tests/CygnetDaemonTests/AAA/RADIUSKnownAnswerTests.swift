import CygnetDaemon
import Crypto
import IKECrypto
import Testing

/// Known answers computed by `Tests/Fixtures/radius/make-vectors.py` with Python's hashlib
/// and hmac, independently of the Swift code: shared secret "cygnet-radius-secret",
/// Request Authenticator 10 11 … 1f, Identifier 7.
@Suite("RADIUS authenticators and MS-MPPE keys: known answers (RFC 2865 §3, RFC 3579 §3.2, RFC 2548 §2.4.2)")
struct RADIUSKnownAnswerTests {
    static let secret = Array("cygnet-radius-secret".utf8)
    static let requestAuthenticator = (0x10...0x1f).map { UInt8($0) }
    static let request = radiusOctets(
        "01070039101112131415161718191a1b1c1d1e1f0107616c6963654f0c0201000a01616c6963655012ccf213195628787f08e6e6f211838f74")
    static let challenge = radiusOctets(
        "0b070047863623a5970d643fd51d06e9d8bee2c74f180102001604101112131415161718191a1b1c1d1e1f20180973746174652d315012d9752fa86cf7346adb22acbc64ff9df0")
    static let accept = radiusOctets(
        """
        020700b532b966ece7c47a117d292e134142e51c08060a0300071909636c6173732d611b0600000e101a3a000001371034800127411f0772f766427d2bfb6c2798f8d3f1368ee88d662fd39f6971d49567ed475563a2546d2bbcf81894097c639920601a3a0000013711348002f6eca8676861e3324f38c4f3976dae600f941b5710fec497ce499aec244226e639bfff69fc54599cf5977fabf90f497d4f0603020004501260bb3645485d3229c75e3dd32ef3702a
        """)
    static let msk = (0x40..<0x60).map { UInt8($0) } + (0xa0..<0xc0).map { UInt8($0) }

    @Test("RFC 3579 §3.2: the Message-Authenticator of an Access-Request")
    func requestMessageAuthenticator() throws {
        let signed = try RADIUSPacket.signedAccessRequest(
            identifier: 7, requestAuthenticator: Self.requestAuthenticator,
            attributes: [RADIUSAttribute(.userName, text: "alice"), RADIUSAttribute(.eapMessage, radiusOctets("0201000a01616c696365"))],
            secret: Self.secret)
        #expect(signed == Self.request)
    }

    @Test("RFC 2865 §3, RFC 3579 §3.2: an Access-Challenge verifies; its EAP-Message and State come out")
    func challengeVerifies() throws {
        let packet = try RADIUSPacket(decoding: Self.challenge)
        try packet.verifyAnswer(requestAuthenticator: Self.requestAuthenticator, secret: Self.secret)
        #expect(packet.eapMessage == radiusOctets("0102001604101112131415161718191a1b1c1d1e1f20"))
        #expect(packet.firstValue(of: .state) == Array("state-1".utf8))
    }

    @Test("RFC 2548 §2.4.2, §2.4.3: the MSK is MS-MPPE-Recv-Key then MS-MPPE-Send-Key, as strongSwan builds it")
    func acceptMSK() throws {
        let packet = try RADIUSPacket(decoding: Self.accept)
        try packet.verifyAnswer(requestAuthenticator: Self.requestAuthenticator, secret: Self.secret)
        let msk = try #require(MPPEKeys.msk(of: packet, requestAuthenticator: Self.requestAuthenticator, secret: Self.secret))
        #expect(msk.unprotectedBytes == Self.msk)
        #expect(MPPEKeys.msk(of: packet, requestAuthenticator: Self.requestAuthenticator, secret: [1]) != msk)
    }

    @Test("RFC 2548 §2.4.2: a key length octet that claims more than the String holds gives no key")
    func mppeKeyLengthLie() throws {
        // Salt, then one block: the length octet decrypts to 16 (the block holds 15 after it).
        let salt: [UInt8] = [0x80, 0x01]
        var block = [UInt8](repeating: 0, count: 16)
        block[0] = 16
        let pad = Self.md5(Self.secret + Self.requestAuthenticator + salt)
        let string = zip(block, pad).map { $0 ^ $1 }
        #expect(MPPEKeys.decrypt(ArraySlice(salt + string), requestAuthenticator: Self.requestAuthenticator, secret: Self.secret) == nil)
        block[0] = 15
        let valid = zip(block, pad).map { $0 ^ $1 }
        #expect(MPPEKeys.decrypt(ArraySlice(salt + valid), requestAuthenticator: Self.requestAuthenticator, secret: Self.secret)?.count == 15)
        block[0] = 0
        let empty = zip(block, pad).map { $0 ^ $1 }
        #expect(MPPEKeys.decrypt(ArraySlice(salt + empty), requestAuthenticator: Self.requestAuthenticator, secret: Self.secret) == nil)
        #expect(MPPEKeys.decrypt(ArraySlice(salt + valid.prefix(15)), requestAuthenticator: Self.requestAuthenticator, secret: Self.secret) == nil)
        #expect(MPPEKeys.decrypt(ArraySlice(salt), requestAuthenticator: Self.requestAuthenticator, secret: Self.secret) == nil)
        #expect(MPPEKeys.decrypt([1], requestAuthenticator: Self.requestAuthenticator, secret: Self.secret) == nil)
    }

    @Test("RFC 3579 §3.2: a changed octet anywhere, or a missing Message-Authenticator beside EAP-Message, is refused")
    func tamperedAnswers() throws {
        for offset in 0..<Self.challenge.count {
            var bytes = Self.challenge
            bytes[offset] ^= 0x01
            guard let packet = try? RADIUSPacket(decoding: bytes) else { continue }
            #expect(throws: RADIUSPacketError.self, "\(offset)") {
                try packet.verifyAnswer(requestAuthenticator: Self.requestAuthenticator, secret: Self.secret)
            }
        }
        var withoutMessageAuthenticator = try RADIUSPacket(decoding: Self.challenge)
        withoutMessageAuthenticator.attributes.removeAll { $0.type == .messageAuthenticator }
        withoutMessageAuthenticator.authenticator = Self.requestAuthenticator
        withoutMessageAuthenticator.authenticator = Self.md5(try withoutMessageAuthenticator.encoded() + Self.secret)
        #expect(throws: RADIUSPacketError(.missingMessageAuthenticator, "")) {
            try withoutMessageAuthenticator.verifyAnswer(requestAuthenticator: Self.requestAuthenticator, secret: Self.secret)
        }
        var twice = try RADIUSPacket(decoding: Self.challenge)
        twice.attributes.append(twice.attributes[twice.attributes.count - 1])
        twice.authenticator = Self.requestAuthenticator
        twice.authenticator = Self.md5(try twice.encoded() + Self.secret)
        #expect(throws: RADIUSPacketError(.badMessageAuthenticator, "")) {
            try twice.verifyAnswer(requestAuthenticator: Self.requestAuthenticator, secret: Self.secret)
        }
    }

    static func md5(_ bytes: [UInt8]) -> [UInt8] { Array(Insecure.MD5.hash(data: bytes)) }
}
