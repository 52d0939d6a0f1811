import IKEWire
import Testing

@Suite("Typed accessors on payload lists (RFC 7296 §3.2)")
struct PayloadListAccessorTests {
    @Test("Each accessor finds its payload in a decrypted IKE_AUTH request")
    func accessors() {
        let payloads = SampleMessages.decryptedAuthPayloads
        #expect(payloads.identificationInitiator == IdentificationPayload(type: .rfc822Address, data: Array("left@lab.test".utf8)))
        #expect(payloads.identificationResponder == IdentificationPayload(type: .ipv4Address, data: [192, 0, 2, 2]))
        #expect(payloads.authentication?.method == .sharedKeyMIC)
        #expect(payloads.securityAssociation?.proposals.first?.spi == [0xc1, 0x2a, 0x55, 0x07])
        #expect(payloads.proposals.count == 1)
        #expect(payloads.trafficSelectorInitiator?.selectors.count == 2)
        #expect(payloads.trafficSelectorResponder?.selectors.first?.startAddress == [203, 0, 113, 1])
        #expect(payloads.certificates.map(\.encoding) == [.x509Signature])
        #expect(payloads.notifications.map(\.type) == [.initialContact])
        #expect(payloads.notification(.initialContact) != nil)
        #expect(payloads.hasNotification(.initialContact))
        #expect(!payloads.hasNotification(.useTransportMode))
        #expect(payloads.errorNotification == nil)
        #expect(payloads.deletes.map(\.protocolID) == [.esp, .ike])
        #expect(payloads.nonce == nil)
        #expect(payloads.keyExchange == nil)
    }

    @Test("The first of several payloads of a kind, and the first error notification")
    func firstOfSeveral() {
        let payloads: [IKEPayload] = [
            .nonce(NoncePayload(data: [1])),
            .notify(NotifyPayload(type: .useTransportMode)),
            .notify(NotifyPayload(type: .tsUnacceptable)),
            .keyExchange(KeyExchangePayload(method: .curve25519, data: [2])),
            .notify(NotifyPayload(type: .noProposalChosen)),
            .nonce(NoncePayload(data: [3])),
        ]
        #expect(payloads.nonce?.data == [1])
        #expect(payloads.keyExchange?.method == .curve25519)
        #expect(payloads.errorNotification?.type == .tsUnacceptable)
        #expect(payloads.notifications.map(\.type) == [.useTransportMode, .tsUnacceptable, .noProposalChosen])
        #expect([IKEPayload]().securityAssociation == nil)
    }
}
