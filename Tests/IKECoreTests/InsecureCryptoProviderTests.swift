import IKEConfig
import IKECore
import IKECrypto
import IKETestSupport
import IKEWire
import NIOCore
import Testing

@Suite("The insecure deterministic provider (test-only) establishes SAs and still checks ICVs")
struct InsecureCryptoProviderTests {
    static func insecureNetwork(seed: UInt64 = 1) -> SimulatedNetwork {
        var network = EngineFixtures.network(seed: seed)
        for index in network.nodes.indices {
            network.nodes[index].engine.configuration.provider = InsecureCryptoProvider.provider
        }
        return network
    }

    @Test("RFC 7296 §1.2: two engines on the insecure provider establish an IKE SA and a Child SA with matching SPIs and keys")
    func establishes() throws {
        var network = Self.insecureNetwork()
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        let left = network.nodes[0]
        let right = network.nodes[1]
        #expect(EngineFixtures.isEstablished(left))
        #expect(EngineFixtures.isEstablished(right))
        let leftChild = try #require(EngineFixtures.installations(left).first)
        let rightChild = try #require(EngineFixtures.installations(right).first)
        #expect(leftChild.outboundSPI == rightChild.inboundSPI)
        #expect(leftChild.inboundSPI == rightChild.outboundSPI)
        #expect(leftChild.outboundEncryptionKey == rightChild.inboundEncryptionKey)
        #expect(leftChild.encryption == .aesGCM16)
        #expect(network.sent == 4)
    }

    @Test("The same seeds give the same keys; a different seed gives different ones")
    func deterministic() throws {
        func key(seed: UInt64) throws -> [UInt8] {
            var network = Self.insecureNetwork(seed: seed)
            try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
            network.run()
            return try #require(EngineFixtures.installations(network.nodes[0]).first).outboundEncryptionKey.unprotectedBytes
        }
        #expect(try key(seed: 3) == key(seed: 3))
        #expect(try key(seed: 3) != key(seed: 4))
    }

    @Test("A different PSK still fails AUTH (RFC 7296 §2.15): the PRF depends on its key")
    func wrongPSK() throws {
        var network = EngineFixtures.network(rightSecret: "another-secret-entirely")
        for index in network.nodes.indices {
            network.nodes[index].engine.configuration.provider = InsecureCryptoProvider.provider
        }
        try network.command(0, .initiate(peer: "lab", local: EngineFixtures.left, remote: EngineFixtures.right))
        network.run()
        #expect(EngineFixtures.closeReasons(network.nodes[1]).map(\.code) == [.authenticationFailed])
    }

    @Test("The insecure AEAD round-trips, and a flipped bit anywhere fails its ICV check (RFC 7296 §2.21.2 path)")
    func aeadChecksICV() throws {
        let protection = try SKPayloadProtection(
            encryption: .aead(InsecureAEAD()), encryptionKey: SecretBytes(Array(0..<36)), integrity: nil,
            integrityKey: nil)
        var random = SeededRandomSource(seed: 9)
        let inner: [IKEPayload] = [.notify(NotifyPayload(type: .initialContact))]
        var chain = ByteBuffer()
        let first = try IKEPayload.encodeChain(inner, to: &chain)
        let sealed = try protection.seal(
            header: IKEHeader(initiatorSPI: 1, responderSPI: 2, exchangeType: .informational, flags: .initiator, messageID: 2),
            innerFirstPayload: first, inner: chain, random: &random)
        #expect(try protection.decryptPayloads(sealed) == inner)
        let bytes = Array(sealed.readableBytesView)
        for offset in [0, 17, 28, 32, bytes.count - 20, bytes.count - 1] {
            var tampered = bytes
            tampered[offset] ^= 0x01
            #expect(throws: IKECryptoError.self) { try protection.open(ByteBuffer(bytes: tampered)) }
        }
    }

    @Test("The XOR key exchange agrees both ways and refuses bad values (length, all-zero result)")
    func keyExchange() throws {
        var random = SeededRandomSource(seed: 5)
        let method = InsecureKeyExchange()
        let share = try method.generate(using: &random)
        let answer = try method.respond(to: share.publicValue, using: &random)
        #expect(try share.complete(peerValue: answer.publicValue) == answer.sharedSecret)
        #expect(throws: IKECryptoError(.invalidPublicValue, "")) { try share.complete(peerValue: [1, 2, 3]) }
        #expect(throws: IKECryptoError(.invalidPublicValue, "")) { try share.complete(peerValue: share.publicValue) }
    }

    @Test("InsecureSessionKeys recomputes the SA's keys from the two IKE_SA_INIT messages")
    func sessionKeys() throws {
        let scenarios = try #require(ResponderFuzzHarness.scenarios)
        let keys = scenarios.established.keys
        let auth = try #require(scenarios.established.authRequest)
        let payloads = try keys.initiatorToResponder.decryptPayloads(auth)
        #expect(payloads.contains { $0.type == .authentication })
        #expect(payloads.contains { $0.type == .identificationInitiator })
    }
}
