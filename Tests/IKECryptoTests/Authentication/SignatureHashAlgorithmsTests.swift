import IKECrypto
import IKEWire
import Testing

@Suite("SIGNATURE_HASH_ALGORITHMS notify data and scheme choice (RFC 7427 §4, RFC 8420)")
struct SignatureHashAlgorithmsTests {
    @Test("Cygnet sends SHA2-256, SHA2-384, SHA2-512, Identity as 2-octet numbers")
    func defaultList() {
        #expect(SignatureHashAlgorithms.cygnetDefault.encoded == [0, 2, 0, 3, 0, 4, 0, 5])
    }

    @Test("Decoding round-trips, keeping unknown values")
    func roundTrip() throws {
        let data: [UInt8] = [0, 1, 0, 2, 0, 5, 0x12, 0x34]
        let list = try SignatureHashAlgorithms(decoding: data)
        #expect(list.algorithms == [.sha1, .sha2_256, .identity, HashAlgorithm(rawValue: 0x1234)])
        #expect(list.encoded == data)
        #expect(try SignatureHashAlgorithms(decoding: [UInt8]()).algorithms.isEmpty)
    }

    @Test("Odd-length data is a typed error", arguments: [1, 3, 5, 9])
    func oddLength(count: Int) {
        #expect(throws: IKECryptoError(.invalidParameter)) {
            try SignatureHashAlgorithms(decoding: [UInt8](repeating: 0, count: count))
        }
    }

    @Test("Scheme choice for each key type and peer list", arguments: [
        (KeyType.rsa(bits: 2048), [HashAlgorithm.sha2_256, .sha2_384], SignatureScheme.rsaPKCS1v15(.sha2_256)),
        (.rsa(bits: 3072), [.sha2_512], .rsaPKCS1v15(.sha2_512)),
        (.rsa(bits: 2048), [.sha1], .rsaSHA1),
        (.p256, [.sha2_512, .sha2_256], .ecdsa(.sha2_256)),
        (.p384, [.sha2_256, .sha2_384], .ecdsa(.sha2_384)),
        (.p521, [.sha2_256, .sha2_512], .ecdsa(.sha2_512)),
        (.p384, [.sha2_256], .ecdsa(.sha2_256)),
        (.p256, [.identity], .ecdsaP256SHA256),
        (.ed25519, [.sha2_256, .identity], .ed25519),
    ])
    func choice(keyType: KeyType, peer: [HashAlgorithm], expected: SignatureScheme) throws {
        #expect(try SignatureScheme.preferred(for: keyType, peerHashes: SignatureHashAlgorithms(peer)) == expected)
    }

    @Test("Without the notify, RSA uses method 1 and ECDSA methods 9-11 (RFC 7427 §4)")
    func noNotify() throws {
        #expect(try SignatureScheme.preferred(for: .rsa(bits: 2048), peerHashes: nil) == .rsaSHA1)
        #expect(try SignatureScheme.preferred(for: .p256, peerHashes: nil) == .ecdsaP256SHA256)
        #expect(try SignatureScheme.preferred(for: .p384, peerHashes: nil) == .ecdsaP384SHA384)
        #expect(try SignatureScheme.preferred(for: .p521, peerHashes: nil) == .ecdsaP521SHA512)
    }

    @Test("PSS is chosen on request, with salt length = hash length")
    func pss() throws {
        #expect(
            try SignatureScheme.preferred(
                for: .rsa(bits: 2048), peerHashes: .cygnetDefault, preferPSS: true) == .rsaPSS(.sha2_256, saltLength: 32))
    }

    @Test("Ed25519 needs the Identity hash (RFC 8420 §2)")
    func ed25519NeedsIdentity() {
        #expect(throws: IKECryptoError(.invalidSignature)) {
            try SignatureScheme.preferred(for: .ed25519, peerHashes: nil)
        }
        #expect(throws: IKECryptoError(.invalidSignature)) {
            try SignatureScheme.preferred(for: .ed25519, peerHashes: SignatureHashAlgorithms([.sha2_256]))
        }
    }
}
