import IKEWire
import NIOCore
import Testing

@Suite("Round trip of every payload (RFC 7296 §3)")
struct RoundTripTests {
    @Test("decode(encode(m)) == m for messages using every payload type", arguments: SampleMessages.all)
    func roundTrip(message: IKEMessage) throws {
        let bytes = try SampleMessages.encode(message)
        let decoded = try IKEMessage(decoding: bytes)
        #expect(decoded.payloads == message.payloads)
        #expect(decoded.header.exchangeType == message.header.exchangeType)
        #expect(decoded.header.messageID == message.header.messageID)
        #expect(decoded.header.flags == message.header.flags)
        #expect(decoded.header.initiatorSPI == message.header.initiatorSPI)
        #expect(decoded.header.responderSPI == message.header.responderSPI)
        #expect(Int(decoded.header.length) == bytes.count)
        #expect(try SampleMessages.encode(decoded) == bytes)
    }

    @Test("Every payload type of RFC 7296 §3 and SKF of RFC 7383 is exercised")
    func coverage() {
        let types = Set(SampleMessages.all.flatMap { $0.payloads.map(\.type) })
        let expected: Set<PayloadType> = [
            .securityAssociation, .keyExchange, .identificationInitiator, .identificationResponder, .certificate,
            .certificateRequest, .authentication, .nonce, .notify, .delete, .vendorID, .trafficSelectorInitiator,
            .trafficSelectorResponder, .encrypted, .encryptedFragment, .configuration, .extensibleAuthentication,
        ]
        #expect(expected.isSubset(of: types))
    }

    @Test("§3.1 header layout: golden bytes")
    func headerGolden() throws {
        let message = IKEMessage(
            header: IKEHeader(
                initiatorSPI: 0x0102_0304_0506_0708, responderSPI: 0x1112_1314_1516_1718, exchangeType: .informational,
                flags: [.response, .initiator], messageID: 0x2122_2324),
            payloads: [])
        let bytes = try SampleMessages.encode(message)
        #expect(
            bytes == [
                1, 2, 3, 4, 5, 6, 7, 8, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
                0, 0x20, 37, 0x28, 0x21, 0x22, 0x23, 0x24, 0, 0, 0, 28,
            ])
    }

    @Test("§3.3 SA payload: golden bytes of one proposal with a TV attribute")
    func securityAssociationGolden() throws {
        let message = IKEMessage(
            header: IKEHeader(initiatorSPI: 1, exchangeType: .ikeSAInit, flags: .initiator, messageID: 0),
            payloads: [
                .securityAssociation(SecurityAssociationPayload(proposals: [
                    Proposal(number: 1, protocolID: .ike, transforms: [
                        Transform(.aesCBC, keyLength: 128), Transform(.curve25519),
                    ])
                ]))
            ])
        let bytes = try SampleMessages.encode(message)
        let payload = Array(bytes[28...])
        #expect(
            payload == [
                0, 0, 0, 32,  // generic header: no next payload, length 32
                0, 0, 0, 28, 1, 1, 0, 2,  // last proposal, length 28, #1, IKE, SPI size 0, 2 transforms
                3, 0, 0, 12, 1, 0, 0, 12, 0x80, 14, 0, 128,  // more, len 12, ENCR AES_CBC, Key Length TV 128
                0, 0, 0, 8, 4, 0, 0, 31,  // last, len 8, KE 31
            ])
        #expect(bytes[16] == PayloadType.securityAssociation.rawValue)
    }

    @Test("§3.10 Notify and §3.11 Delete: golden bytes")
    func notifyDeleteGolden() throws {
        var buffer = ByteBuffer()
        let first = try IKEPayload.encodeChain(
            [
                .notify(NotifyPayload(protocolID: .esp, spi: [0xaa, 0xbb, 0xcc, 0xdd], type: .rekeySA)),
                .delete(DeletePayload(espSPIs: [0x0102_0304])),
            ], to: &buffer)
        #expect(first == .notify)
        #expect(
            Array(buffer.readableBytesView) == [
                42, 0, 0, 12, 3, 4, 0x40, 0x09, 0xaa, 0xbb, 0xcc, 0xdd,
                0, 0, 0, 12, 3, 4, 0, 1, 1, 2, 3, 4,
            ])
    }

    @Test("Unknown registry values survive a round trip and print as their number")
    func unknownRegistryValues() throws {
        let message = IKEMessage(
            header: IKEHeader(initiatorSPI: 7, exchangeType: 200, flags: [], messageID: 9),
            payloads: [
                .notify(NotifyPayload(type: 40000, data: [1])),
                .identificationInitiator(IdentificationPayload(type: 77, data: [1, 2])),
                .authentication(AuthenticationPayload(method: 201, data: [])),
            ])
        let decoded = try IKEMessage(decoding: try SampleMessages.encode(message))
        #expect(decoded.header.exchangeType.rawValue == 200)
        #expect(decoded.header.exchangeType.description == "200")
        #expect(decoded.payloads == message.payloads)
        #expect(NotifyMessageType(rawValue: 40000).description == "40000")
        #expect(NotifyMessageType.invalidKEPayload.description == "INVALID_KE_PAYLOAD")
        #expect(ExchangeType.ikeAuth.description == "IKE_AUTH")
        #expect(TransformType.encryptionAlgorithm.transformName(20) == "ENCR_AES_GCM_16")
        #expect(TransformType.keyExchangeMethod.transformName(31) == "Curve25519")
        #expect(TransformType(rawValue: 6).transformName(36) == "ML-KEM-768")
    }
}
