import IKEWire
import NIOCore
import Testing

@Suite("IKE header (RFC 7296 §3.1)")
struct HeaderTests {
    func encoded(_ message: IKEMessage = SampleMessages.ikeSAInitRequest) throws -> [UInt8] {
        try SampleMessages.encode(message)
    }

    @Test("§3.1 a major version other than 2 is INVALID_MAJOR_VERSION", arguments: [0x10, 0x30, 0xF0] as [UInt8])
    func majorVersion(version: UInt8) throws {
        var bytes = try encoded()
        bytes[17] = version
        let error = #expect(throws: IKEWireError.self) { try IKEMessage(decoding: bytes) }
        #expect(error?.code == .invalidMajorVersion)
        #expect(error?.offset == 17)
        #expect(error?.notifyType == .invalidMajorVersion)
    }

    @Test("§3.1 the minor version is ignored on receipt and sent as zero")
    func minorVersion() throws {
        var bytes = try encoded()
        bytes[17] = 0x27
        let message = try IKEMessage(decoding: bytes)
        #expect(message.header.minorVersion == 7)
        #expect(try SampleMessages.encode(message)[17] == 0x20)
    }

    @Test("§3.1 flag bits other than R, V and I are ignored on receipt")
    func reservedFlags() throws {
        var bytes = try encoded()
        bytes[19] = 0xFF
        let message = try IKEMessage(decoding: bytes)
        #expect(message.header.flags == [.response, .version, .initiator])
        #expect(try SampleMessages.encode(message)[19] == 0x38)
    }

    @Test("§3.1 the Length field must equal the datagram length")
    func lengthMismatch() throws {
        let bytes = try encoded()
        let longer = #expect(throws: IKEWireError.self) { try IKEMessage(decoding: bytes + [0]) }
        #expect(longer?.code == .trailingBytes)
        #expect(longer?.field == "Length")
        var shorterLength = bytes
        shorterLength[27] &-= 1
        #expect(throws: IKEWireError.self) { try IKEMessage(decoding: shorterLength) }
        var tooSmall = bytes
        tooSmall[24...27] = [0, 0, 0, 27]
        let small = #expect(throws: IKEWireError.self) { try IKEMessage(decoding: tooSmall) }
        #expect(small?.code == .invalidLength)
    }

    @Test("The header can be read alone, so the engine can answer a message it cannot decode")
    func headerAlone() throws {
        let bytes = try encoded()
        let header = try IKEHeader(parsing: ByteBuffer(bytes: bytes.prefix(28)))
        #expect(header.exchangeType == .ikeSAInit)
        #expect(header.isInitiator)
        #expect(!header.isResponse)
        #expect(header.nextPayload == .securityAssociation)
    }
}
