import IKEConfig
import IKECore
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// What a responder does with Configuration payloads it should not get, or that break
/// RFC 7296 §3.15.1, driven by a scripted initiator.
@Suite("Hostile and misplaced Configuration payloads (RFC 7296 §3.15)")
struct ConfigurationPayloadHandlingTests {
    static func withPools(_ configuration: inout IKEEngineConfiguration) { configuration.peers[0].pools = ["rw"] }

    static func authRequest(_ peer: inout ScriptedInitiator, cp: ConfigurationPayload) throws -> ByteBuffer {
        var payloads = try peer.authPayloads(
            identity: EngineFixtures.leftID, psk: ResponderFixtures.psk, child: ResponderFixtures.initiatorChild)
        payloads.insert(.configuration(cp), at: 2)
        return try peer.request(.ikeAuth, payloads: payloads)
    }

    static func assignRequests(_ outputs: EngineOutputs) -> [AddressAssignmentRequest] {
        outputs.effects.compactMap { if case .assignAddresses(let request) = $0 { request } else { nil } }
    }

    @Test("§3.15.1 an INTERNAL_IP4_ADDRESS of 3 octets: INVALID_SYNTAX, the SA closes as malformed_configuration, no host request")
    func wrongAttributeLength() throws {
        var engine = ResponderFixtures.engine(configure: Self.withPools)
        var peer = ResponderFixtures.initiator(seed: 41)
        try ResponderFixtures.saInit(&peer, &engine)
        let cp = ConfigurationPayload(type: .request, attributes: [ConfigurationAttribute(type: .internalIP4Address, value: [10, 3, 0])])
        let outputs = ResponderFixtures.send(try Self.authRequest(&peer, cp: cp), from: peer, to: &engine)
        #expect(Self.assignRequests(outputs).isEmpty)
        let answer = try peer.open(try #require(outputs.transmits.first).datagram)
        #expect(answer.payloads.notifications.map(\.type) == [.invalidSyntax])
        let closes = outputs.events.compactMap { if case .ikeSAClosed(_, _, let reason, _) = $0 { reason } else { nil } }
        #expect(closes.map(\.cause) == [.malformedConfiguration])
    }

    @Test("§3.15.1 an INTERNAL_IP6_SUBNET without its prefix length is refused the same way")
    func shortSubnet() throws {
        var engine = ResponderFixtures.engine(configure: Self.withPools)
        var peer = ResponderFixtures.initiator(seed: 42)
        try ResponderFixtures.saInit(&peer, &engine)
        let cp = ConfigurationPayload(type: .request, attributes: [
            ConfigurationAttribute(type: .internalIP4Address),
            ConfigurationAttribute(type: .internalIP6Subnet, value: Array(repeating: 0xfd, count: 16)),
        ])
        let outputs = ResponderFixtures.send(try Self.authRequest(&peer, cp: cp), from: peer, to: &engine)
        let closes = outputs.events.compactMap { if case .ikeSAClosed(_, _, let reason, _) = $0 { reason.cause } else { nil } }
        #expect(closes == [.malformedConfiguration])
    }

    @Test("A CFG_REPLY sent to a responder is ignored: the SA and its Child SA are set up, nothing is leased")
    func replyToResponder() throws {
        var engine = ResponderFixtures.engine(configure: Self.withPools)
        var peer = ResponderFixtures.initiator(seed: 43)
        try ResponderFixtures.saInit(&peer, &engine)
        let cp = ConfigurationPayload(type: .reply, attributes: [ConfigurationAttribute(type: .internalIP4Address, value: [10, 3, 0, 9])])
        let outputs = ResponderFixtures.send(try Self.authRequest(&peer, cp: cp), from: peer, to: &engine)
        #expect(Self.assignRequests(outputs).isEmpty)
        #expect(ResponderFixtures.installations(outputs).count == 1)
        let answer = try peer.open(try #require(outputs.transmits.first).datagram)
        #expect(answer.payloads.configuration == nil)
    }

    @Test("An attribute whose length runs past the payload: the request does not decode and is refused, nothing is leased")
    func lyingLength() throws {
        var engine = ResponderFixtures.engine(configure: Self.withPools)
        var peer = ResponderFixtures.initiator(seed: 44)
        try ResponderFixtures.saInit(&peer, &engine)
        // INTERNAL_IP4_ADDRESS claiming 200 octets, followed by 4: the CP's own length is right.
        let cp = UnknownPayload(type: .configuration, isCritical: false, body: [1, 0, 0, 0, 0, 1, 0, 200, 10, 3, 0, 1])
        var payloads = try peer.authPayloads(
            identity: EngineFixtures.leftID, psk: ResponderFixtures.psk, child: ResponderFixtures.initiatorChild)
        payloads.insert(.unknown(cp), at: 2)
        let outputs = ResponderFixtures.send(try peer.request(.ikeAuth, payloads: payloads), from: peer, to: &engine)
        #expect(Self.assignRequests(outputs).isEmpty)
        #expect(ResponderFixtures.installations(outputs).isEmpty)
        #expect(!outputs.events.contains { if case .ikeSAEstablished = $0 { true } else { false } })
    }

    @Test("§1.3 a CP in CREATE_CHILD_SA breaks the payload rules: dropped, the IKE SA stands")
    func configurationInCreateChildSA() throws {
        var (peer, engine) = try ResponderFixtures.established(seed: 45)
        let request = try peer.request(.createChildSA, payloads: [
            .configuration(ConfigurationPayload(type: .request, attributes: [ConfigurationAttribute(type: .internalIP4Address)])),
            .securityAssociation(SecurityAssociationPayload(proposals: [
                EngineFixtures.espGCM.proposal(number: 1, protocolID: .esp, spi: [10, 11, 12, 13])
            ])),
            .nonce(NoncePayload(data: Array(repeating: 7, count: 32))),
        ])
        let outputs = ResponderFixtures.send(request, from: peer, to: &engine)
        let drops = outputs.events.compactMap { if case .datagramDropped(let reason) = $0 { reason.code } else { nil } }
        #expect(drops == [.payloadRulesBroken])
        #expect(engine.establishedSPIs.count == 1)
    }
}
