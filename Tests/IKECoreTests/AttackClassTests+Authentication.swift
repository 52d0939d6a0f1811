import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// Attacks on authentication and on the order of exchanges: a peer that skips, withholds
/// or reorders what RFC 7296 §1.2 and §2.15 require, or claims an identity it cannot hold.
extension AttackClassTests {
    // MARK: State confusion

    @Test("CVE-2014-2338 class: an IKE SA rekey before IKE_AUTH completes is NO_ADDITIONAL_SAS; a wrong AUTH still fails afterwards")
    func ikeRekeyBeforeAuth() throws {
        var (peer, engine) = try Self.halfOpen(seed: 121)
        let rekey = Fixtures.send(try Fixtures.ikeRekeyRequest(&peer), from: peer, to: &engine)
        #expect(try Self.answer(rekey, peer) == [.notify(NotifyPayload(type: .noAdditionalSAs))])
        #expect(rekey.effects.isEmpty && !Self.isEstablished(rekey))
        #expect(engine.ikeSACount == 1 && engine.halfOpenSACount == 1 && engine.establishedSPIs.isEmpty)
        // The SA was not moved on: authentication is still required, and still checked.
        let auth = Fixtures.send(
            try Fixtures.authRequest(&peer, authenticationData: [UInt8](repeating: 0, count: 32)), from: peer, to: &engine)
        #expect(try Self.answer(auth, peer) == [.notify(NotifyPayload(type: .authenticationFailed))])
        #expect(Self.closeReasons(auth).map(\.cause) == [.sharedKeyMismatch])
        Self.expectNoState(engine)
    }

    /// A request of the responder `peer` (flags: neither I nor R) carrying `payloads`.
    static func responderRequest(
        _ peer: inout ScriptedResponder, _ exchange: ExchangeType, payloads: [IKEPayload], messageID: UInt32 = 0
    ) throws -> ByteBuffer {
        let outbound = try #require(peer.outbound)
        var inner = ByteBuffer()
        let first = try IKEPayload.encodeChain(payloads, to: &inner)
        let header = IKEHeader(
            initiatorSPI: peer.initiatorSPI, responderSPI: peer.spi, exchangeType: exchange, flags: [], messageID: messageID)
        return try outbound.seal(header: header, innerFirstPayload: first, inner: inner, random: &peer.random)
    }

    @Test("CVE-2014-2338 class: a responder's rekey request while our IKE_AUTH is outstanding is NO_ADDITIONAL_SAS; its wrong AUTH still fails")
    func ikeRekeyBeforeAuthResponse() throws {
        var engine = InitiatorFixtures.engine()
        var peer = InitiatorFixtures.responder()
        let auth = try InitiatorFixtures.startAuth(&engine, &peer)
        var random = SeededRandomSource(seed: 122)
        let share = try CryptoProvider.default.keyExchangeMethod(.curve25519).generate(using: &random)
        let rekey = try Self.responderRequest(&peer, .createChildSA, payloads: [
            .securityAssociation(SecurityAssociationPayload(proposals: [
                EngineFixtures.gcmX25519.proposal(number: 1, protocolID: .ike, spi: random.bytes(8))
            ])),
            .nonce(NoncePayload(data: random.bytes(32))),
            .keyExchange(KeyExchangePayload(method: .curve25519, data: share.publicValue)),
        ])
        let refused = InitiatorFixtures.send(rekey, to: &engine)
        let reply = try peer.open(try #require(refused.transmits.first).datagram)
        #expect(reply.header.isResponse && reply.payloads == [.notify(NotifyPayload(type: .noAdditionalSAs))])
        #expect(refused.effects.isEmpty && !Self.isEstablished(refused))
        #expect(engine.ikeSACount == 1 && engine.establishedSPIs.isEmpty)
        let answer = try peer.authPayloads(identity: EngineFixtures.rightID, psk: Array("not the secret".utf8))
            + InitiatorFixtures.childAnswer(to: auth.payloads)
        let outputs = InitiatorFixtures.send(try peer.response(to: auth.header, payloads: answer), to: &engine)
        #expect(!Self.isEstablished(outputs) && InitiatorFixtures.installations(outputs).isEmpty)
        #expect(Self.closeReasons(outputs).map(\.cause) == [.sharedKeyMismatch])
        Self.expectNoState(engine)
    }

    @Test("CVE-2021-45079 class: an IKE_AUTH response with an early EAP-Success and no AUTH never establishes the IKE SA, whether or not the client uses EAP (EAPRoundTests has the Success beside a valid AUTH)",
          arguments: [false, true], [false, true])
    func earlyEAPSuccess(withIdentity: Bool, usesEAP: Bool) throws {
        var engine = InitiatorFixtures.engine { if usesEAP { $0.peers[0].localAuthentication = .eap(.any) } }
        var peer = InitiatorFixtures.responder()
        let auth = try InitiatorFixtures.startAuth(&engine, &peer)
        let payloads: [IKEPayload] = (withIdentity ? [.identificationResponder(EngineFixtures.rightID.payload)] : [])
            + [.extensibleAuthentication(EAPPayload(code: .success, identifier: 1))]
            + InitiatorFixtures.childAnswer(to: auth.payloads)
        let outputs = InitiatorFixtures.send(try peer.response(to: auth.header, payloads: payloads), to: &engine)
        #expect(!Self.isEstablished(outputs) && InitiatorFixtures.installations(outputs).isEmpty)
        #expect(Self.closeReasons(outputs).map(\.code) == [.protocolError])
        #expect(Self.closeReasons(outputs).map(\.cause) == [.missingPayload])
        Self.expectNoState(engine)
    }

    @Test("CVE-2021-45079 class: an IKE_AUTH request with EAP and no AUTH, to a connection without EAP, is AUTHENTICATION_FAILED, no state (EAPRoundTests: with EAP, eap_out_of_order)")
    func eapInsteadOfAuth() throws {
        var (peer, engine) = try Self.halfOpen(seed: 123)
        var payloads = try peer.authPayloads(identity: EngineFixtures.leftID, psk: Fixtures.psk, child: Fixtures.initiatorChild)
        payloads.removeAll { $0.type == .authentication }
        payloads.insert(.extensibleAuthentication(EAPPayload(code: .response, identifier: 1, type: EAPType(rawValue: 1), data: Array("left".utf8))), at: 1)
        let outputs = Fixtures.send(try peer.request(.ikeAuth, payloads: payloads), from: peer, to: &engine)
        #expect(try Self.answer(outputs, peer) == [.notify(NotifyPayload(type: .authenticationFailed))])
        #expect(Self.closeReasons(outputs).map(\.cause) == [.missingPayload])
        #expect(outputs.effects.isEmpty)
        Self.expectNoState(engine)
    }

    @Test("CVE-2024-2357 class: an initiator whose connection has auth = psk and no secret ends its IKE SA with no_shared_key, sends no IKE_AUTH, keeps nothing")
    func missingSecretInitiator() throws {
        var engine = InitiatorFixtures.engine { $0.preSharedKeys = [] }
        var peer = InitiatorFixtures.responder()
        try engine.handleCommand(.initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right), now: .zero)
        let request = try #require(engine.drain().transmits.first)
        let outputs = InitiatorFixtures.send(try peer.handleSAInitRequest(request.datagram), to: &engine)
        #expect(outputs.transmits.isEmpty && outputs.effects.isEmpty)
        let reason = try #require(Self.closeReasons(outputs).first)
        #expect(reason.code == .authenticationFailed && reason.cause == .noSharedKey)
        Self.expectNoState(engine)
    }

    @Test(
        "CVE-2024-2357 class: a responder without a secret for the peer answers AUTHENTICATION_FAILED and ends the SA with no_shared_key, keeping nothing",
        arguments: [[], [PreSharedKey(identities: [IKEIdentity("mallory@lab.test"), EngineFixtures.rightID], secret: Fixtures.psk)]])
    func missingSecretResponder(secrets: [PreSharedKey]) throws {
        var (peer, engine) = try Self.halfOpen(seed: 125) { $0.preSharedKeys = secrets }
        let outputs = Fixtures.send(try Fixtures.authRequest(&peer), from: peer, to: &engine)
        #expect(try Self.answer(outputs, peer) == [.notify(NotifyPayload(type: .authenticationFailed))])
        let reason = try #require(Self.closeReasons(outputs).first)
        #expect(reason.code == .authenticationFailed && reason.cause == .noSharedKey)
        #expect(outputs.effects.isEmpty)
        Self.expectNoState(engine)
    }

    // MARK: Identities

    /// `CN=left` as DER: SEQUENCE { SET { SEQUENCE { id-at-commonName, UTF8String } } }.
    static let distinguishedName = IKEIdentity(
        type: .derASN1DN,
        data: [0x30, 0x0F, 0x31, 0x0D, 0x30, 0x0B, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0C, 0x04] + Array("left".utf8))

    @Test("CVE-2013-6075 class: a crafted ID_DER_ASN1_DN (truncated, extended, lying lengths, empty) matches no connection: AUTHENTICATION_FAILED, no state")
    func craftedDistinguishedName() throws {
        let dn = Self.distinguishedName
        func configure(_ configuration: inout IKEEngineConfiguration) {
            configuration.peers[0].remoteIdentity = dn
            configuration.preSharedKeys = [PreSharedKey(identities: [dn, EngineFixtures.rightID], secret: Fixtures.psk)]
        }
        var lyingLength = dn.data
        lyingLength[1] = 0x7F
        let crafted: [[UInt8]] = [
            [], [0x30], Array(dn.data.dropLast()), dn.data + [0], dn.data + dn.data, lyingLength,
            [0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF] + dn.data.dropFirst(2), Array(dn.data.prefix(6)),
        ]
        for (index, data) in ([dn.data] + crafted).enumerated() {
            var (peer, engine) = try Self.halfOpen(seed: 124 + UInt64(index), configure: configure)
            let identity = IKEIdentity(type: .derASN1DN, data: data)
            let request = try peer.request(
                .ikeAuth, payloads: try peer.authPayloads(identity: identity, psk: Fixtures.psk, child: Fixtures.initiatorChild))
            let outputs = Fixtures.send(request, from: peer, to: &engine)
            guard index > 0 else {
                #expect(Self.isEstablished(outputs), "the genuine DN")
                continue
            }
            #expect(try Self.answer(outputs, peer) == [.notify(NotifyPayload(type: .authenticationFailed))], "\(data)")
            #expect(Self.closeReasons(outputs).map(\.cause) == [.unexpectedIdentity], "\(data)")
            Self.expectNoState(engine)
        }
    }

    // MARK: Withheld and renumbered payloads

    @Test("CVE-2013-6467 class: IKE_SA_INIT withholding SA, KE or Nonce is dropped unanswered, no state",
          arguments: [PayloadType.securityAssociation, .keyExchange, .nonce])
    func saInitWithheld(type: PayloadType) throws {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 131)
        var message = try IKEMessage(decoding: try peer.saInitRequest())
        message.payloads.removeAll { $0.type == type }
        let outputs = Fixtures.send(try message.encoded(), from: peer, to: &engine)
        #expect(outputs.transmits.isEmpty)
        #expect(outputs.dropCodes == [.payloadRulesBroken])
        Self.expectNoState(engine)
    }

    @Test("CVE-2013-6467 class: IKE_SA_INIT whose header renumbers its first payload (SA read as a Nonce) is dropped unanswered, no state")
    func saInitRenumbered() throws {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 132)
        var bytes = Array(try peer.saInitRequest().readableBytesView)
        try #require(bytes[16] == PayloadType.securityAssociation.rawValue)
        bytes[16] = PayloadType.nonce.rawValue
        let outputs = Fixtures.send(ByteBuffer(bytes: bytes), from: peer, to: &engine)
        #expect(outputs.transmits.isEmpty)
        #expect(outputs.dropCodes == [.payloadRulesBroken])
        Self.expectNoState(engine)
    }

    @Test("CVE-2013-6467 class: IKE_AUTH withholding IDi or AUTH is AUTHENTICATION_FAILED, the half-open SA deleted",
          arguments: [PayloadType.identificationInitiator, .authentication])
    func authWithheld(type: PayloadType) throws {
        var (peer, engine) = try Self.halfOpen(seed: 133)
        var payloads = try peer.authPayloads(identity: EngineFixtures.leftID, psk: Fixtures.psk, child: Fixtures.initiatorChild)
        payloads.removeAll { $0.type == type }
        let outputs = Fixtures.send(try peer.request(.ikeAuth, payloads: payloads), from: peer, to: &engine)
        #expect(try Self.answer(outputs, peer) == [.notify(NotifyPayload(type: .authenticationFailed))])
        #expect(Self.closeReasons(outputs).map(\.cause) == [.missingPayload])
        #expect(outputs.effects.isEmpty)
        Self.expectNoState(engine)
    }

    @Test("CVE-2013-6467 class: an IKE_AUTH response withholding IDr or AUTH ends our IKE SA, never established",
          arguments: [PayloadType.identificationResponder, .authentication])
    func authResponseWithheld(type: PayloadType) throws {
        var engine = InitiatorFixtures.engine()
        var peer = InitiatorFixtures.responder()
        let auth = try InitiatorFixtures.startAuth(&engine, &peer)
        var payloads = try peer.authPayloads(identity: EngineFixtures.rightID, psk: InitiatorFixtures.psk)
            + InitiatorFixtures.childAnswer(to: auth.payloads)
        payloads.removeAll { $0.type == type }
        let outputs = InitiatorFixtures.send(try peer.response(to: auth.header, payloads: payloads), to: &engine)
        #expect(!Self.isEstablished(outputs) && outputs.effects.isEmpty)
        #expect(Self.closeReasons(outputs).map(\.cause) == [.missingPayload])
        Self.expectNoState(engine)
    }

    @Test("CVE-2013-6467 class: CREATE_CHILD_SA withholding TSi is INVALID_SYNTAX; withholding Nonce is dropped and its message ID stays free")
    func createChildSAWithheld() throws {
        var (peer, engine) = try Fixtures.established(seed: 134)
        let child = Fixtures.initiatorChild
        func request(_ peer: inout ScriptedInitiator, without type: PayloadType?, messageID: UInt32) throws -> ByteBuffer {
            let payloads: [IKEPayload] = [
                .securityAssociation(SecurityAssociationPayload(proposals: [
                    EngineFixtures.espGCM.proposal(number: 1, protocolID: .esp, spi: [0, 0, 0x60, UInt8(messageID)])
                ])),
                .nonce(NoncePayload(data: peer.random.bytes(32))),
                .trafficSelectorInitiator(TrafficSelectorPayload(selectors: child.localTrafficSelectors.map(\.selector))),
                .trafficSelectorResponder(TrafficSelectorPayload(selectors: child.remoteTrafficSelectors.map(\.selector))),
            ]
            return try peer.request(.createChildSA, payloads: payloads.filter { $0.type != type }, messageID: messageID)
        }
        let withoutTSi = Fixtures.send(try request(&peer, without: .trafficSelectorInitiator, messageID: 2), from: peer, to: &engine)
        #expect(try Self.answer(withoutTSi, peer) == [.notify(NotifyPayload(type: .invalidSyntax))])
        #expect(withoutTSi.effects.isEmpty)
        let withoutNonce = Fixtures.send(try request(&peer, without: .nonce, messageID: 3), from: peer, to: &engine)
        #expect(withoutNonce.transmits.isEmpty && withoutNonce.effects.isEmpty)
        #expect(withoutNonce.dropCodes == [.payloadRulesBroken])
        #expect(engine.statuses.first?.children.count == 1)
        // Message ID 3 was not used up: the complete request with it is answered.
        let complete = Fixtures.send(try request(&peer, without: nil, messageID: 3), from: peer, to: &engine)
        #expect(Fixtures.installations(complete).count == 1)
    }

    // MARK: Messages out of order

    @Test("OpenBSD iked errata class: a second IKE_AUTH on an established SA is INVALID_SYNTAX; nothing re-authenticated or installed")
    func secondAuth() throws {
        var (peer, engine) = try Fixtures.established(seed: 141)
        let outputs = Fixtures.send(try Fixtures.authRequest(&peer), from: peer, to: &engine)
        #expect(try Self.answer(outputs, peer) == [.notify(NotifyPayload(type: .invalidSyntax))])
        #expect(outputs.effects.isEmpty && !Self.isEstablished(outputs))
        #expect(engine.establishedSPIs.count == 1 && engine.statuses.first?.children.count == 1)
    }

    @Test("OpenBSD iked errata class: responses nobody asked for, and a request with the I flag cleared, are dropped; the half-open SA is unchanged")
    func unsolicitedResponses() throws {
        var (peer, engine) = try Self.halfOpen(seed: 142)
        let outbound = try #require(peer.outbound)
        func sealed(_ exchange: ExchangeType, flags: IKEHeader.Flags) throws -> ByteBuffer {
            let header = IKEHeader(
                initiatorSPI: peer.spi, responderSPI: peer.responderSPI, exchangeType: exchange, flags: flags, messageID: 1)
            var inner = ByteBuffer()
            let first = try IKEPayload.encodeChain([.notify(NotifyPayload(type: .initialContact))], to: &inner)
            return try outbound.seal(header: header, innerFirstPayload: first, inner: inner, random: &peer.random)
        }
        let saInitResponse = try IKEMessage(
            header: IKEHeader(
                initiatorSPI: peer.spi, responderSPI: peer.responderSPI, exchangeType: .ikeSAInit,
                flags: [.initiator, .response], messageID: 0),
            payloads: [.notify(NotifyPayload(type: .noProposalChosen))]
        ).encoded()
        let cases: [(ByteBuffer, IKEDropReason.Code)] = [
            (try sealed(.ikeAuth, flags: [.initiator, .response]), .noOutstandingRequest),
            (try sealed(.informational, flags: [.initiator, .response]), .noOutstandingRequest),
            (saInitResponse, .noOutstandingRequest),
            (try sealed(.ikeAuth, flags: []), .noIKESA),
        ]
        for (datagram, code) in cases {
            let outputs = Fixtures.send(datagram, from: peer, to: &engine)
            #expect(outputs.transmits.isEmpty && outputs.effects.isEmpty)
            #expect(outputs.dropCodes == [code])
            #expect(engine.ikeSACount == 1 && engine.halfOpenSACount == 1 && engine.establishedSPIs.isEmpty)
        }
        // The exchange goes on as if nothing had come.
        let auth = Fixtures.send(try Fixtures.authRequest(&peer), from: peer, to: &engine)
        #expect(Self.isEstablished(auth))
    }
}
