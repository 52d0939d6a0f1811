import IKEWire
import NIOCore
import Testing

@Suite("Message rules per exchange (RFC 7296 §1.2–§1.5)")
struct MessageRulesTests {
    func rules(_ exchange: ExchangeType, response: Bool) throws -> IKEMessageRules {
        try #require(IKEMessageRules.rules(for: exchange, isResponse: response))
    }

    func message(_ exchange: ExchangeType, response: Bool, _ payloads: [IKEPayload]) -> IKEMessage {
        IKEMessage(
            header: IKEHeader(initiatorSPI: 1, responderSPI: 2, exchangeType: exchange, flags: response ? .response : .initiator, messageID: 0),
            payloads: payloads)
    }

    static let nonce = IKEPayload.nonce(NoncePayload(data: SampleMessages.bytes(16, seed: 0)))
    static let ke = IKEPayload.keyExchange(KeyExchangePayload(method: .curve25519, data: SampleMessages.bytes(32, seed: 0)))
    static let sa = SampleMessages.ikeSAInitRequest.payloads[0]
    static let sk = IKEPayload.encrypted(EncryptedPayload(firstPayloadType: .notify, data: [1, 2, 3]))

    @Test("IKE_SA_INIT request and response as sent by the samples pass")
    func saInitPasses() throws {
        try rules(.ikeSAInit, response: false).check(SampleMessages.ikeSAInitRequest)
        try rules(.ikeSAInit, response: true).check(SampleMessages.ikeSAInitResponse)
    }

    @Test("§1.2 IKE_SA_INIT request requires SA, KE and Ni", arguments: [PayloadType.securityAssociation, .keyExchange, .nonce])
    func saInitMissing(type: PayloadType) throws {
        let payloads = SampleMessages.ikeSAInitRequest.payloads.filter { $0.type != type }
        let error = #expect(throws: IKEWireError.self) {
            try rules(.ikeSAInit, response: false).check(message(.ikeSAInit, response: false, payloads))
        }
        #expect(error?.code == .missingPayload)
        #expect(error?.payloadType == type)
    }

    @Test("§1.2 IKE_SA_INIT allows one KE only")
    func saInitTwoKE() throws {
        let payloads = SampleMessages.ikeSAInitRequest.payloads + [Self.ke]
        let error = #expect(throws: IKEWireError.self) {
            try rules(.ikeSAInit, response: false).check(message(.ikeSAInit, response: false, payloads))
        }
        #expect(error?.code == .tooManyPayloads)
        #expect(error?.payloadType == .keyExchange)
    }

    @Test("§2.6/§2.21 an IKE_SA_INIT response of COOKIE or an error notify alone passes")
    func saInitErrorResponse() throws {
        let rules = try rules(.ikeSAInit, response: true)
        try rules.check(message(.ikeSAInit, response: true, [.notify(NotifyPayload(type: .cookie, data: [1, 2, 3]))]))
        try rules.check(message(.ikeSAInit, response: true, [.notify(NotifyPayload(type: .invalidKEPayload, data: [0, 14]))]))
        try rules.check(message(.ikeSAInit, response: true, [.notify(NotifyPayload(type: .noProposalChosen))]))
        #expect(throws: IKEWireError.self) {
            try rules.check(message(.ikeSAInit, response: true, [.notify(NotifyPayload(type: .natDetectionSourceIP))]))
        }
        // A COOKIE does not waive anything in the request: the retry must carry SA, KE, Ni.
        #expect(throws: IKEWireError.self) {
            try self.rules(.ikeSAInit, response: false).check(
                message(.ikeSAInit, response: false, [.notify(NotifyPayload(type: .cookie, data: [1]))]))
        }
    }

    @Test("IKE_SA_INIT may not carry SK, SKF, or payloads that belong in IKE_AUTH")
    func saInitForbidden() throws {
        for extra in [Self.sk, .identificationInitiator(IdentificationPayload(type: .fqdn, data: [0x61])),
                      .authentication(AuthenticationPayload(method: .sharedKeyMIC, data: [1]))] {
            let error = #expect(throws: IKEWireError.self) {
                try rules(.ikeSAInit, response: false).check(
                    message(.ikeSAInit, response: false, SampleMessages.ikeSAInitRequest.payloads + [extra]))
            }
            #expect(error?.code == .payloadNotAllowed || error?.code == .payloadNotEncrypted)
            #expect(error?.payloadType == extra.type)
        }
    }

    @Test("§3.14 encrypted exchanges carry exactly one SK or SKF payload",
          arguments: [ExchangeType.ikeAuth, .createChildSA, .informational, .ikeIntermediate])
    func encryptedExchanges(exchange: ExchangeType) throws {
        for response in [false, true] {
            let rules = try rules(exchange, response: response)
            #expect(rules.isEncrypted)
            try rules.check(message(exchange, response: response, [Self.sk]))
            try rules.check(SampleMessages.fragment)
            let plain = #expect(throws: IKEWireError.self) {
                try rules.check(message(exchange, response: response, [.notify(NotifyPayload(type: .initialContact))]))
            }
            #expect(plain?.code == .payloadNotEncrypted)
            let empty = #expect(throws: IKEWireError.self) { try rules.check(message(exchange, response: response, [])) }
            #expect(empty?.code == .missingPayload)
        }
    }

    @Test("§1.2 IKE_AUTH request: the full set of decrypted payloads passes; a second IDi or a D payload does not")
    func ikeAuthRequest() throws {
        let rules = try rules(.ikeAuth, response: false)
        try rules.check(decryptedPayloads: SampleMessages.decryptedAuthPayloads.filter { $0.type != .delete })
        let twoIDi = #expect(throws: IKEWireError.self) {
            try rules.check(decryptedPayloads: [SampleMessages.decryptedAuthPayloads[0], SampleMessages.decryptedAuthPayloads[0]])
        }
        #expect(twoIDi?.code == .tooManyPayloads)
        let delete = #expect(throws: IKEWireError.self) {
            try rules.check(decryptedPayloads: [.delete(DeletePayload(protocolID: .ike))])
        }
        #expect(delete?.code == .payloadNotAllowed)
        #expect(delete?.payloadType == .delete)
    }

    @Test("§1.2 IKE_AUTH response may not carry IDi or CERTREQ")
    func ikeAuthResponse() throws {
        let rules = try rules(.ikeAuth, response: true)
        for payload in [SampleMessages.decryptedAuthPayloads[0], SampleMessages.decryptedAuthPayloads[2]] {
            #expect(throws: IKEWireError.self) { try rules.check(decryptedPayloads: [payload]) }
        }
    }

    @Test("§1.3 CREATE_CHILD_SA requires SA and Nonce unless the response reports an error")
    func createChildSA() throws {
        let request = try rules(.createChildSA, response: false)
        try request.check(decryptedPayloads: [Self.sa, Self.nonce, Self.ke])
        let missing = #expect(throws: IKEWireError.self) { try request.check(decryptedPayloads: [Self.sa]) }
        #expect(missing?.payloadType == .nonce)
        let response = try rules(.createChildSA, response: true)
        try response.check(decryptedPayloads: [.notify(NotifyPayload(type: .noAdditionalSAs))])
        #expect(throws: IKEWireError.self) {
            try request.check(decryptedPayloads: [Self.sa, Self.nonce, .identificationInitiator(IdentificationPayload(type: .fqdn, data: [1]))])
        }
    }

    @Test("§1.4 INFORMATIONAL carries N, D, CP and V; an empty one (liveness check) passes")
    func informational() throws {
        let rules = try rules(.informational, response: false)
        try rules.check(decryptedPayloads: [])
        try rules.check(decryptedPayloads: [.delete(DeletePayload(protocolID: .ike)), .notify(NotifyPayload(type: .updateSAAddresses))])
        let error = #expect(throws: IKEWireError.self) { try rules.check(decryptedPayloads: [Self.nonce]) }
        #expect(error?.code == .payloadNotAllowed)
    }

    @Test("Every rule entry is consistent: minimum ≤ maximum, one location per exchange")
    func tableConsistency() throws {
        for exchange in [ExchangeType.ikeSAInit, .ikeAuth, .createChildSA, .informational, .ikeIntermediate, .ikeFollowupKE] {
            for response in [false, true] {
                let rules = try rules(exchange, response: response)
                #expect(rules.rules.allSatisfy { $0.minimum <= $0.maximum })
                #expect(Set(rules.rules.map(\.location)).count == 1)
                #expect(Set(rules.rules.map(\.type)).count == rules.rules.count)
                #expect(rules.isEncrypted == (exchange != .ikeSAInit))
            }
        }
        #expect(IKEMessageRules.rules(for: 99, isResponse: false) == nil)
    }
}
