import CygnetDaemon
import Testing

@Suite("RADIUS packets (RFC 2865 §3, §5; RFC 3579 §3.1)")
struct RADIUSPacketTests {
    /// RFC 2865 §7.1: the Access-Request for user "nemo" and its Access-Accept, shared
    /// secret "xyzzy5461".
    static let rfcRequest = radiusOctets(
        "01000038 0f403f9473978057bd83d5cb98f4227a 01066e656d6f 02120dbe708d93d413ce3196e43f782a0aee 0406c0a80110 050600000003")
    static let rfcAccept = radiusOctets("02000026 86fe220e7624ba2a1005f6bf9b55e0b2 060600000001 0f0600000000 0e06c0a80103")

    @Test("RFC 2865 §7.1: the example Access-Request and Access-Accept decode and encode back")
    func rfcExample() throws {
        let request = try RADIUSPacket(decoding: Self.rfcRequest)
        #expect(request.code == .accessRequest && request.identifier == 0)
        #expect(request.attributes.map(\.type) == [.userName, RADIUSAttributeType(rawValue: 2), .nasIPAddress, .nasPort])
        #expect(request.firstValue(of: .userName) == Array("nemo".utf8))
        #expect(request.attributes.last?.integer == 3)
        #expect(try request.encoded() == Self.rfcRequest)
        let accept = try RADIUSPacket(decoding: Self.rfcAccept)
        #expect(accept.code == .accessAccept)
        #expect(accept.attributes.first { $0.type == .serviceType }?.integer == 1)
        #expect(try accept.encoded() == Self.rfcAccept)
    }

    @Test("RFC 2865 §7.1: the Access-Accept's Response Authenticator verifies with the request's, and nothing else does")
    func rfcResponseAuthenticator() throws {
        let accept = try RADIUSPacket(decoding: Self.rfcAccept)
        let requestAuthenticator = Array(Self.rfcRequest[4..<20])
        try accept.verifyAnswer(requestAuthenticator: requestAuthenticator, secret: Array("xyzzy5461".utf8))
        #expect(throws: RADIUSPacketError(.badResponseAuthenticator, "")) {
            try accept.verifyAnswer(requestAuthenticator: requestAuthenticator, secret: Array("xyzzy5462".utf8))
        }
        var tampered = accept
        tampered.attributes[0].value[3] = 2
        #expect(throws: RADIUSPacketError(.badResponseAuthenticator, "")) {
            try tampered.verifyAnswer(requestAuthenticator: requestAuthenticator, secret: Array("xyzzy5461".utf8))
        }
        #expect(throws: RADIUSPacketError(.unexpectedCode, "")) {
            try RADIUSPacket(decoding: Self.rfcRequest).verifyAnswer(requestAuthenticator: requestAuthenticator, secret: [1])
        }
    }

    @Test("RFC 2865 §3: octets past Length are padding and ignored")
    func padding() throws {
        #expect(try RADIUSPacket(decoding: Self.rfcAccept + [0, 0, 0xff]) == RADIUSPacket(decoding: Self.rfcAccept))
    }

    @Test("RFC 2865 §3: every truncation of a packet throws a typed error")
    func truncation() {
        for count in 0..<Self.rfcRequest.count {
            let code: RADIUSPacketError.Code = count < 20 ? .truncatedHeader : .lengthBeyondDatagram
            #expect(throws: RADIUSPacketError(code, "")) { try RADIUSPacket(decoding: Self.rfcRequest.prefix(count)) }
        }
    }

    @Test("RFC 2865 §3, §5: every value of Length and of each attribute's Length decodes or throws, never traps")
    func lyingLengths() throws {
        // The packet's Length.
        for length in 0...0xffff {
            var bytes = Self.rfcRequest
            bytes[2] = UInt8(length >> 8)
            bytes[3] = UInt8(length & 0xff)
            do {
                let packet = try RADIUSPacket(decoding: bytes)
                #expect(try packet.encoded().count == length)
            } catch {
                #expect([.lengthOutOfRange, .lengthBeyondDatagram, .attributeTruncated, .attributeBeyondPacket].contains(error.code), "\(length)")
            }
        }
        // Each attribute's Length octet (offsets 21, 27, 45, 51 of the request).
        for offset in [21, 27, 45, 51] {
            for length in 0...255 {
                var bytes = Self.rfcRequest
                bytes[offset] = UInt8(length)
                do {
                    _ = try RADIUSPacket(decoding: bytes)
                } catch {
                    #expect([.attributeTruncated, .attributeLengthTooShort, .attributeBeyondPacket].contains(error.code), "\(offset) \(length)")
                }
            }
        }
        #expect(throws: RADIUSPacketError(.attributeLengthTooShort, "")) { try RADIUSPacket(decoding: Self.replacing(Self.rfcRequest, at: 21, with: 1)) }
        #expect(throws: RADIUSPacketError(.attributeBeyondPacket, "")) { try RADIUSPacket(decoding: Self.replacing(Self.rfcRequest, at: 51, with: 7)) }
        #expect(throws: RADIUSPacketError(.attributeTruncated, "")) {
            try RADIUSPacket(decoding: Self.replacing(Self.rfcRequest, at: 3, with: 0x39) + [5])
        }
        #expect(throws: RADIUSPacketError(.lengthOutOfRange, "")) { try RADIUSPacket(decoding: Self.replacing(Self.rfcRequest, at: 3, with: 19)) }
    }

    @Test("RFC 3579 §3.1: an EAP packet is cut into consecutive 253-octet EAP-Messages and put together again")
    func eapMessageSplitting() throws {
        let eap = (0..<600).map { UInt8(truncatingIfNeeded: $0) }
        let pieces = RADIUSPacket.eapMessageAttributes(eap)
        #expect(pieces.map(\.value.count) == [253, 253, 94])
        let packet = RADIUSPacket(
            code: .accessChallenge, identifier: 9, authenticator: [UInt8](repeating: 0, count: 16),
            attributes: [RADIUSAttribute(.userName, text: "a")] + pieces + [RADIUSAttribute(.state, [1])])
        let decoded = try RADIUSPacket(decoding: packet.encoded())
        #expect(decoded.eapMessage == eap)
        #expect(RADIUSPacket.eapMessageAttributes([]) == [RADIUSAttribute(.eapMessage, [])])
        #expect(RADIUSPacket.eapMessageAttributes(Array(eap.prefix(253))).count == 1)
        #expect(decoded.firstValue(of: .state) == [1])
        #expect(RADIUSPacket(code: .accessRequest, identifier: 0, authenticator: [], attributes: []).eapMessage == nil)
    }

    @Test("Encoding refuses an attribute past 253 octets and a packet past 4096 (RFC 2865 §3, §5)")
    func encodingLimits() {
        let zero = [UInt8](repeating: 0, count: 16)
        #expect(throws: RADIUSPacketError(.tooLong, "")) {
            try RADIUSPacket(code: .accessRequest, identifier: 0, authenticator: zero, attributes: [RADIUSAttribute(.userName, [UInt8](repeating: 1, count: 254))]).encoded()
        }
        #expect(throws: RADIUSPacketError(.tooLong, "")) {
            try RADIUSPacket(
                code: .accessRequest, identifier: 0, authenticator: zero,
                attributes: RADIUSPacket.eapMessageAttributes([UInt8](repeating: 1, count: 4045))
            ).encoded()
        }
        #expect(
            (try? RADIUSPacket(
                code: .accessRequest, identifier: 0, authenticator: zero,
                attributes: RADIUSPacket.eapMessageAttributes([UInt8](repeating: 1, count: 4044))
            ).encoded().count) == 4096)
    }

    @Test("RFC 2865 §5.26: Vendor-Specific sub-attributes of one vendor; a lying Vendor-Length stops the walk")
    func vendorSpecific() {
        let attribute = RADIUSAttribute(.vendorSpecific, [0, 0, 1, 0x37, 16, 4, 0xaa, 0xbb, 17, 3, 0xcc])
        let found = attribute.vendorSubAttributes(vendorID: 311)
        #expect(found.map(\.type) == [16, 17] && found.map { Array($0.value) } == [[0xaa, 0xbb], [0xcc]])
        #expect(attribute.vendorSubAttributes(vendorID: 9).isEmpty)
        #expect(RADIUSAttribute(.vendorSpecific, [0, 0, 1, 0x37, 16, 9, 0xaa]).vendorSubAttributes(vendorID: 311).isEmpty)
        #expect(RADIUSAttribute(.vendorSpecific, [0, 0, 1, 0x37, 16, 1, 0xaa]).vendorSubAttributes(vendorID: 311).isEmpty)
        #expect(RADIUSAttribute(.vendorSpecific, [0, 0, 1]).vendorSubAttributes(vendorID: 311).isEmpty)
    }

    static func replacing(_ bytes: [UInt8], at offset: Int, with value: UInt8) -> [UInt8] {
        var bytes = bytes
        bytes[offset] = value
        return bytes
    }
}

/// Octets from hex digits, spaces ignored.
func radiusOctets(_ text: String) -> [UInt8] {
    let digits = Array(text.filter { !$0.isWhitespace })
    return stride(from: 0, to: digits.count - 1, by: 2).compactMap { UInt8(String(digits[$0...$0 + 1]), radix: 16) }
}
