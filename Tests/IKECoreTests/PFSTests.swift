import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// PFS in `esp_proposals` (RFC 7296 §1.2, §1.3, §1.3.3): no key exchange in IKE_AUTH,
/// the configured or negotiated group in CREATE_CHILD_SA, INVALID_KE_PAYLOAD retried.
@Suite("PFS in Child SA proposals (RFC 7296 §1.2, §1.3, §1.3.3, §2.18)")
struct PFSTests {
    static let gcm = ProposalTemplate.EncryptionChoice(.aesGCM16, keyBits: 256)
    static func esp(_ methods: [KeyExchangeMethodID]) -> ProposalTemplate {
        ProposalTemplate(encryption: [gcm], keyExchangeMethods: methods)
    }
    static func ike(_ methods: [KeyExchangeMethodID]) -> ProposalTemplate {
        ProposalTemplate(encryption: [gcm], pseudorandomFunctions: [.hmacSHA2_256], keyExchangeMethods: methods)
    }

    /// Two engines whose children (and IKE proposals) are configured as given.
    func network(
        left: [ProposalTemplate], right: [ProposalTemplate], leftIKE: [ProposalTemplate] = [EngineFixtures.gcmX25519],
        rightIKE: [ProposalTemplate] = [EngineFixtures.gcmX25519]
    ) throws -> SimulatedNetwork {
        var network = EngineFixtures.network(leftProposals: leftIKE, rightProposals: rightIKE)
        network.nodes[0].engine.configuration.peers[0].children[0].proposals = left
        network.nodes[1].engine.configuration.peers[0].children[0].proposals = right
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        try #require(EngineFixtures.isEstablished(network.nodes[0]) && EngineFixtures.isEstablished(network.nodes[1]))
        return network
    }

    func childStatuses(_ node: SimulatedNetwork.Node) -> [ChildSAStatus] {
        node.engine.statuses.flatMap(\.children)
    }

    func keyExchange(_ child: ChildSAStatus) -> [KeyExchangeMethodID] {
        child.transforms.filter { $0.type == .keyExchangeMethod }.map { KeyExchangeMethodID(rawValue: $0.id) }
    }

    // MARK: IKE_AUTH

    @Test("§1.2 initiator: the IKE_AUTH Child SA proposals carry no key exchange method; a KE-less answer is installed")
    func initiatorStripsKeyExchange() throws {
        var engine = InitiatorFixtures.engine(childProposals: [Self.esp([.curve25519])])
        var peer = InitiatorFixtures.responder()
        let auth = try InitiatorFixtures.startAuth(&engine, &peer)
        let offered = try #require(auth.payloads.securityAssociation?.proposals)
        #expect(!offered.isEmpty)
        #expect(InitiatorFixtures.keyExchangeMethods(offered).isEmpty)
        // strongSwan's answer: the proposal as offered, without a key exchange method.
        let answer = try peer.authPayloads(identity: EngineFixtures.rightID, psk: InitiatorFixtures.psk)
            + InitiatorFixtures.childAnswer(to: auth.payloads, dropping: .keyExchangeMethod)
        let outputs = InitiatorFixtures.send(try peer.response(to: auth.header, payloads: answer), to: &engine)
        #expect(InitiatorFixtures.installations(outputs).count == 1)
        #expect(engine.establishedSPIs.count == 1)
    }

    @Test("§1.2 responder: a KE-less IKE_AUTH proposal matches a child whose esp_proposals have PFS")
    func responderComparesWithoutKeyExchange() throws {
        var engine = ResponderFixtures.engine { $0.peers[0].children[0].proposals = [Self.esp([.curve25519])] }
        var peer = ResponderFixtures.initiator(seed: 61)
        let (_, outputs) = try ResponderFixtures.establish(&peer, &engine)
        let reply = try peer.open(try #require(outputs.transmits.first).datagram)
        #expect(reply.payloads.errorNotification == nil)
        let accepted = try #require(reply.payloads.securityAssociation?.proposals)
        #expect(accepted.count == 1 && InitiatorFixtures.keyExchangeMethods(accepted).isEmpty)
        #expect(ResponderFixtures.installations(outputs).count == 1)
    }

    @Test("PFS on both sides: the IKE_AUTH Child SA has no group in status; its rekey, from either side, has one",
          arguments: [0, 1])
    func bothSidesWithPFS(side: Int) throws {
        var network = try network(left: [Self.esp([.curve25519])], right: [Self.esp([.curve25519])])
        for node in network.nodes {
            let first = try #require(childStatuses(node).first)
            #expect(keyExchange(first).isEmpty)
        }
        let spi = try #require(network.nodes[side].engine.establishedSPIs.first)
        let child = try #require(childStatuses(network.nodes[side]).first)
        try network.command(side, .rekeyChildSA(localSPI: spi, inboundSPI: child.inboundSPI))
        network.run()
        for node in network.nodes {
            let children = childStatuses(node)
            #expect(children.count == 1)
            #expect(children.first.map(keyExchange) == [.curve25519])
            #expect(children.first?.inboundSPI != child.inboundSPI && children.first?.outboundSPI != child.inboundSPI)
        }
    }

    // MARK: CREATE_CHILD_SA groups

    @Test("§1.3.3 a Child SA rekey reuses the group negotiated for that Child SA, without an INVALID_KE_PAYLOAD round")
    func childRekeyReusesNegotiatedGroup() throws {
        // Left prefers x25519 but allows ecp384; right allows only ecp384.
        var network = try network(left: [Self.esp([.curve25519, .ecp384])], right: [Self.esp([.ecp384])])
        // Right creates a second Child SA: it is made with ecp384.
        let rightSPI = try #require(network.nodes[1].engine.establishedSPIs.first)
        try network.command(1, .createChildSA(localSPI: rightSPI, child: "net"))
        network.run()
        let made = try #require(childStatuses(network.nodes[0]).first { keyExchange($0) == [.ecp384] })
        // Left rekeys that one: one CREATE_CHILD_SA and one INFORMATIONAL (the Delete).
        let leftSPI = try #require(network.nodes[0].engine.establishedSPIs.first)
        let sent = network.transcript.count
        try network.command(0, .rekeyChildSA(localSPI: leftSPI, inboundSPI: made.inboundSPI))
        network.run()
        #expect(network.transcript.count - sent == 4)
        let children = childStatuses(network.nodes[0])
        #expect(children.count == 2)
        #expect(!children.contains { $0.inboundSPI == made.inboundSPI })
        #expect(children.filter { keyExchange($0) == [.ecp384] }.count == 1)
        #expect(!EngineOutputs.dropReasons(network.nodes[0].events).contains { $0.peerNotify == .invalidKEPayload })
    }

    @Test("§2.18 the IKE SA rekey uses the negotiated IKE group, not the first configured one")
    func ikeRekeyUsesNegotiatedGroup() throws {
        // IKE_SA_INIT settles on ecp384 after an INVALID_KE_PAYLOAD.
        var network = try network(
            left: [EngineFixtures.espGCM], right: [EngineFixtures.espGCM], leftIKE: [Self.ike([.curve25519, .ecp384])],
            rightIKE: [Self.ike([.ecp384])])
        let old = try #require(network.nodes[0].engine.establishedSPIs.first)
        let sent = network.transcript.count
        try network.command(0, .rekeyIKESA(localSPI: old))
        network.run()
        #expect(network.transcript.count - sent == 4)
        let new = try #require(network.nodes[0].engine.establishedSPIs.first)
        #expect(new != old)
        let status = try #require(network.nodes[0].engine.statuses.first { $0.localSPI == new })
        #expect(status.transforms.contains(Transform(KeyExchangeMethodID.ecp384)))
        #expect(!EngineOutputs.dropReasons(network.nodes[0].events).contains { $0.peerNotify == .invalidKEPayload })
    }

    // MARK: INVALID_KE_PAYLOAD

    @Test("§1.3 INVALID_KE_PAYLOAD for a new Child SA is retried with the group the peer names")
    func newChildRetriedWithPeersGroup() throws {
        var network = try network(left: [Self.esp([.curve25519, .ecp384])], right: [Self.esp([.ecp384])])
        let spi = try #require(network.nodes[0].engine.establishedSPIs.first)
        try network.command(0, .createChildSA(localSPI: spi, child: "net"))
        network.run()
        #expect(EngineFixtures.installations(network.nodes[0]).count == 2)
        #expect(EngineFixtures.installations(network.nodes[1]).count == 2)
        #expect(childStatuses(network.nodes[0]).map(keyExchange).contains([.ecp384]))
    }

    @Test("§1.3.3 INVALID_KE_PAYLOAD for a rekey of the IKE_AUTH Child SA (which has no group) is retried")
    func childRekeyRetriedWithPeersGroup() throws {
        var network = try network(left: [Self.esp([.curve25519, .ecp384])], right: [Self.esp([.ecp384])])
        let spi = try #require(network.nodes[0].engine.establishedSPIs.first)
        let first = try #require(childStatuses(network.nodes[0]).first)
        try network.command(0, .rekeyChildSA(localSPI: spi, inboundSPI: first.inboundSPI))
        network.run()
        let children = childStatuses(network.nodes[0])
        #expect(children.count == 1)
        #expect(children.first?.inboundSPI != first.inboundSPI)
        #expect(children.first.map(keyExchange) == [.ecp384])
        #expect(childStatuses(network.nodes[1]).count == 1)
    }

    // MARK: INVALID_KE_PAYLOAD from a scripted responder

    func invalidKE(_ group: KeyExchangeMethodID) -> [IKEPayload] {
        [.notify(NotifyPayload(type: .invalidKEPayload, data: [UInt8(group.rawValue >> 8), UInt8(group.rawValue & 0xff)]))]
    }

    func failures(_ outputs: EngineOutputs) -> [IKEChildSAFailure] {
        outputs.events.compactMap { if case .childSAFailed(_, _, let reason) = $0 { reason } else { nil } }
    }

    /// An engine whose IKE and Child SA proposals allow x25519 and ecp384 (x25519 first),
    /// established with a scripted responder, then asked for `command`'s request.
    func scripted(
        _ command: (UInt64, ChildSAInstallation) -> IKECommand
    ) throws -> (IKEEngine<SeededRandomSource>, ScriptedResponder, (header: IKEHeader, payloads: [IKEPayload])) {
        var engine = InitiatorFixtures.engine(
            proposals: [Self.ike([.curve25519, .ecp384])], childProposals: [Self.esp([.curve25519, .ecp384])])
        var peer = InitiatorFixtures.responder()
        let first = try #require(InitiatorFixtures.installations(InitiatorFixtures.establish(&engine, &peer)).first)
        let spi = try #require(engine.establishedSPIs.first)
        try engine.handleCommand(command(spi, first), now: .zero)
        let request = try peer.open(try #require(engine.drain().transmits.first).datagram)
        return (engine, peer, request)
    }

    @Test("§1.3 INVALID_KE_PAYLOAD for an IKE SA rekey is retried with the group the peer names")
    func ikeRekeyRetried() throws {
        var (engine, peer, request) = try scripted { spi, _ in .rekeyIKESA(localSPI: spi) }
        #expect(request.payloads.keyExchange?.method == .curve25519)
        let retry = InitiatorFixtures.send(try peer.response(to: request.header, payloads: invalidKE(.ecp384)), to: &engine)
        let again = try peer.open(try #require(retry.transmits.first).datagram)
        let ke = try #require(again.payloads.keyExchange)
        #expect(ke.method == .ecp384)
        // The group asked for comes first in the proposals offered again.
        #expect(again.payloads.securityAssociation?.proposals.first?.transforms(ofType: .keyExchangeMethod).first
            == Transform(KeyExchangeMethodID.ecp384))
        var chosen = ScriptedResponder.firstOfEachType(try #require(again.payloads.securityAssociation?.proposals.first))
        chosen.spi = [1, 2, 3, 4, 5, 6, 7, 8]
        let done = InitiatorFixtures.send(
            try peer.response(
                to: again.header,
                payloads: [
                    .securityAssociation(SecurityAssociationPayload(proposals: [chosen])),
                    .nonce(NoncePayload(data: [UInt8](repeating: 3, count: 32))), .keyExchange(try peer.keyExchange(answering: ke)),
                ]),
            to: &engine)
        #expect(done.events.contains { if case .ikeSARekeyed = $0 { true } else { false } })
    }

    @Test("§1.3 INVALID_KE_PAYLOAD naming a group we do not allow is not retried", arguments: [false, true])
    func notAllowedGroupNotRetried(ikeRekey: Bool) throws {
        var (engine, peer, request) = try scripted { spi, first in
            ikeRekey ? .rekeyIKESA(localSPI: spi) : .rekeyChildSA(localSPI: spi, inboundSPI: first.inboundSPI)
        }
        let outputs = InitiatorFixtures.send(try peer.response(to: request.header, payloads: invalidKE(.modp2048)), to: &engine)
        #expect(outputs.transmits.isEmpty)
        #expect(outputs.dropReasons.contains(IKEDropReason(.peerRefused, "", peerNotify: .invalidKEPayload)))
        #expect(failures(outputs).map(\.code) == (ikeRekey ? [] : [.keyExchangeGroupRefused]))
        #expect(engine.establishedSPIs.count == 1)
        #expect(engine.statuses.first?.children.count == 1)
    }

    @Test("§1.3 the INVALID_KE_PAYLOAD retry is bounded: a second one ends the attempt", arguments: [false, true])
    func retryBounded(ikeRekey: Bool) throws {
        var (engine, peer, request) = try scripted { spi, _ in
            ikeRekey ? .rekeyIKESA(localSPI: spi) : .createChildSA(localSPI: spi, child: "net")
        }
        let retry = InitiatorFixtures.send(try peer.response(to: request.header, payloads: invalidKE(.ecp384)), to: &engine)
        let again = try peer.open(try #require(retry.transmits.first).datagram)
        #expect(again.payloads.keyExchange?.method == .ecp384)
        // Back to the first group: an inconsistent peer gets no third request.
        let outputs = InitiatorFixtures.send(try peer.response(to: again.header, payloads: invalidKE(.curve25519)), to: &engine)
        #expect(outputs.transmits.isEmpty)
        #expect(failures(outputs).map(\.code) == (ikeRekey ? [] : [.keyExchangeGroupRefused]))
        #expect(engine.establishedSPIs.count == 1)
    }
}
