import IKEWire
import NIOCore
import Testing

/// The parser attacks that crashed other IKEv2 daemons before any SA was looked up:
/// each crafted datagram must decode to the right value or fail with the right typed
/// error, never trap. The engine's answer to each is tested in `IKECoreTests`
/// (`AttackClassTests`).
@Suite("CVE classes at the decoder: IKEv1 payloads and headers, short datagrams, malformed traffic selectors (RFC 7296 §2.5, §3.1, §3.13)")
struct WireAttackClassTests {
    static let header = IKEHeader(initiatorSPI: 1, responderSPI: 2, exchangeType: .informational, flags: .initiator, messageID: 3)
    static let nonce = IKEPayload.nonce(NoncePayload(data: SampleMessages.bytes(32, seed: 1)))

    @Test(
        "CVE-2015-3991 class: IKEv1 payload types 1–13 inside an IKEv2 message are unknown payloads, kept when not critical, refused naming the type when critical",
        arguments: UInt8(1)...13, [false, true])
    func ikev1PayloadType(type: UInt8, critical: Bool) throws {
        // RFC 7296 §3.2: "Payload type values 1-32 should not be assigned in the future so
        // that there is no overlap with the code assignments for IKEv1."
        let ikev1 = IKEPayload.unknown(UnknownPayload(type: PayloadType(rawValue: type), isCritical: critical, body: [0, 0, 0, 1, 0, 0, 0, 1]))
        let bytes = try SampleMessages.encode(IKEMessage(header: Self.header, payloads: [Self.nonce, ikev1, Self.nonce]))
        guard critical else {
            #expect(try IKEMessage(decoding: bytes).payloads == [Self.nonce, ikev1, Self.nonce])
            return
        }
        let error = Mutation.decodeError(bytes)
        #expect(error?.code == .unsupportedCriticalPayload)
        #expect(error?.payloadType == PayloadType(rawValue: type))
        #expect(error?.notifyType == .unsupportedCriticalPayload)
    }

    @Test("CVE-2015-3991 class, the other way: an IKEv1 (ISAKMP 1.0) Main Mode message is refused at its header")
    func ikev1Header() throws {
        // RFC 2408 §3.1: cookies, Next Payload 1 (SA), version 1.0, exchange 2 (Identity
        // Protection), flags, Message ID 0, Length; then an SA payload (DOI 1, SIT_IDENTITY_ONLY).
        let sa: [UInt8] = [0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 1]
        let isakmp: [UInt8] = [UInt8](repeating: 0x11, count: 8) + [UInt8](repeating: 0, count: 8)
            + [1, 0x10, 2, 0, 0, 0, 0, 0, 0, 0, 0, UInt8(28 + sa.count)] + sa
        let error = Mutation.decodeError(isakmp)
        #expect(error?.code == .invalidMajorVersion)
        #expect(error?.field == "MjVer")
    }

    @Test("CVE-2013-4564 class: every datagram shorter than the IKE header, one without its version octet and one whose Length is below 28 are refused")
    func shortDatagrams() throws {
        let bytes = try SampleMessages.encode(IKEMessage(header: Self.header, payloads: []))
        #expect(bytes.count == IKEHeader.length)
        for length in 0..<IKEHeader.length {
            #expect(Mutation.decodeError(Array(bytes.prefix(length)))?.code == .truncated, "\(length) octets")
            let error = #expect(throws: IKEWireError.self) { try IKEHeader(parsing: ByteBuffer(bytes: bytes.prefix(length))) }
            #expect(error?.code == .truncated)
        }
        #expect(Mutation.decodeError(Mutation.patch(bytes, at: 17, [0x00]))?.code == .invalidMajorVersion)
        for length: UInt8 in [0, 1, 27] {
            #expect(Mutation.decodeError(Mutation.patch(bytes, at: 24, [0, 0, 0, length]))?.code == .invalidLength)
        }
    }

    /// One TSi with one IPv4 selector: Number of TSs at offset 32, the selector at 36
    /// (TS Type, IP Protocol ID, Selector Length at 38–39, ports, addresses).
    static func trafficSelectorMessage() throws -> [UInt8] {
        let selector = TrafficSelector(type: .ipv4AddressRange, startAddress: [198, 51, 100, 0], endAddress: [198, 51, 100, 255])
        return try Mutation.single(.trafficSelectorInitiator(TrafficSelectorPayload(selectors: [selector])))
    }

    static let malformedSelectors: [(String, offset: Int, bytes: [UInt8], code: IKEWireError.Code)] = [
        ("Number of TSs 2, one selector", 32, [2], .invalidCount),
        ("Number of TSs 0, one selector", 32, [0], .invalidCount),
        ("Selector Length 0", 38, [0, 0], .invalidLength),
        ("Selector Length 3", 38, [0, 3], .invalidLength),
        ("Selector Length 40 for an IPv4 range (past the payload)", 38, [0, 40], .truncated),
        ("Selector Length 0xFFFF", 38, [0xFF, 0xFF], .truncated),
        ("Selector Length 12, shorter than an IPv4 range", 38, [0, 12], .invalidLength),
        ("TS Type IPv6 with an IPv4 range's length", 36, [8], .invalidLength),
    ]

    @Test("CVE-2023-23009 class: a Traffic Selector payload whose counts, lengths or type lie is refused", arguments: malformedSelectors.indices)
    func malformedTrafficSelector(index: Int) throws {
        let (name, offset, patch, code) = Self.malformedSelectors[index]
        let bytes = Mutation.patch(try Self.trafficSelectorMessage(), at: offset, patch)
        #expect(Mutation.decodeError(bytes)?.code == code, "\(name)")
    }
}
