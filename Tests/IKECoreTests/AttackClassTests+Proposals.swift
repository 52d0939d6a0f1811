import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

/// Proposals whose transforms the crypto layer does not have, or has with no key at all
/// (RFC 7296 §2.7, §3.3).
extension AttackClassTests {
    /// IKE proposals a library user could configure although the default provider lacks
    /// one of their transforms: PRF_HMAC_MD5, ENCR_NULL (ESP only) and ecp192 (group 25).
    static let unavailableIKEProposals: [(String, ProposalTemplate)] = [
        ("PRF_HMAC_MD5", ProposalTemplate(
            encryption: [.init(.aesGCM16, keyBits: 256)], pseudorandomFunctions: [PseudorandomFunctionID(rawValue: 1)],
            keyExchangeMethods: [.curve25519])),
        ("ENCR_NULL for IKE", ProposalTemplate(
            encryption: [.init(.null)], pseudorandomFunctions: [.hmacSHA2_256], integrity: [.hmacSHA2_256_128],
            keyExchangeMethods: [.curve25519])),
        ("ecp192", ProposalTemplate(
            encryption: [.init(.aesGCM16, keyBits: 256)], pseudorandomFunctions: [.hmacSHA2_256],
            keyExchangeMethods: [KeyExchangeMethodID(rawValue: 25)])),
    ]

    @Test("CVE-2018-10811 class: a peer offering only PRF_HMAC_MD5 gets NO_PROPOSAL_CHOSEN, no state")
    func md5PRFOffered() throws {
        var engine = Fixtures.engine()
        var peer = ScriptedInitiator(
            seed: 111, address: IKEEndpointAddress(address: [192, 0, 2, 1], port: 500), responder: EngineFixtures.right,
            proposals: [Self.unavailableIKEProposals[0].1])
        let outputs = Fixtures.send(try peer.saInitRequest(), from: peer, to: &engine)
        #expect(Self.notifies(outputs).map(\.type) == [.noProposalChosen])
        #expect(Fixtures.refusals(outputs) == [.noProposalChosen])
        Self.expectNoState(engine)
    }

    @Test(
        "CVE-2018-10811 class: a configured IKE proposal with a transform the provider lacks fails the key derivation cleanly: NO_PROPOSAL_CHOSEN, no state",
        arguments: unavailableIKEProposals.indices)
    func unavailableTransformNegotiated(index: Int) throws {
        let (name, template) = Self.unavailableIKEProposals[index]
        var engine = Fixtures.engine(proposals: [template])
        let peer = Fixtures.initiator(seed: 112)
        // The peer offers exactly that proposal, with a valid X25519 value.
        var random = SeededRandomSource(seed: 112)
        let request = try Self.saInitRequest(peer, payloads: [
            .securityAssociation(SecurityAssociationPayload(proposals: [template.proposal(number: 1, protocolID: .ike)])),
            .keyExchange(KeyExchangePayload(
                method: template.keyExchangeMethods[0],
                data: try CryptoProvider.default.keyExchangeMethod(.curve25519).generate(using: &random).publicValue)),
            .nonce(NoncePayload(data: peer.nonce)),
        ])
        let outputs = Fixtures.send(request, from: peer, to: &engine)
        #expect(Self.notifies(outputs).map(\.type) == [.noProposalChosen], "\(name)")
        #expect(Fixtures.refusals(outputs) == [.noProposalChosen], "\(name)")
        Self.expectNoState(engine)
    }

    @Test("CVE-2018-10811 class: a configured PFS group the provider lacks (ecp192) fails the CREATE_CHILD_SA cleanly: NO_PROPOSAL_CHOSEN, nothing made")
    func unavailableGroupInCreateChildSA() throws {
        let ecp192 = ProposalTemplate(encryption: [.init(.aesGCM16, keyBits: 256)], keyExchangeMethods: [KeyExchangeMethodID(rawValue: 25)])
        var (peer, engine) = try Fixtures.established(seed: 115) { $0.peers[0].children[0].proposals = [ecp192] }
        let request = try Fixtures.childRequest(
            &peer, spi: 0x5002, proposal: ecp192,
            keyExchange: KeyExchangePayload(method: KeyExchangeMethodID(rawValue: 25), data: [UInt8](repeating: 4, count: 48)))
        let outputs = Fixtures.send(request, from: peer, to: &engine)
        #expect(try Self.answer(outputs, peer) == [.notify(NotifyPayload(type: .noProposalChosen))])
        #expect(outputs.effects.isEmpty)
        #expect(engine.statuses.first?.children.count == 1)
    }

    /// An IKE_AUTH request of `peer` offering `proposals` for the Child SA.
    static func authRequest(_ peer: inout ScriptedInitiator, offering proposals: [ProposalTemplate]) throws -> ByteBuffer {
        let child = EngineFixtures.child(local: "198.51.100.0/24", remote: "203.0.113.0/24", proposals: proposals)
        return try peer.request(
            .ikeAuth, payloads: try peer.authPayloads(identity: EngineFixtures.leftID, psk: Fixtures.psk, child: child))
    }

    static let aesGMAC = ProposalTemplate(encryption: [.init(.nullAuthAESGMAC, keyBits: 128)])
    static let md5Integrity = ProposalTemplate(encryption: [.init(.aesCBC, keyBits: 128)], integrity: [IntegrityAlgorithmID(rawValue: 1)])

    @Test(
        "CVE-2024-3652, CVE-2018-10811 class: an ESP proposal the provider cannot key (AES-GMAC, HMAC-MD5, AES-GCM with a 0-bit key) gets NO_PROPOSAL_CHOSEN; the IKE SA stands with no Child SA",
        arguments: [
            (offered: aesGMAC, configured: aesGMAC), (offered: aesGMAC, configured: EngineFixtures.espGCM),
            (offered: md5Integrity, configured: md5Integrity),
            (offered: ProposalTemplate(encryption: [.init(.aesGCM16, keyBits: 0)]), configured: EngineFixtures.espGCM),
        ])
    func unavailableESPTransform(offered: ProposalTemplate, configured: ProposalTemplate) throws {
        var (peer, engine) = try Self.halfOpen(seed: 113) { $0.peers[0].children[0].proposals = [configured] }
        let outputs = Fixtures.send(try Self.authRequest(&peer, offering: [offered]), from: peer, to: &engine)
        let answer = try Self.answer(outputs, peer)
        #expect(answer.notifications.map(\.type) == [.noProposalChosen])
        #expect(answer.securityAssociation == nil)
        #expect(Fixtures.installations(outputs).isEmpty)
        #expect(engine.establishedSPIs.count == 1)
        #expect(engine.statuses.first?.children.isEmpty == true)
    }

    @Test("CVE-2024-3652 class: ENCR_NULL with HMAC-SHA2-256, configured, installs with an empty encryption key and a 32-octet integrity key")
    func nullEncryptionKeys() throws {
        let null = ProposalTemplate(encryption: [.init(.null)], integrity: [.hmacSHA2_256_128])
        var (peer, engine) = try Self.halfOpen(seed: 114) { $0.peers[0].children[0].proposals = [null] }
        let outputs = Fixtures.send(try Self.authRequest(&peer, offering: [null]), from: peer, to: &engine)
        let installed = try #require(Fixtures.installations(outputs).first)
        #expect(installed.encryption == .null)
        #expect([installed.inboundEncryptionKey.count, installed.outboundEncryptionKey.count] == [0, 0])
        #expect([installed.inboundIntegrityKey.count, installed.outboundIntegrityKey.count] == [32, 32])
    }

    @Test("CVE-2016-3071 class: every transform of the default proposals and of every proposal keyword Cygnet accepts is one its provider implements")
    func defaultsAreImplemented() throws {
        let provider = CryptoProvider.default
        for template in DefaultProposals.templates(for: .ike) {
            for encryption in template.encryption {
                for prf in template.pseudorandomFunctions {
                    // An AEAD takes no integrity transform; a cipher takes the template's first.
                    let integrity = template.integrity.first
                    #expect(throws: Never.self, "\(encryption.id) \(prf)") {
                        _ = try IKEKeySchedule(
                            provider: provider, prf: prf, encryption: encryption.id, keyBits: encryption.keyBits,
                            integrity: integrity)
                    }
                }
            }
            for integrity in template.integrity { #expect(throws: Never.self) { _ = try provider.integrityAlgorithm(integrity) } }
            for method in template.keyExchangeMethods { #expect(throws: Never.self) { _ = try provider.keyExchangeMethod(method) } }
        }
        for template in DefaultProposals.templates(for: .esp) {
            for encryption in template.encryption {
                for integrity in template.integrity.isEmpty ? [nil] : template.integrity.map(Optional.some) {
                    #expect(throws: Never.self, "\(encryption.id) \(String(describing: integrity))") {
                        _ = try provider.childSATransforms(
                            encryption: encryption.id, keyBits: encryption.keyBits, integrity: integrity)
                    }
                }
            }
        }
        // A keyword names a legacy transform only where the operator wrote it; the daemon
        // then adds the legacy set.
        let legacy = provider.addingLegacyTransforms()
        for keyword in ProposalKeyword.supportedKeywords {
            let algorithm = try #require(ProposalKeyword.lookUp(keyword)?.algorithm, "\(keyword)")
            #expect(throws: Never.self, "\(keyword)") {
                switch algorithm {
                case .encryption(let id, let keyBits): _ = try legacy.encryptionAlgorithm(id, keyBits: keyBits)
                case .integrity(let id): _ = try legacy.integrityAlgorithm(id)
                case .pseudorandomFunction(let id): _ = try legacy.pseudorandomFunction(id)
                case .keyExchange(let id): if id != .none { _ = try legacy.keyExchangeMethod(id) }
                case .sequenceNumbers: break
                }
            }
        }
    }
}
