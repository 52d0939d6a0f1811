import EAPCore
import IKEWire
import Testing

@Suite("EAP packets (RFC 3748 §4)")
struct EAPPacketTests {
    typealias H = EAPTestSupport

    static let identityResponse = H.hex("02 07 0009 01 75736572")  // Response/Identity "user"

    @Test("Request, Response, Success and Failure round-trip; Length is computed")
    func roundTrip() throws {
        let packets: [EAPPacket] = [
            .request(1, .identity),
            .response(7, .identity, Array("user".utf8)),
            .request(2, .mschapv2, [1, 2, 0, 4]),
            .success(3), .failure(4),
            EAPPacket(code: EAPCode(rawValue: 9), identifier: 5, typeData: [1, 2, 3]),
            .response(6, EAPType(rawValue: 200), [0xFF]),
        ]
        for packet in packets {
            let bytes = packet.encoded()
            #expect(Int(bytes[2]) << 8 | Int(bytes[3]) == bytes.count)
            #expect(try EAPPacket(decoding: bytes) == packet)
        }
        #expect(EAPPacket.response(7, .identity, Array("user".utf8)).encoded() == Self.identityResponse)
    }

    @Test("Octets past Length are padding and ignored (RFC 3748 §4.1)")
    func padding() throws {
        #expect(try EAPPacket(decoding: Self.identityResponse + [0, 0, 0]) == .response(7, .identity, Array("user".utf8)))
    }

    @Test("Truncation at every offset throws a typed error")
    func truncation() {
        for packet in [Self.identityResponse, EAPPacket.success(1).encoded(), H.hex("01 02 000d fe 000000 00000001 aa")] {
            for cut in 0..<packet.count {
                #expect(throws: EAPPacketError.self) { try EAPPacket(decoding: packet.prefix(cut)) }
            }
        }
    }

    @Test(
        "Length fields that lie",
        arguments: [
            ("01", EAPPacketError.Code.truncatedHeader),
            ("01 01 0003 01", .lengthBelowHeader),
            ("01 01 0000", .lengthBelowHeader),
            ("01 01 0010 01 00", .lengthBeyondData),
            ("01 01 ffff 01", .lengthBeyondData),
            ("01 01 0004", .missingType),
            ("03 01 0005 00", .unexpectedData),
            ("02 01 0008 fe 000000", .truncatedExpandedType),
        ])
    func lies(hex: String, code: EAPPacketError.Code) {
        #expect(throws: EAPPacketError(code)) { try EAPPacket(decoding: H.hex(hex)) }
    }

    @Test("Every Length value over a packet's bytes decodes or throws, never traps")
    func everyLength() {
        let body = H.hex("01 05 0000 1a 01 05 0014 10") + [UInt8](repeating: 0xAB, count: 20)
        for length in 0...(body.count + 2) {
            var bytes = body
            bytes[2] = UInt8(length >> 8)
            bytes[3] = UInt8(length & 0xFF)
            if let packet = try? EAPPacket(decoding: bytes) {
                #expect(packet.encoded() == Array(bytes.prefix(length)))
            }
        }
    }

    @Test("The IKEv2 EAP payload carries the same packet (RFC 7296 §3.16)")
    func payload() {
        let packet = EAPPacket.response(7, .identity, Array("user".utf8))
        #expect(packet.payload == EAPPayload(code: .response, identifier: 7, type: .identity, data: Array("user".utf8)))
        #expect(EAPPacket(packet.payload) == packet)
        #expect(EAPPacket(EAPPacket.success(3).payload) == .success(3))
    }

    @Test("Unknown codes and types print as their numbers")
    func openRegistries() {
        #expect("\(EAPCode(rawValue: 9))" == "9")
        #expect("\(EAPType(rawValue: 200))" == "200")
        #expect("\(EAPType.mschapv2)" == "EAP-MSCHAP-V2")
    }
}
