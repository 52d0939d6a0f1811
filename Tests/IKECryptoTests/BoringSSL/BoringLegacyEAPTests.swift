import Testing

@testable import IKECrypto

@Suite("MD4, MD5, SHA-1 and single DES for EAP (RFC 1320, RFC 1321, FIPS 180, FIPS 46-3)")
struct BoringLegacyEAPTests {
    typealias H = BoringTestSupport

    /// Source: RFC 1320 §A.5 (MD4 test suite), RFC 1321 §A.5 (MD5 test suite), FIPS 180-2
    /// Appendix A.1 (SHA-1 "abc").
    @Test(
        "Digest known answers",
        arguments: [
            (LegacyDigest.Algorithm.md4, "", "31d6cfe0d16ae931b73c59d7e0c089c0"),
            (.md4, "abc", "a448017aaf21d8525fc10ae87aa6729d"),
            (.md4, "message digest", "d9130a8164549fe818874806e1c7014b"),
            (.md4, "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
             "e33b4ddc9c38f2199c3e7b164fcc0536"),
            (.md5, "abc", "900150983cd24fb0d6963f7d28e17f72"),
            (.md5, "message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            (.sha1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ])
    func digest(algorithm: LegacyDigest.Algorithm, input: String, expected: String) {
        let digest = LegacyDigest.hash(algorithm, [SecretBytes(Array(input.utf8))])
        #expect(digest.unprotectedBytes == H.hex(expected))
        #expect(digest.count == algorithm.length)
    }

    @Test("Input given in parts digests as the whole")
    func parts() {
        var digest = LegacyDigest(.md4)
        digest.update(Array("message ".utf8))
        digest.update(SecretBytes(Array("digest".utf8)))
        #expect(digest.finalize().unprotectedBytes == H.hex("d9130a8164549fe818874806e1c7014b"))
    }

    /// Source: the worked example of J. Orlin Grabbe, "The DES Algorithm Illustrated":
    /// key 133457799BBCDFF1, plaintext 0123456789ABCDEF, ciphertext 85E813540F0AB405. The
    /// 56-bit key is that key without its parity bits.
    @Test("Single DES block with a 56-bit key")
    func singleDES() throws {
        let ciphertext = try SingleDES.encrypt(block: H.hex("0123456789abcdef"), key56: SecretBytes(H.hex("12695bc9b7b7f8")))
        #expect(ciphertext == H.hex("85e813540f0ab405"))
    }

    @Test("Single DES refuses wrong sizes with a typed error")
    func singleDESSizes() {
        #expect(throws: IKECryptoError(.invalidKeyLength)) {
            try SingleDES.encrypt(block: [UInt8](repeating: 0, count: 8), key56: SecretBytes([UInt8](repeating: 0, count: 8)))
        }
        #expect(throws: IKECryptoError(.invalidParameter)) {
            try SingleDES.encrypt(block: [UInt8](repeating: 0, count: 7), key56: SecretBytes([UInt8](repeating: 0, count: 7)))
        }
    }
}
