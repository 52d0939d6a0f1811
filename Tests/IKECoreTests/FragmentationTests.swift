import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

@Suite("IKE message fragmentation (RFC 7383)")
struct FragmentationTests {
    typealias Fixtures = FragmentationFixtures

    // MARK: Two engines

    @Test(
        "RFC 7383 §2.5: RSA certificate IKE_AUTH messages larger than fragment_size go as SKF fragments both ways and establish",
        arguments: [1280, 576], [0, 1])
    func certificateHandshake(fragmentSize: Int, initiator: Int) async throws {
        var network = try Fixtures.network(fragmentSize: fragmentSize)
        let addresses = [EngineFixtures.left, EngineFixtures.right]
        try network.command(initiator, .initiate(peer: "lab", local: addresses[initiator], remote: addresses[1 - initiator]))
        await network.runCompletingEffects()
        for node in network.nodes {
            #expect(EngineFixtures.isEstablished(node), "\(EngineFixtures.closeReasons(node))")
            #expect(!node.events.contains(where: Fixtures.isRetransmission))
            #expect(node.engine.reassemblyByteCount == 0)
        }
        let initiatorChild = try #require(EngineFixtures.installations(network.nodes[initiator]).first)
        let responderChild = try #require(EngineFixtures.installations(network.nodes[1 - initiator]).first)
        #expect(initiatorChild.outboundSPI == responderChild.inboundSPI)
        #expect(initiatorChild.outboundEncryptionKey == responderChild.inboundEncryptionKey)

        let sent = try Fixtures.decoded(network.transcript)
        // RFC 7383 §2.3: both IKE_SA_INIT messages announce support.
        let inits = sent.filter { $0.header.exchangeType == .ikeSAInit }
        #expect(inits.count == 2)
        #expect(inits.allSatisfy { Fixtures.notifyTypes($0).contains(.ikev2FragmentationSupported) })
        let auth = sent.filter { $0.header.exchangeType == .ikeAuth }
        #expect(!auth.contains { $0.isEncrypted }, "an IKE_AUTH message went as one SK message")
        for isResponse in [false, true] {
            let messages = auth.filter { $0.header.isResponse == isResponse }
            let fragments = messages.compactMap(\.fragment)
            #expect(fragments.count == messages.count)
            #expect(fragments.count >= 2, "\(isResponse ? "response" : "request") in \(fragments.count) fragment(s)")
            #expect(fragments.map(\.fragmentNumber) == fragments.indices.map { UInt16($0 + 1) })
            #expect(fragments.allSatisfy { Int($0.totalFragments) == fragments.count })
            // RFC 7383 §2.5: only fragment 1 names the first inner payload.
            #expect(fragments.first?.firstPayloadType == (isResponse ? .identificationResponder : .identificationInitiator))
            #expect(fragments.dropFirst().allSatisfy { $0.firstPayloadType == .noNextPayload })
            #expect(messages.allSatisfy { $0.transmit.source.address == addresses[isResponse ? 1 - initiator : initiator].address })
        }
        // RFC 7383 §2.5.1: with IPv4 (20) and UDP (8) headers, and on the NAT-T port (where
        // MOBIKE moves IKE_AUTH, RFC 4555 §3.3) the non-ESP marker (4) the host adds, every
        // datagram fits in fragment_size, and the full ones (AES-GCM pads to 1 byte) fill
        // it exactly.
        func wireLength(_ transmit: IKETransmit) -> Int {
            let marker = transmit.source.port == 4500 || transmit.destination.port == 4500 ? 4 : 0
            return transmit.datagram.readableBytes + 20 + 8 + marker
        }
        for message in auth {
            #expect(wireLength(message.transmit) <= fragmentSize)
        }
        #expect(auth.filter { wireLength($0.transmit) == fragmentSize }.count >= 2)
    }

    @Test("RFC 7296 §2.1, RFC 7383 §2.5: a retransmission resends every fragment, byte for byte")
    func retransmissionResendsEveryFragment() async throws {
        var pair = ManualPair(try Fixtures.network())
        let first = try await pair.authRequest()
        #expect(first.count >= 2)
        // Every fragment is lost. The retransmission timer fires (4 s by default).
        let deadline = try #require(pair.nodes[0].engine.nextDeadline())
        let again = await pair.advance(0, to: deadline)
        #expect(again.count == first.count)
        #expect(again.map { Array($0.datagram.readableBytesView) } == first.map { Array($0.datagram.readableBytesView) })
        #expect(pair.nodes[0].events.filter(Fixtures.isRetransmission).count == 1)
        let response = await pair.deliver(again, to: 1)
        #expect(try Fixtures.decoded(response).allSatisfy { $0.fragment != nil })
        #expect(response.count >= 2)
        let after = await pair.deliver(response, to: 0)
        #expect(after.isEmpty)
        #expect(EngineFixtures.isEstablished(pair.nodes[0]))
        #expect(EngineFixtures.isEstablished(pair.nodes[1]))
    }

    @Test("RFC 7383 §2.6.1: a retransmitted fragmented request gets the whole response again, on an authentic fragment 1 only")
    func responseResentOnFirstFragment() async throws {
        var pair = ManualPair(try Fixtures.network())
        let request = try await pair.authRequest()
        let response = await pair.deliver(request, to: 1)
        #expect(response.count >= 2)
        // The response is lost; the initiator's retransmission arrives, fragment 1 last.
        let others = await pair.deliver(Array(request.dropFirst()), to: 1)
        #expect(others.isEmpty)
        let ignored = Fixtures.dropReasons(pair.nodes[1].events).filter { $0.code == .retransmittedFragmentIgnored }
        #expect(ignored.count == request.count - 1)
        // A fragment 1 that fails its integrity check resends nothing.
        var forged = request[0]
        forged.datagram = Fixtures.flipping(forged.datagram, at: forged.datagram.readableBytes - 1)
        let afterForged = await pair.deliver([forged], to: 1)
        #expect(afterForged.isEmpty)
        let resent = await pair.deliver([request[0]], to: 1)
        #expect(resent.map { Array($0.datagram.readableBytesView) } == response.map { Array($0.datagram.readableBytesView) })
        // Processed once: one signature, one Child SA.
        #expect(CertificateFixtures.signingRequests(pair.nodes[1]).count == 1)
        #expect(EngineFixtures.installations(pair.nodes[1]).count == 1)
        _ = await pair.deliver(resent, to: 0)
        #expect(EngineFixtures.isEstablished(pair.nodes[0]))
        #expect(EngineFixtures.isEstablished(pair.nodes[1]))
    }

    @Test(
        "RFC 7383 §2.3: fragmentation = no neither announces nor fragments, and a peer that did not announce support gets whole messages",
        arguments: [(Fragmentation.no, Fragmentation.yes), (.yes, .no)])
    func notNegotiated(settings: (Fragmentation, Fragmentation)) async throws {
        let (left, right) = settings
        var network = try Fixtures.network(left: left, right: right)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        await network.runCompletingEffects()
        #expect(EngineFixtures.isEstablished(network.nodes[0]), "\(EngineFixtures.closeReasons(network.nodes[0]))")
        #expect(EngineFixtures.isEstablished(network.nodes[1]))
        let sent = try Fixtures.decoded(network.transcript)
        let initRequest = try #require(sent.first { $0.header.exchangeType == .ikeSAInit && !$0.header.isResponse })
        let initResponse = try #require(sent.first { $0.header.exchangeType == .ikeSAInit && $0.header.isResponse })
        #expect(Fixtures.notifyTypes(initRequest).contains(.ikev2FragmentationSupported) == (left != .no))
        #expect(!Fixtures.notifyTypes(initResponse).contains(.ikev2FragmentationSupported))
        let auth = sent.filter { $0.header.exchangeType == .ikeAuth }
        #expect(auth.count == 2)
        #expect(auth.allSatisfy { $0.isEncrypted })
        // Both would have needed fragments.
        #expect(auth.allSatisfy { $0.transmit.datagram.readableBytes + 20 + 8 > 1280 })
    }

    @Test("fragmentation = accept announces support and lets the peer fragment, but sends whole messages")
    func acceptOnly() async throws {
        var network = try Fixtures.network(left: .accept, right: .yes)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        await network.runCompletingEffects()
        #expect(EngineFixtures.isEstablished(network.nodes[0]))
        #expect(EngineFixtures.isEstablished(network.nodes[1]))
        let auth = try Fixtures.decoded(network.transcript).filter { $0.header.exchangeType == .ikeAuth }
        let requests = auth.filter { !$0.header.isResponse }
        let responses = auth.filter { $0.header.isResponse }
        #expect(requests.count == 1)
        #expect(requests.allSatisfy { $0.isEncrypted })
        #expect(responses.count >= 2)
        #expect(responses.allSatisfy { $0.fragment != nil })
    }

    @Test("fragmentation = force fragments IKE_AUTH although the peer announced nothing; fragments are accepted regardless")
    func force() async throws {
        var network = try Fixtures.network(left: .force, right: .no)
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        await network.runCompletingEffects()
        #expect(EngineFixtures.isEstablished(network.nodes[0]))
        #expect(EngineFixtures.isEstablished(network.nodes[1]), "\(Fixtures.dropReasons(network.nodes[1].events))")
        let sent = try Fixtures.decoded(network.transcript)
        let initResponse = try #require(sent.first { $0.header.exchangeType == .ikeSAInit && $0.header.isResponse })
        #expect(!Fixtures.notifyTypes(initResponse).contains(.ikev2FragmentationSupported))
        let auth = sent.filter { $0.header.exchangeType == .ikeAuth }
        let requests = auth.filter { !$0.header.isResponse }
        #expect(requests.count >= 2)
        #expect(requests.allSatisfy { $0.fragment != nil })
        #expect(auth.filter(\.header.isResponse).count == 1)
        #expect(auth.filter(\.header.isResponse).allSatisfy { $0.isEncrypted })
    }

    // MARK: Crafted fragments in front of a responder

    @Test("RFC 7383 §2.6: fragments reassemble in any order, duplicates are ignored, and the answer comes once")
    func outOfOrderAndDuplicates() throws {
        var (peer, engine) = try Fixtures.responder(seed: 21)
        let fragments = try Fixtures.fragments(&peer, try Fixtures.authPayloads(peer), count: 5)
        var transmits: [IKETransmit] = []
        var drops: [IKEDropReason] = []
        // Fragments 5, 2, 2, 1, 5, 3; fragment 4 last.
        for index in [4, 1, 1, 0, 4, 2] {
            let outputs = ResponderFixtures.send(fragments[index], from: peer, to: &engine)
            transmits += outputs.transmits
            drops += outputs.dropReasons
            #expect(!Fixtures.isEstablished(outputs))
        }
        #expect(transmits.isEmpty, "answered before the message was complete")
        #expect(drops.count == 2)
        #expect(drops.allSatisfy { $0.code == .duplicateFragment })
        #expect(engine.reassemblyByteCount > 0)
        let last = ResponderFixtures.send(fragments[3], from: peer, to: &engine)
        #expect(Fixtures.isEstablished(last))
        #expect(last.dropReasons.isEmpty)
        // The scripted peer announced no fragmentation: one SK response.
        #expect(last.transmits.count == 1)
        let reply = try #require(last.transmits.first)
        #expect(try peer.open(reply.datagram).payloads.contains { $0.type == .authentication })
        #expect(engine.reassemblyByteCount == 0)
        #expect(engine.establishedSPIs.count == 1)
    }

    @Test("RFC 7383 §2.6: a fragment failing its integrity check is discarded alone; a forged Total Fragments changes nothing")
    func badICV() throws {
        var (peer, engine) = try Fixtures.responder(seed: 22)
        let fragments = try Fixtures.fragments(&peer, try Fixtures.authPayloads(peer), count: 4)
        let badICV = Fixtures.flipping(fragments[1], at: fragments[1].readableBytes - 1)
        // Fragment 3 rewritten to announce 9 fragments (Total Fragments is at offset 34–35):
        // the field is authenticated (RFC 7383 §2.5.3), so this must fail the check rather
        // than restart the reassembly.
        var forged = Array(fragments[2].readableBytesView)
        forged[35] = 9
        var transmits: [IKETransmit] = []
        var drops: [IKEDropReason] = []
        for datagram in [fragments[0], badICV, ByteBuffer(bytes: forged), fragments[2], fragments[3]] {
            let outputs = ResponderFixtures.send(datagram, from: peer, to: &engine)
            transmits += outputs.transmits
            drops += outputs.dropReasons
        }
        #expect(transmits.isEmpty)
        #expect(drops.count == 2)
        #expect(drops.allSatisfy { $0.code == .integrityCheckFailed })
        let last = ResponderFixtures.send(fragments[1], from: peer, to: &engine)
        #expect(Fixtures.isEstablished(last), "\(last.dropReasons)")
        #expect(engine.establishedSPIs.count == 1)
    }

    @Test("RFC 7383 §2.6: a larger Total Fragments replaces the fragments kept; a smaller one is discarded")
    func inconsistentTotals() throws {
        var (peer, engine) = try Fixtures.responder(seed: 23)
        let payloads = try Fixtures.authPayloads(peer)
        // The same request fragmented twice, as a sender that retransmits with a smaller
        // fragment size does (RFC 7383 §2.5.2).
        let three = try Fixtures.fragments(&peer, payloads, count: 3)
        let five = try Fixtures.fragments(&peer, payloads, count: 5)
        for datagram in three.prefix(2) {
            let outputs = ResponderFixtures.send(datagram, from: peer, to: &engine)
            #expect(outputs.dropReasons.isEmpty && outputs.transmits.isEmpty)
        }
        let restart = ResponderFixtures.send(five[0], from: peer, to: &engine)
        #expect(restart.dropReasons.count == 1)
        #expect(restart.dropCodes == [.fragmentsSuperseded])
        // Fragment 3 of 3 would complete the first set: it must be discarded instead.
        let stale = ResponderFixtures.send(three[2], from: peer, to: &engine)
        #expect(stale.transmits.isEmpty)
        #expect(!Fixtures.isEstablished(stale))
        #expect(stale.dropCodes.first == .fragmentOfEarlierTransmission)
        for datagram in five[1...3] {
            let outputs = ResponderFixtures.send(datagram, from: peer, to: &engine)
            #expect(outputs.dropReasons.isEmpty && outputs.transmits.isEmpty)
        }
        let last = ResponderFixtures.send(five[4], from: peer, to: &engine)
        #expect(Fixtures.isEstablished(last), "\(last.dropReasons)")
        #expect(engine.reassemblyByteCount == 0)
    }

    @Test("Fragments announcing more than maximumFragments are dropped unopened and counted; the SA stays usable")
    func tooManyFragments() throws {
        var (peer, engine) = try Fixtures.responder(seed: 24) { $0.fragmentation.maximumFragments = 4 }
        let payloads = try Fixtures.authPayloads(peer)
        var transmits: [IKETransmit] = []
        var drops: [IKEDropReason] = []
        for datagram in try Fixtures.fragments(&peer, payloads, count: 6) {
            let outputs = ResponderFixtures.send(datagram, from: peer, to: &engine)
            transmits += outputs.transmits
            drops += outputs.dropReasons
        }
        #expect(transmits.isEmpty)
        #expect(drops.count == 6)
        #expect(drops.allSatisfy { $0.code == .tooManyFragments })
        #expect(engine.reassemblyByteCount == 0)
        #expect(engine.halfOpenSACount == 1)
        // Within the limit, the same request goes through.
        var established = false
        for datagram in try Fixtures.fragments(&peer, payloads, count: 4) {
            established = Fixtures.isEstablished(ResponderFixtures.send(datagram, from: peer, to: &engine)) || established
        }
        #expect(established)
    }

    @Test("Fragments adding up to more than maximumMessageSize drop the whole message, counted, and never complete")
    func messageTooLarge() throws {
        let limit = 100
        var (peer, engine) = try Fixtures.responder(seed: 25) { $0.fragmentation.maximumMessageSize = limit }
        let payloads = try Fixtures.authPayloads(peer)
        var inner = ByteBuffer()
        _ = try IKEPayload.encodeChain(payloads, to: &inner)
        try #require(inner.readableBytes > limit)
        let fragments = try Fixtures.fragments(&peer, payloads, count: 4)
        var transmits: [IKETransmit] = []
        var drops: [IKEDropReason] = []
        for datagram in fragments + fragments {
            let outputs = ResponderFixtures.send(datagram, from: peer, to: &engine)
            transmits += outputs.transmits
            drops += outputs.dropReasons
            #expect(engine.reassemblyByteCount <= limit)
        }
        #expect(transmits.isEmpty)
        #expect(drops.contains { $0.code == .messageTooLarge })
        #expect(engine.establishedSPIs.isEmpty)
    }

    @Test("Reassembly state goes when the SA closes, and when a whole SK copy of the message arrives")
    func reassemblyStateIsFreed() throws {
        // A half-open SA that times out takes its fragments with it.
        var (peer, engine) = try Fixtures.responder(seed: 26)
        let fragments = try Fixtures.fragments(&peer, try Fixtures.authPayloads(peer), count: 4)
        _ = ResponderFixtures.send(fragments[0], from: peer, to: &engine)
        _ = ResponderFixtures.send(fragments[2], from: peer, to: &engine)
        #expect(engine.reassemblyByteCount > 0)
        let timeout = engine.advance(to: .zero + .seconds(31))
        #expect(timeout.events.contains { if case .ikeSAClosed(_, _, let reason, _) = $0 { reason.code == .halfOpenTimeout } else { false } })
        #expect(engine.ikeSACount == 0)
        #expect(engine.reassemblyByteCount == 0)

        // Two fragments, then the same request whole (SK): it is processed, and the
        // fragments kept for it are let go.
        var (other, responder) = try Fixtures.responder(seed: 27)
        let payloads = try Fixtures.authPayloads(other)
        let parts = try Fixtures.fragments(&other, payloads, count: 4)
        _ = ResponderFixtures.send(parts[1], from: other, to: &responder)
        #expect(responder.reassemblyByteCount > 0)
        let whole = ResponderFixtures.send(try other.request(.ikeAuth, payloads: payloads, messageID: 1), from: other, to: &responder)
        #expect(Fixtures.isEstablished(whole))
        #expect(responder.reassemblyByteCount == 0)
        // Late fragments of the answered request: RFC 7383 §2.6.1, fragment 1 alone
        // brings the (unfragmented) response again.
        let late = ResponderFixtures.send(parts[2], from: other, to: &responder)
        #expect(late.transmits.isEmpty)
        #expect(responder.reassemblyByteCount == 0)
        let again = ResponderFixtures.send(parts[0], from: other, to: &responder)
        #expect(again.transmits.map { Array($0.datagram.readableBytesView) } == whole.transmits.map { Array($0.datagram.readableBytesView) })
    }

    @Test("RFC 7383 §2.5: SKF only from IKE_AUTH on; in IKE_SA_INIT it breaks the payload rules and is dropped")
    func fragmentInSAInit() throws {
        var engine = ResponderFixtures.engine()
        let header = IKEHeader(
            initiatorSPI: 0x0102_0304_0506_0708, responderSPI: 0, exchangeType: .ikeSAInit, flags: .initiator, messageID: 0)
        let fragment = EncryptedFragmentPayload(
            firstPayloadType: .securityAssociation, fragmentNumber: 1, totalFragments: 1,
            data: [UInt8](repeating: 0, count: 48))
        let datagram = try IKEMessage(header: header, payloads: [.encryptedFragment(fragment)]).encoded()
        let outputs = engine.deliver(datagram, from: EngineFixtures.left, to: EngineFixtures.right, now: .zero)
        #expect(outputs.transmits.isEmpty)
        #expect(outputs.dropReasons.count == 1)
        #expect(outputs.dropCodes == [.payloadRulesBroken])
        #expect(engine.ikeSACount == 0)
    }

    // MARK: The pieces

    @Test(
        "RFC 7383 §2.5.1: fragment content size from fragment_size, IP version, non-ESP marker and transform",
        arguments: [
            // fragment_size, IPv6, port 4500, IV + ICV, block size, expected content bytes
            (1280, false, false, 8 + 16, 1, 1280 - 20 - 8 - 28 - 8 - 24 - 1),
            (1280, true, true, 8 + 16, 1, 1280 - 40 - 8 - 4 - 28 - 8 - 24 - 1),
            (576, false, true, 8 + 16, 1, 483),
            // AES-CBC with HMAC-SHA2-256-128: the plaintext is cut to whole 16-byte blocks.
            (1280, false, false, 16 + 16, 16, 1184 - 1),
            (1290, false, false, 16 + 16, 16, 1184 - 1),
            (1296, false, false, 16 + 16, 16, 1200 - 1),
        ])
    func contentLength(_ row: (Int, Bool, Bool, Int, Int, Int)) {
        let (size, isIPv6, hasMarker, overhead, block, expected) = row
        let policy = FragmentationPolicy(fragmentSize: size)
        let content = policy.fragmentContentLength(
            isIPv6: isIPv6, hasNonESPMarker: hasMarker, overhead: overhead, blockSize: block)
        #expect(content == expected)
        // What the fragment then weighs on the wire: exactly within fragment_size.
        if let content {
            let plaintext = (content + 1 + block - 1) / block * block
            let datagram = (isIPv6 ? 40 : 20) + 8 + (hasMarker ? 4 : 0) + 28 + 8 + overhead + plaintext
            #expect(datagram <= size)
            #expect(datagram > size - block)
        }
    }

    @Test("A fragment size with no room for content is refused, not trapped on")
    func tinyFragmentSize() {
        let policy = FragmentationPolicy(fragmentSize: 60)
        #expect(policy.fragmentContentLength(isIPv6: false, hasNonESPMarker: true, overhead: 24, blockSize: 1) == nil)
        #expect(policy.fragmentContentLength(isIPv6: true, hasNonESPMarker: false, overhead: 32, blockSize: 16) == nil)
    }

    @Test(
        "RFC 7383 §2.5: numbering the decoder would refuse is refused by the reassembly too",
        arguments: [(0, 3), (4, 3), (1, 0), (0, 0)])
    func invalidNumbering(_ numbers: (Int, Int)) {
        var reassembly = FragmentReassembly()
        let fragment = EncryptedFragmentPayload(
            firstPayloadType: .noNextPayload, fragmentNumber: UInt16(numbers.0), totalFragments: UInt16(numbers.1), data: [])
        #expect(throws: FragmentReassemblyError(.invalidNumbering, "")) {
            _ = try reassembly.add(fragment, content: ByteBuffer(bytes: [1, 2, 3]))
        }
        #expect(reassembly.receivedCount == 0)
    }

    // MARK: strongSwan

    @Test("strongSwan 5.9.8's fragmented IKE_AUTH (8 + 8 SKF, fragment_size 576) reassembles to its full payload chains")
    func strongSwanFragments() throws {
        let log = try CharonKeyLog(named: "frag-rsa4096-left")
        let messages = try CharonKeyLog.messages("frag-rsa4096").mapValues { ByteBuffer(bytes: $0) }
        let encryption = try CryptoProvider.default.encryptionAlgorithm(.aesGCM16, keyBits: 128)
        let initiatorSide = try SKPayloadProtection(
            encryption: encryption, encryptionKey: SecretBytes(try log.value("Sk_ei secret")), integrity: nil,
            integrityKey: nil)
        let responderSide = try SKPayloadProtection(
            encryption: encryption, encryptionKey: SecretBytes(try log.value("Sk_er secret")), integrity: nil,
            integrityKey: nil)
        // charon.fragment_size = 576 over IPv4 on port 4500 (NAT-T framing is stripped in
        // the fixture): Cygnet's arithmetic gives the same fragments as charon's.
        let policy = FragmentationPolicy(fragmentSize: 576)
        let fullLength = policy.maximumMessageLength(isIPv6: false, hasNonESPMarker: true)
        let fullContent = policy.fragmentContentLength(
            isIPv6: false, hasNonESPMarker: true, overhead: initiatorSide.overhead, blockSize: initiatorSide.blockSize)
        #expect(fullLength == 544)

        var chains: [Bool: [IKEPayload]] = [:]
        for isResponse in [false, true] {
            let protection = isResponse ? responderSide : initiatorSide
            let frames = try messages.sorted { $0.key < $1.key }.map { (bytes: $0.value, message: try IKEMessage(decoding: $0.value)) }
                .filter { $0.message.header.exchangeType == .ikeAuth && $0.message.header.isResponse == isResponse }
            #expect(frames.count == 8)
            var reassembly = FragmentReassembly(policy: FragmentationPolicy())
            var chain: [IKEPayload]?
            // Last fragment first: the order they arrive in does not matter.
            for (index, frame) in frames.reversed().enumerated() {
                guard case .encryptedFragment(let fragment)? = frame.message.payloads.last else {
                    Issue.record("frame is not an SKF message")
                    continue
                }
                #expect(fragment.totalFragments == 8)
                let content = try protection.open(frame.bytes)
                if fragment.fragmentNumber < 8 {
                    #expect(frame.bytes.readableBytes == fullLength)
                    #expect(content.readableBytes == fullContent)
                }
                switch try reassembly.add(fragment, content: content) {
                case .incomplete(let received, let total):
                    #expect(received == index + 1 && total == 8)
                case .complete(let firstPayloadType, let inner):
                    #expect(index == 7)
                    chain = try IKEPayload.decodeChain(inner, firstPayloadType: firstPayloadType)
                }
            }
            #expect(chain != nil)
            chains[isResponse] = chain
        }
        let request = try #require(chains[false])
        let response = try #require(chains[true])
        // Tests/Fixtures/captures/README.md: IDi CERT CERT N CERTREQ IDr AUTH SA TSi TSr N N N
        // and IDr CERT CERT AUTH SA TSi TSr.
        #expect(request.map(\.type) == [35, 37, 37, 41, 38, 36, 39, 33, 44, 45, 41, 41, 41])
        #expect(response.map(\.type) == [36, 37, 37, 39, 33, 44, 45])
        try IKEMessageRules.rules(for: .ikeAuth, isResponse: false)?.check(decryptedPayloads: request)
        try IKEMessageRules.rules(for: .ikeAuth, isResponse: true)?.check(decryptedPayloads: response)
        let idi = request.compactMap { if case .identificationInitiator(let id) = $0 { id } else { nil } }.first
        let idr = response.compactMap { if case .identificationResponder(let id) = $0 { id } else { nil } }.first
        #expect(idi.map { String(decoding: $0.data, as: UTF8.self) } == "left.lab.test")
        #expect(idr.map { String(decoding: $0.data, as: UTF8.self) } == "right.lab.test")
        for chain in [request, response] {
            let certificates = chain.compactMap { if case .certificate(let c) = $0 { c } else { nil } }
            #expect(certificates.count == 2)
            #expect(certificates.allSatisfy { $0.encoding == .x509Signature && $0.data.first == 0x30 && $0.data.count > 1000 })
        }
    }
}
