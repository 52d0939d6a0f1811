import IKEWire
import Testing

@testable import CygnetTools

/// `cygnet decode` names the MOBIKE notifications (RFC 4555 §4) and reads their data.
@Suite("Decode: MOBIKE notifications (RFC 4555 §4)")
struct MOBIKENotifyDescriptionTests {
    @Test("RFC 4555 §4.2: the status types are named", arguments: [
        (NotifyMessageType.mobikeSupported, "MOBIKE_SUPPORTED"), (.updateSAAddresses, "UPDATE_SA_ADDRESSES"),
        (.cookie2, "COOKIE2"), (.additionalIP4Address, "ADDITIONAL_IP4_ADDRESS"),
        (.additionalIP6Address, "ADDITIONAL_IP6_ADDRESS"), (.noAdditionalAddresses, "NO_ADDITIONAL_ADDRESSES"),
        (.noNATsAllowed, "NO_NATS_ALLOWED"), (.unexpectedNATDetected, "UNEXPECTED_NAT_DETECTED"),
        (.unacceptableAddresses, "UNACCEPTABLE_ADDRESSES"),
    ])
    func named(type: NotifyMessageType, name: String) {
        #expect(NotifyDescriber.describe(NotifyPayload(type: type)).text == "N \(name)")
    }

    @Test("RFC 4555 §4.2.6: NO_NATS_ALLOWED shows the addresses and ports the message was sent between")
    func noNATsAllowed() {
        let data = NoNATsAllowedData(
            sourceAddress: [192, 0, 2, 1], destinationAddress: [192, 0, 2, 2], sourcePort: 4500, destinationPort: 4500)
        let (summary, fields) = NotifyDescriber.data(.noNATsAllowed, data.encoded)
        #expect(summary == "sent from 192.0.2.1 port 4500 to 192.0.2.2 port 4500")
        #expect(fields["sourceAddress"] == .string("192.0.2.1"))
        #expect(fields["destinationPort"] == .integer(4500))
        #expect(NotifyDescriber.data(.additionalIP6Address, [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 12)).0
            == "2001:db8::")
    }
}
