import IKEWire
import NIOCore
import Testing
import IKETestSupport

@Suite("Strict decoding: truncation, lying lengths, reserved fields, critical bit")
struct MalformedTests {
    @Test("Truncation at every byte offset throws, with the header length kept", arguments: SampleMessages.all)
    func truncationKeepingHeaderLength(message: IKEMessage) throws {
        let bytes = try SampleMessages.encode(message)
        for length in 0..<bytes.count {
            #expect(throws: IKEWireError.self, "prefix \(length)") { try IKEMessage(decoding: bytes.prefix(length)) }
        }
    }

    @Test("Truncation at every payload byte throws even when the header length is fixed up",
          arguments: SampleMessages.all)
    func truncationFixingHeaderLength(message: IKEMessage) throws {
        let bytes = try SampleMessages.encode(message)
        for length in IKEHeader.length..<bytes.count {
            let truncated = Mutation.fixLength(Array(bytes.prefix(length)))
            #expect(throws: IKEWireError.self, "prefix \(length)") { try IKEMessage(decoding: truncated) }
        }
    }

    @Test("§3.2 a Payload Length that lies in either direction is an error naming the field")
    func lyingPayloadLength() throws {
        let bytes = try Mutation.single(.nonce(NoncePayload(data: SampleMessages.bytes(32, seed: 1))))
        for lie: UInt16 in [0, 3, 35, 37, 0xFFFF] {
            let error = Mutation.decodeError(Mutation.patch(bytes, at: 30, [UInt8(lie >> 8), UInt8(lie & 0xFF)]))
            #expect(error?.field == "Payload Length" || error?.code == .invalidLength || error?.code == .trailingBytes,
                    "lie \(lie): \(String(describing: error))")
        }
    }

    @Test("Every 16-bit length or count field in a message, when changed, never traps")
    func everyWordChanged() throws {
        for message in SampleMessages.all {
            let bytes = try SampleMessages.encode(message)
            for offset in stride(from: IKEHeader.length, to: bytes.count - 1, by: 1) {
                for delta: Int in [-1, 1, 0x100, -0x100] {
                    let word = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
                    let lie = UInt16(truncatingIfNeeded: word + delta)
                    let mutated = Mutation.patch(bytes, at: offset, [UInt8(lie >> 8), UInt8(lie & 0xFF)])
                    // Must not trap; when it decodes, it must re-encode to a decodable message.
                    if let decoded = try? IKEMessage(decoding: mutated) {
                        #expect(try IKEMessage(decoding: decoded.encoded()) == decoded)
                    }
                }
            }
        }
    }

    @Test("§2.5 an unknown critical payload is an error carrying its type")
    func unknownCritical() throws {
        let bytes = try Mutation.single(.unknown(UnknownPayload(type: 200, isCritical: true, body: [1, 2, 3])))
        let error = Mutation.decodeError(bytes)
        #expect(error?.code == .unsupportedCriticalPayload)
        #expect(error?.payloadType == 200)
        #expect(error?.notifyType == .unsupportedCriticalPayload)
        #expect(error?.offset == 29)
        #expect(error?.field == "Critical")
    }

    @Test("§2.5 an unknown payload without the critical bit is skipped and kept")
    func unknownNonCritical() throws {
        let message = IKEMessage(
            header: IKEHeader(initiatorSPI: 1, exchangeType: .ikeSAInit, flags: .initiator, messageID: 0),
            payloads: SampleMessages.ikeSAInitRequest.payloads + [.unknown(UnknownPayload(type: 222, body: [9, 9]))])
        let decoded = try IKEMessage(decoding: try SampleMessages.encode(message))
        #expect(decoded.payloads.last == .unknown(UnknownPayload(type: 222, body: [9, 9])))
        try IKEMessageRules.rules(for: .ikeSAInit, isResponse: false)?.check(decoded)
    }

    @Test("§3.2 the critical bit of a known payload is ignored, and reserved bits too")
    func criticalOnKnown() throws {
        let bytes = try Mutation.single(.vendorID(VendorIDPayload(data: [1, 2, 3])))
        let decoded = try IKEMessage(decoding: Mutation.patch(bytes, at: 29, [0xFF]))
        #expect(decoded.payloads == [.vendorID(VendorIDPayload(data: [1, 2, 3]))])
    }

    @Test("§3.14 the Encrypted payload must be the last payload")
    func encryptedNotLast() throws {
        let sk = try Mutation.single(.encrypted(EncryptedPayload(firstPayloadType: .notify, data: [1, 2, 3, 4])))
        // Append a Vendor ID payload after SK.
        let error = Mutation.decodeError(Mutation.fixLength(sk + [0, 0, 0, 4]))
        #expect(error?.code == .encryptedPayloadNotLast)
        let encodeError = #expect(throws: IKEWireError.self) {
            try IKEMessage(
                header: IKEHeader(initiatorSPI: 1, exchangeType: .informational, flags: [], messageID: 0),
                payloads: [.encrypted(EncryptedPayload(firstPayloadType: .notify, data: [])), .vendorID(.init(data: []))]
            ).encoded()
        }
        #expect(encodeError?.code == .encryptedPayloadNotLast)
    }

    @Test("§3.2 bytes after the end of the payload chain are an error")
    func trailingAfterChain() throws {
        let bytes = try Mutation.single(.vendorID(VendorIDPayload(data: [1])))
        let error = Mutation.decodeError(Mutation.fixLength(bytes + [0, 0, 0, 4]))
        #expect(error?.code == .trailingBytes)
    }

    @Test("A Next Payload chain that announces a payload but ends is truncated")
    func chainAnnouncesMore() throws {
        let bytes = try Mutation.single(.vendorID(VendorIDPayload(data: [1])))
        let error = Mutation.decodeError(Mutation.patch(bytes, at: 28, [PayloadType.nonce.rawValue]))
        #expect(error?.code == .truncated)
        #expect(error?.field == "Next Payload")
        #expect(error?.offset == 33)
    }

    @Test("Seeded random bytes and random mutations never trap")
    func randomBytes() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        var rng = SeededRandomSource(seed: seed)
        let valid = try SampleMessages.all.map(SampleMessages.encode)
        var decodedCount = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round.isMultiple(of: 4) {
                bytes = (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if bytes.count >= 28 { bytes = Mutation.fixLength(bytes); bytes[17] = 0x20 }
            } else {
                bytes = valid[Int.random(in: 0..<valid.count, using: &rng)]
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    bytes[Int.random(in: IKEHeader.length..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            }
            do {
                let message = try IKEMessage(decoding: bytes)
                decodedCount += 1
                let again = try IKEMessage(decoding: message.encoded())
                #expect(again.payloads == message.payloads, "seed \(seed), round \(round)")
            } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count, "seed \(seed), round \(round): \(error)")
            }
        }
        #expect(decodedCount > 0, "seed \(seed)")
    }
}
