import IKEWire
import NIOCore
import Testing

@Suite("Port 4500 framing (RFC 3948 §2.2, §2.3)")
struct UDPEncapsulationTests {
    @Test("§2.2 the non-ESP marker is recognised and stripped, and produced on send")
    func nonESPMarker() throws {
        let message = try SampleMessages.ikeSAInitRequest.encoded()
        let framed = UDPEncapsulatedDatagram.ike(message).framed
        #expect(Array(framed.readableBytesView.prefix(4)) == [0, 0, 0, 0])
        #expect(framed.readableBytes == message.readableBytes + 4)
        guard case .ike(let inner) = try UDPEncapsulatedDatagram(classifying: framed) else {
            Issue.record("not classified as IKE")
            return
        }
        #expect(try IKEMessage(decoding: inner) == IKEMessage(decoding: message))
    }

    @Test("§2.3 a single 0xFF byte is a NAT-keepalive")
    func keepalive() throws {
        #expect(try UDPEncapsulatedDatagram(classifying: ByteBuffer(bytes: [0xFF])) == .natKeepalive)
        #expect(Array(UDPEncapsulatedDatagram.natKeepalive.framed.readableBytesView) == [0xFF])
    }

    @Test("A non-zero first word is ESP, kept whole")
    func esp() throws {
        let packet = ByteBuffer(bytes: [0xc1, 0x2a, 0x55, 0x07, 0, 0, 0, 1, 9, 9])
        #expect(try UDPEncapsulatedDatagram(classifying: packet) == .esp(packet))
        #expect(UDPEncapsulatedDatagram.esp(packet).framed == packet)
    }

    @Test("Datagrams too short to classify are typed errors", arguments: [[], [0], [0xFE], [1, 2, 3], [0xFF, 0xFF]] as [[UInt8]])
    func tooShort(bytes: [UInt8]) {
        let error = #expect(throws: IKEWireError.self) { try UDPEncapsulatedDatagram(classifying: ByteBuffer(bytes: bytes)) }
        #expect(error?.code == .truncated)
    }
}
