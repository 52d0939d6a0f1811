import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// Key exchange payloads that lie: lengths, groups and public values (RFC 7296 §1.3,
/// §3.4; RFC 6989).
extension AttackClassTests {
    /// A responder child that takes PFS with X25519 in CREATE_CHILD_SA.
    static func withPFS(_ configuration: inout IKEEngineConfiguration) {
        configuration.peers[0].children[0].proposals = [Self.pfs]
    }

    static let pfs = ProposalTemplate(encryption: [.init(.aesGCM16, keyBits: 256)], keyExchangeMethods: [.curve25519])

    @Test("CVE-2023-41913 class: an X25519 KE of the wrong length in IKE_SA_INIT is INVALID_SYNTAX, with no state", arguments: [0, 1, 31, 33, 64, 4000])
    func keyExchangeLengthInSAInit(length: Int) throws {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 101)
        let request = try peer.saInitRequest(keyExchangeData: [UInt8](repeating: 0x42, count: length))
        let outputs = Fixtures.send(request, from: peer, to: &engine)
        #expect(Self.notifies(outputs).map(\.type) == [.invalidSyntax])
        #expect(outputs.effects.isEmpty)
        Self.expectNoState(engine)
    }

    @Test("CVE-2023-41913 class: a KE of the wrong length in CREATE_CHILD_SA (PFS or IKE SA rekey) is INVALID_SYNTAX, nothing made",
          arguments: [false, true])
    func keyExchangeLengthInCreateChildSA(rekeysIKESA: Bool) throws {
        var (peer, engine) = try Fixtures.established(seed: 102, configure: Self.withPFS)
        let data = [UInt8](repeating: 0x42, count: 31)
        let request = rekeysIKESA
            ? try Fixtures.ikeRekeyRequest(&peer, keyExchangeData: data)
            : try Fixtures.childRequest(
                &peer, spi: 0x5000, proposal: Self.pfs, keyExchange: KeyExchangePayload(method: .curve25519, data: data))
        let outputs = Fixtures.send(request, from: peer, to: &engine)
        #expect(try Self.answer(outputs, peer) == [.notify(NotifyPayload(type: .invalidSyntax))])
        #expect(outputs.effects.isEmpty)
        #expect(engine.ikeSACount == 1)
        #expect(engine.statuses.first?.children.count == 1)
    }

    @Test("CVE-2023-41913 class: a responder's KEr of the wrong length ends our IKE SA before IKE_AUTH, nothing left")
    func keyExchangeLengthInSAInitResponse() throws {
        var engine = InitiatorFixtures.engine()
        var peer = InitiatorFixtures.responder()
        try engine.handleCommand(.initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right), now: .zero)
        let request = try #require(engine.drain().transmits.first)
        var response = try IKEMessage(decoding: try peer.handleSAInitRequest(request.datagram))
        response.payloads = response.payloads.map {
            if case .keyExchange(let ke) = $0 { .keyExchange(KeyExchangePayload(method: ke.method, data: ke.data + [0])) } else { $0 }
        }
        let outputs = InitiatorFixtures.send(try response.encoded(), to: &engine)
        #expect(outputs.transmits.isEmpty)
        #expect(Self.closeReasons(outputs).map(\.code) == [.protocolError])
        Self.expectNoState(engine)
    }

    @Test("CVE-2014-9221 class: a KE for a group the SA payload does not offer (1025, 0, 65535) gets INVALID_KE_PAYLOAD naming X25519, no state",
          arguments: [UInt16(1025), 0, 0xFFFF])
    func keyExchangeForUnknownGroup(group: UInt16) throws {
        var engine = Fixtures.engine()
        var peer = Fixtures.initiator(seed: 103)
        // The SA payload offers X25519; the KE payload names the other group.
        let request = try peer.saInitRequest()
        var message = try IKEMessage(decoding: request)
        message.payloads = message.payloads.map {
            if case .keyExchange(let ke) = $0 { .keyExchange(KeyExchangePayload(method: KeyExchangeMethodID(rawValue: group), data: ke.data)) } else { $0 }
        }
        let outputs = Fixtures.send(try message.encoded(), from: peer, to: &engine)
        #expect(Self.notifies(outputs) == [NotifyPayload(type: .invalidKEPayload, data: [0, 31])])
        Self.expectNoState(engine)
    }

    @Test("CVE-2014-9221 class: a proposal whose only group is 1025 (or 0, or 65535) gets NO_PROPOSAL_CHOSEN, no state",
          arguments: [UInt16(1025), 0, 0xFFFF])
    func proposalWithUnknownGroup(group: UInt16) throws {
        var engine = Fixtures.engine()
        let peer = Fixtures.initiator(seed: 104)
        let request = try Self.saInitRequest(peer, payloads: [
            .securityAssociation(SecurityAssociationPayload(proposals: [Proposal(number: 1, protocolID: .ike, transforms: [
                Transform(.aesGCM16, keyLength: 256), Transform(.hmacSHA2_256), Transform(KeyExchangeMethodID(rawValue: group)),
            ])])),
            .keyExchange(KeyExchangePayload(method: KeyExchangeMethodID(rawValue: group), data: [UInt8](repeating: 9, count: 32))),
            .nonce(NoncePayload(data: peer.nonce)),
        ])
        let outputs = Fixtures.send(request, from: peer, to: &engine)
        #expect(Self.notifies(outputs).map(\.type) == [.noProposalChosen])
        #expect(Fixtures.refusals(outputs) == [.noProposalChosen])
        Self.expectNoState(engine)
    }

    @Test("CVE-2014-9221 class: INVALID_KE_PAYLOAD naming group 1025 is not retried; our IKE SA ends, nothing left")
    func invalidKEPayloadNamingUnknownGroup() throws {
        var engine = InitiatorFixtures.engine()
        try engine.handleCommand(.initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right), now: .zero)
        let request = try IKEMessage(decoding: try #require(engine.drain().transmits.first).datagram)
        let answer = try IKEMessage(
            header: IKEHeader(
                initiatorSPI: request.header.initiatorSPI, responderSPI: 0, exchangeType: .ikeSAInit, flags: .response,
                messageID: 0),
            payloads: [.notify(NotifyPayload(type: .invalidKEPayload, data: [0x04, 0x01]))]
        ).encoded()
        let outputs = InitiatorFixtures.send(answer, to: &engine)
        #expect(outputs.transmits.isEmpty)
        #expect(Self.closeReasons(outputs).map(\.code) == [.noProposalChosen])
        Self.expectNoState(engine)
    }

    @Test("CVE-2014-9221 class: a CREATE_CHILD_SA KE for group 1025 gets INVALID_KE_PAYLOAD naming X25519, nothing installed")
    func createChildSAKeyExchangeForUnknownGroup() throws {
        var (peer, engine) = try Fixtures.established(seed: 105, configure: Self.withPFS)
        let request = try Fixtures.childRequest(
            &peer, spi: 0x5001, proposal: Self.pfs,
            keyExchange: KeyExchangePayload(method: KeyExchangeMethodID(rawValue: 1025), data: [UInt8](repeating: 9, count: 32)))
        let outputs = Fixtures.send(request, from: peer, to: &engine)
        #expect(try Self.answer(outputs, peer) == [.notify(NotifyPayload(type: .invalidKEPayload, data: [0, 31]))])
        #expect(outputs.effects.isEmpty)
        #expect(engine.statuses.first?.children.count == 1)
    }

    /// Public values whose key exchange fails, with the groups they are sent for.
    static let badPublicValues: [(String, KeyExchangeMethodID, [UInt8])] = [
        ("X25519 u = 0 (an all-zero shared secret)", .curve25519, [UInt8](repeating: 0, count: 32)),
        ("X25519 u = 1 (a point of small order)", .curve25519, [1] + [UInt8](repeating: 0, count: 31)),
        ("P-256 point not on the curve", .ecp256, [UInt8](repeating: 1, count: 64)),
        ("P-256 all zeros (the point at infinity's encoding)", .ecp256, [UInt8](repeating: 0, count: 64)),
        ("MODP 2048 y = 0", .modp2048, [UInt8](repeating: 0, count: 256)),
        ("MODP 2048 y = 1", .modp2048, [UInt8](repeating: 0, count: 255) + [1]),
        ("MODP 2048 y > p", .modp2048, [UInt8](repeating: 0xFF, count: 256)),
    ]

    @Test("CVE-2015-3240 class: a public value the key exchange cannot use is INVALID_SYNTAX in IKE_SA_INIT, no state",
          arguments: badPublicValues.indices)
    func badPublicValue(index: Int) throws {
        let (name, method, value) = Self.badPublicValues[index]
        let template = ProposalTemplate(
            encryption: [.init(.aesGCM16, keyBits: 256)], pseudorandomFunctions: [.hmacSHA2_256], keyExchangeMethods: [method])
        var engine = Fixtures.engine(proposals: [template])
        var peer = ScriptedInitiator(
            seed: 106, address: IKEEndpointAddress(address: [192, 0, 2, 1], port: 500), responder: EngineFixtures.right,
            proposals: [template])
        let outputs = Fixtures.send(try peer.saInitRequest(keyExchangeData: value), from: peer, to: &engine)
        #expect(Self.notifies(outputs).map(\.type) == [.invalidSyntax], "\(name)")
        Self.expectNoState(engine)
    }
}
