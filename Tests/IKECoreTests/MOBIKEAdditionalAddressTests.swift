import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// The peer's additional addresses (RFC 4555 §3.4, §3.6): announced in IKE_AUTH or in an
/// INFORMATIONAL request, each announcement replacing the last, NO_ADDITIONAL_ADDRESSES
/// emptying the set; data of the wrong length is refused.
@Suite("MOBIKE additional addresses (RFC 4555 §3.4, §3.6, §4.2.2)")
struct MOBIKEAdditionalAddressTests {
    typealias Fixtures = MOBIKEFixtures

    static let ipv4: [UInt8] = [198, 51, 100, 20]
    static let ipv6: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1]

    static func announce(_ addresses: [[UInt8]]) -> [IKEPayload] {
        addresses.map {
            .notify(NotifyPayload(type: $0.count == 16 ? .additionalIP6Address : .additionalIP4Address, data: $0))
        }
    }

    @Test("RFC 4555 §3.4: the addresses of the initiator's IKE_AUTH request are stored")
    func inIKEAuth() throws {
        let mobike = try Fixtures(seed: 331, authExtras: Self.announce([Self.ipv4, Self.ipv6]))
        #expect(mobike.status?.peerAdditionalAddresses == [Self.ipv4, Self.ipv6])
    }

    @Test("RFC 4555 §3.6: an announcement replaces the set; NO_ADDITIONAL_ADDRESSES empties it")
    func replacedAndEmptied() throws {
        var mobike = try Fixtures(seed: 332, authExtras: Self.announce([Self.ipv4]))
        _ = mobike.send(try mobike.peer.request(.informational, payloads: Self.announce([Self.ipv6])), from: Fixtures.left4500)
        #expect(mobike.status?.peerAdditionalAddresses == [Self.ipv6])
        let emptied = mobike.send(
            try mobike.peer.request(.informational, payloads: [.notify(NotifyPayload(type: .noAdditionalAddresses))]),
            from: Fixtures.left4500)
        #expect(mobike.status?.peerAdditionalAddresses == [])
        #expect(try mobike.response(emptied).isEmpty)
        // Announcing does not move the SA (§3.5: only UPDATE_SA_ADDRESSES does).
        #expect(mobike.status?.remote == Fixtures.left4500)
    }

    @Test("RFC 4555 §3.6: an older announcement arriving late does not replace a newer one")
    func olderAnnouncementIgnored() throws {
        var mobike = try Fixtures(seed: 333, windowSize: 4)
        _ = mobike.send(
            try mobike.peer.request(.informational, payloads: Self.announce([Self.ipv6]), messageID: 3), from: Fixtures.left4500)
        _ = mobike.send(
            try mobike.peer.request(.informational, payloads: Self.announce([Self.ipv4]), messageID: 2), from: Fixtures.left4500)
        #expect(mobike.status?.peerAdditionalAddresses == [Self.ipv6])
    }

    @Test("RFC 4555 §4.2.2: an address of the wrong length in an INFORMATIONAL request is refused with INVALID_SYNTAX",
          arguments: [(NotifyMessageType.additionalIP4Address, 5), (.additionalIP4Address, 16), (.additionalIP6Address, 4), (.additionalIP6Address, 0)])
    func malformedInInformational(type: NotifyMessageType, length: Int) throws {
        var mobike = try Fixtures(seed: 334, authExtras: Self.announce([Self.ipv4]))
        let outputs = mobike.send(
            try mobike.peer.request(
                .informational, payloads: [.notify(NotifyPayload(type: type, data: Array(repeating: 1, count: length)))]),
            from: Fixtures.left4500)
        #expect(try mobike.response(outputs).notifications.map(\.type) == [.invalidSyntax])
        #expect(ResponderFixtures.refusals(outputs) == [.malformedRequest])
        #expect(mobike.status?.peerAdditionalAddresses == [Self.ipv4])
    }

    @Test("RFC 4555 §4.2.2: an address of the wrong length in IKE_AUTH is dropped; the SA is established without it")
    func malformedInIKEAuth() throws {
        let mobike = try Fixtures(
            seed: 335, authExtras: [.notify(NotifyPayload(type: .additionalIP6Address, data: Self.ipv4))])
        #expect(mobike.status?.phase == .established)
        #expect(mobike.auth.dropCodes == [.malformedNotification])
        #expect(mobike.status?.peerAdditionalAddresses == [])
    }

    @Test("The set is bounded: past 16 addresses the rest of an announcement is ignored")
    func bounded() throws {
        var mobike = try Fixtures(seed: 336)
        let many = (1...40).map { [UInt8(10), 0, 0, UInt8($0)] }
        _ = mobike.send(try mobike.peer.request(.informational, payloads: Self.announce(many)), from: Fixtures.left4500)
        #expect(mobike.status?.peerAdditionalAddresses == Array(many.prefix(16)))
    }

    @Test("RFC 4555 §4.2.2 and §4.2.6: the notification data decode only at their RFC lengths")
    func wireLengths() throws {
        #expect(try NotifyPayload(type: .additionalIP4Address, data: Self.ipv4).additionalAddress() == Self.ipv4)
        #expect(try NotifyPayload(type: .additionalIP6Address, data: Self.ipv6).additionalAddress() == Self.ipv6)
        #expect(throws: IKEWireError.self) { try NotifyPayload(type: .additionalIP4Address, data: Self.ipv6).additionalAddress() }
        #expect(throws: IKEWireError.self) { try NotifyPayload(type: .cookie2, data: Self.ipv4).additionalAddress() }
        let v4 = NoNATsAllowedData(
            sourceAddress: [192, 0, 2, 1], destinationAddress: [192, 0, 2, 2], sourcePort: 4500, destinationPort: 500)
        #expect(v4.encoded.count == 12)
        #expect(try NoNATsAllowedData(decoding: v4.encoded) == v4)
        let v6 = NoNATsAllowedData(sourceAddress: Self.ipv6, destinationAddress: Self.ipv6, sourcePort: 1, destinationPort: 2)
        #expect(v6.encoded.count == 36)
        #expect(try NoNATsAllowedData(decoding: v6.encoded) == v6)
        for length in [0, 11, 13, 24, 35, 37] {
            #expect(throws: IKEWireError.self) { try NoNATsAllowedData(decoding: Array(repeating: 0, count: length)) }
        }
    }
}
