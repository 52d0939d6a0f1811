import IKEWire
import NIOCore
import Testing

/// Golden bytes: real strongSwan 5.9.8 captures (see Tests/Fixtures/captures/README.md).
@Suite("Golden captures from strongSwan")
struct CaptureFixtureTests {
    static let all = (try? Fixtures.allMessages) ?? []

    func message(_ capture: String, frame: Int) throws -> IKEMessage {
        let captured = try #require(try Fixtures.messages(capture).first { $0.frame == frame })
        return try IKEMessage(decoding: captured.bytes)
    }

    @Test("Fixture files are present and non-empty")
    func present() throws {
        for name in Fixtures.captureNames {
            #expect(try !Fixtures.messages(name).isEmpty, "\(name)")
        }
        #expect(Self.all.count >= 70)
    }

    @Test("Every captured message decodes, passes the rules table, and re-encodes to the same bytes",
          arguments: all)
    func decodesAndReencodes(captured: Fixtures.CapturedMessage) throws {
        let message = try IKEMessage(decoding: captured.bytes)
        let rules = try #require(IKEMessageRules.rules(for: message.header.exchangeType, isResponse: message.header.isResponse))
        try rules.check(message)
        #expect(Array(try message.encoded().readableBytesView) == captured.bytes)
    }

    @Test("Truncation at every byte offset of every captured message throws", arguments: all)
    func truncation(captured: Fixtures.CapturedMessage) {
        for length in 0..<captured.bytes.count {
            #expect(throws: IKEWireError.self) { try IKEMessage(decoding: captured.bytes.prefix(length)) }
        }
    }

    @Test("§2.6 COOKIE: a response of N(COOKIE) alone, then the retry with COOKIE first")
    func cookie() throws {
        let challenge = try message("cookie", frame: 5)
        #expect(challenge.header.isResponse)
        #expect(challenge.header.responderSPI == 0)
        let notify = try #require(challenge.notifications.first)
        #expect(challenge.payloads.count == 1)
        #expect(notify.type == .cookie)
        let retry = try message("cookie", frame: 6)
        #expect(retry.header.initiatorSPI == challenge.header.initiatorSPI)
        guard case .notify(let first) = retry.payloads.first else {
            Issue.record("retry does not start with a Notify")
            return
        }
        #expect(first.type == .cookie)
        #expect(first.data == notify.data)
        #expect((1...64).contains(first.data.count))
    }

    @Test("§1.2 INVALID_KE_PAYLOAD names group 14, and the retry sends a 256-byte MODP-2048 KE")
    func invalidKE() throws {
        let first = try message("invalid-ke", frame: 1)
        guard case .keyExchange(let offered) = first.payloads.first(where: { $0.type == .keyExchange }) else {
            Issue.record("no KE in the first request")
            return
        }
        #expect(offered.method == .curve25519)
        #expect(offered.data.count == 32)
        let answer = try message("invalid-ke", frame: 2)
        #expect(answer.notifications.map(\.type) == [.invalidKEPayload])
        #expect(answer.notifications.first?.data == [0, 14])
        let retry = try message("invalid-ke", frame: 3)
        guard case .keyExchange(let ke) = retry.payloads.first(where: { $0.type == .keyExchange }) else {
            Issue.record("no KE in the retry")
            return
        }
        #expect(ke.method == .modp2048)
        #expect(ke.data.count == 256)
        #expect(retry.header.initiatorSPI == first.header.initiatorSPI)
    }

    @Test("§3.3 two proposals with 7 and 8 transforms, answered with one")
    func multipleProposals() throws {
        let request = try message("multi-proposal-sll2", frame: 1)
        guard case .securityAssociation(let offered) = request.payloads.first else {
            Issue.record("first payload is not SA")
            return
        }
        #expect(offered.proposals.map(\.transforms.count) == [7, 8])
        #expect(offered.proposals.map(\.number) == [1, 2])
        #expect(offered.proposals[0].transforms(ofType: .keyExchangeMethod).map(\.id) == [20, 19, 31])
        #expect(offered.proposals[1].transforms(ofType: .encryptionAlgorithm).compactMap(\.keyLength) == [256, 128])
        let response = try message("multi-proposal-sll2", frame: 2)
        guard case .securityAssociation(let chosen) = response.payloads.first else {
            Issue.record("response has no SA first")
            return
        }
        #expect(chosen.proposals.count == 1)
        #expect(chosen.proposals[0].transforms.map(\.idDescription) == ["ENCR_AES_GCM_16", "PRF_HMAC_SHA2_384", "384-bit random ECP group"])
        guard case .keyExchange(let ke) = response.payloads[1] else {
            Issue.record("no KE")
            return
        }
        #expect(ke.data.count == 96)
    }

    @Test("§3.7 the IKE_SA_INIT response of a certificate peer carries CERTREQ with SHA-1 key hashes")
    func certificateRequest() throws {
        let response = try message("cert-ecdsa", frame: 2)
        let requests = response.payloads.compactMap { if case .certificateRequest(let r) = $0 { r } else { nil } }
        #expect(requests.count == 1)
        #expect(requests.first?.encoding == .x509Signature)
        #expect(requests.first?.authorityKeyHashes.count == 2)
    }

    @Test("RFC 7383 IKE_AUTH as 8 SKF fragments each way, Next Payload only in fragment 1")
    func fragments() throws {
        let fragments = try Fixtures.messages("frag-rsa4096").map { try IKEMessage(decoding: $0.bytes) }
            .compactMap { message -> (Bool, EncryptedFragmentPayload)? in
                guard case .encryptedFragment(let fragment) = message.payloads.first else { return nil }
                return (message.header.isResponse, fragment)
            }
        #expect(fragments.count == 16)
        for isResponse in [false, true] {
            let side = fragments.filter { $0.0 == isResponse }.map(\.1)
            #expect(side.map(\.fragmentNumber) == Array(1...8))
            #expect(side.allSatisfy { $0.totalFragments == 8 })
            #expect(side.first?.firstPayloadType == (isResponse ? .identificationResponder : .identificationInitiator))
            #expect(side.dropFirst().allSatisfy { $0.firstPayloadType == .noNextPayload })
        }
    }

    @Test("Every IKE_SA_INIT request carries NAT detection, fragmentation and signature hash notifies")
    func initNotifies() throws {
        for name in Fixtures.captureNames {
            let request = try message(name, frame: 1)
            #expect(request.header.exchangeType == .ikeSAInit)
            let types = Set(request.notifications.map(\.type))
            #expect(types.isSuperset(of: [.natDetectionSourceIP, .natDetectionDestinationIP, .ikev2FragmentationSupported, .signatureHashAlgorithms]), "\(name)")
            #expect(request.notifications.filter { $0.type == .natDetectionSourceIP }.allSatisfy { $0.data.count == 20 })
        }
    }
}
