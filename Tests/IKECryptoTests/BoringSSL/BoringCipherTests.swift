import IKEWire
import Testing

@testable import IKECrypto

/// One cipher known answer; for AES-CTR the key includes the 4-byte nonce.
struct BoringCipherVector: Sendable, CustomTestStringConvertible {
    var name: String
    var key: String
    var iv: String
    var plaintext: String
    var ciphertext: String

    var testDescription: String { name }
}

@Suite("BoringSSL ciphers (RFC 3602, RFC 3686, RFC 2451, RFC 2410)")
struct BoringCipherTests {
    typealias H = BoringTestSupport

    static let singleBlock = "53696e676c6520626c6f636b206d7367"  // "Single block msg"
    static let count32 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    static let count36 = count32 + "20212223"

    /// Sources: RFC 3602 §4, Cases #1–#3 (AES-128-CBC); NIST SP 800-38A Appendix F.2.3
    /// and F.2.5 (CBC-AES192/256, first two blocks) for the longer keys.
    static let cbcCases: [BoringCipherVector] = [
        .init(name: "RFC 3602 Case #1", key: "06a9214036b8a15b512e03d534120006", iv: "3dafba429d9eb430b422da802c9fac41",
              plaintext: singleBlock, ciphertext: "e353779c1079aeb82708942dbe77181a"),
        .init(name: "RFC 3602 Case #2", key: "c286696d887c9aa0611bbb3e2025a45a", iv: "562e17996d093d28ddb3ba695a2e6f58",
              plaintext: count32, ciphertext: "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1"),
        .init(name: "RFC 3602 Case #3", key: "56e47a38c5598974bc46903dba290349", iv: "8ce82eefbea0da3c44699ed7db51b7d9",
              plaintext:
                "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf",
              ciphertext:
                "c30e32ffedc0774e6aff6af0869f71aa0f3af07a9a31a9c684db207eb0ef8e4e35907aa632c3ffdf868bb7b29d3d46ad83ce9f9a102ee99d49a53e87f4c3da55"),
        .init(name: "SP 800-38A F.2.3 (AES-192)", key: "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
              iv: "000102030405060708090a0b0c0d0e0f",
              plaintext: "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51",
              ciphertext: "4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a"),
        .init(name: "SP 800-38A F.2.5 (AES-256)", key: "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
              iv: "000102030405060708090a0b0c0d0e0f",
              plaintext: "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51",
              ciphertext: "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"),
    ]

    /// Source: RFC 3686 §6, Test Vectors #1–#9 (key material = AES key ‖ nonce).
    static let ctrCases: [BoringCipherVector] = [
        .init(name: "RFC 3686 #1", key: "ae6852f8121067cc4bf7a5765577f39e" + "00000030", iv: "0000000000000000",
              plaintext: singleBlock, ciphertext: "e4095d4fb7a7b3792d6175a3261311b8"),
        .init(name: "RFC 3686 #2", key: "7e24067817fae0d743d6ce1f32539163" + "006cb6db", iv: "c0543b59da48d90b",
              plaintext: count32, ciphertext: "5104a106168a72d9790d41ee8edad388eb2e1efc46da57c8fce630df9141be28"),
        .init(name: "RFC 3686 #3", key: "7691be035e5020a8ac6e618529f9a0dc" + "00e0017b", iv: "27777f3f4a1786f0",
              plaintext: count36,
              ciphertext: "c1cf48a89f2ffdd9cf4652e9efdb72d74540a42bde6d7836d59a5ceaaef3105325b2072f"),
        .init(name: "RFC 3686 #4", key: "16af5b145fc9f579c175f93e3bfb0eed863d06ccfdb78515" + "00000048",
              iv: "36733c147d6d93cb", plaintext: singleBlock, ciphertext: "4b55384fe259c9c84e7935a003cbe928"),
        .init(name: "RFC 3686 #5", key: "7c5cb2401b3dc33c19e7340819e0f69c678c3db8e6f6a91a" + "0096b03b",
              iv: "020c6eadc2cb500d", plaintext: count32,
              ciphertext: "453243fc609b23327edfaafa7131cd9f8490701c5ad4a79cfc1fe0ff42f4fb00"),
        .init(name: "RFC 3686 #6", key: "02bf391ee8ecb159b959617b0965279bf59b60a786d3e0fe" + "0007bdfd",
              iv: "5cbd60278dcc0912", plaintext: count36,
              ciphertext: "96893fc55e5c722f540b7dd1ddf7e758d288bc95c69165884536c811662f2188abee0935"),
        .init(name: "RFC 3686 #7", key: "776beff2851db06f4c8a0542c8696f6c6a81af1eec96b4d37fc1d689e6c1c104" + "00000060",
              iv: "db5672c97aa8f0b2", plaintext: singleBlock, ciphertext: "145ad01dbf824ec7560863dc71e3e0c0"),
        .init(name: "RFC 3686 #8", key: "f6d66d6bd52d59bb0796365879eff886c66dd51a5b6a99744b50590c87a23884" + "00faac24",
              iv: "c1585ef15a43d875", plaintext: count32,
              ciphertext: "f05e231b3894612c49ee000b804eb2a9b8306b508f839d6a5530831d9344af1c"),
        .init(name: "RFC 3686 #9", key: "ff7a617ce69148e4f1726e2f43581de2aa62d9f805532edff1eed687fb54153d" + "001cc5b7",
              iv: "51a51d70a1c11148", plaintext: count36,
              ciphertext: "eb6c52821d0bbbf7ce7594462aca4faab407df866569fd07f48cc0b583d6071f1ec0e6b8"),
    ]

    /// Source: NIST CAVP TDES Multi-block Message Test (TCBCMMT3), examples 1 and 2
    /// (three-key 3DES-CBC, as ENCR_3DES uses per RFC 2451).
    static let tripleDESCases: [BoringCipherVector] = [
        .init(name: "TCBCMMT3 #1", key: "627f460e08104a1043cd265d5840eaf1313edf97df2a8a8c", iv: "8e29f75ea77e5475",
              plaintext: "326a494cd33fe756", ciphertext: "b22b8d66de970692"),
        .init(name: "TCBCMMT3 #2", key: "37ae5ebf46dff2dc0754b94f31cbb3855e7fd36dc870bfae", iv: "3d1de3cc132e3b65",
              plaintext: "84401f78fe6c10876d8ea23094ea5309", ciphertext: "7b1f7c7e3b1c948ebd04a75ffba7d2f5"),
    ]

    static func check(_ vector: BoringCipherVector, cipher: BoringCipher) throws {
        let context = try cipher.makeContext(key: SecretBytes(H.hex(vector.key)))
        let iv = H.hex(vector.iv)
        let encrypted = try H.crypt(context, encrypt: true, iv: iv, data: H.hex(vector.plaintext))
        #expect(encrypted == H.hex(vector.ciphertext))
        #expect(try H.crypt(context, encrypt: false, iv: iv, data: encrypted) == H.hex(vector.plaintext))
    }

    @Test("AES-CBC known answers (RFC 3602 §4, SP 800-38A F.2)", arguments: cbcCases)
    func cbc(_ vector: BoringCipherVector) throws {
        let cipher = try #require(BoringCipher.aesCBC(keyBits: vector.key.count * 4))
        #expect(cipher.ivLength == 16 && cipher.blockSize == 16 && cipher.keyMaterialLength == vector.key.count / 2)
        try Self.check(vector, cipher: cipher)
    }

    @Test("AES-CTR known answers (RFC 3686 §6)", arguments: ctrCases)
    func ctr(_ vector: BoringCipherVector) throws {
        let cipher = try #require(BoringCipher.aesCTR(keyBits: (vector.key.count / 2 - 4) * 8))
        #expect(cipher.ivLength == 8 && cipher.blockSize == 1 && cipher.keyMaterialLength == vector.key.count / 2)
        try Self.check(vector, cipher: cipher)
    }

    @Test("3DES-CBC known answers (RFC 2451, NIST TCBCMMT3)", arguments: tripleDESCases)
    func tripleDES(_ vector: BoringCipherVector) throws {
        let cipher = BoringCipher.tripleDES
        #expect(cipher.id == .tripleDES && cipher.ivLength == 8 && cipher.blockSize == 8 && cipher.isLegacy)
        try Self.check(vector, cipher: cipher)
    }

    @Test("NULL leaves data alone and is ESP-only (RFC 2410 §2)")
    func null() throws {
        let cipher = BoringCipher.null
        #expect(cipher.id == .null && cipher.isESPOnly && !cipher.isLegacy)
        #expect(cipher.keyMaterialLength == 0 && cipher.ivLength == 0 && cipher.blockSize == 1)
        let context = try cipher.makeContext(key: SecretBytes([]))
        #expect(try H.crypt(context, encrypt: true, iv: [], data: [1, 2, 3]) == [1, 2, 3])
        #expect(H.errorCode { _ = try H.crypt(context, encrypt: true, iv: [0], data: [1]) } == .invalidCiphertext)
        #expect(H.errorCode { _ = try cipher.makeContext(key: SecretBytes([1])) } == .invalidKeyLength)
    }

    @Test("CTR counter carries across block boundaries: long data matches block-by-block (RFC 3686 §4)")
    func ctrStream() throws {
        let cipher = try #require(BoringCipher.aesCTR(keyBits: 256))
        var random = BoringTestRandom(seed: 3686)
        let context = try cipher.makeContext(key: random.secretBytes(36))
        let iv = random.bytes(8)
        let data = random.bytes(1403)
        let whole = try H.crypt(context, encrypt: true, iv: iv, data: data)
        #expect(whole.count == 1403 && whole != data)
        #expect(try H.crypt(context, encrypt: false, iv: iv, data: whole) == data)
        // A prefix encrypts to the prefix of the keystream.
        #expect(try H.crypt(context, encrypt: true, iv: iv, data: Array(data.prefix(17))) == Array(whole.prefix(17)))
    }

    static let allCiphers: [BoringCipher] =
        [128, 192, 256].compactMap { BoringCipher.aesCBC(keyBits: $0) }
        + [128, 192, 256].compactMap { BoringCipher.aesCTR(keyBits: $0) } + [.tripleDES]

    @Test("Wrong key, IV or data lengths are typed errors (RFC 3602 §2.4)", arguments: allCiphers)
    func badSizes(_ cipher: BoringCipher) throws {
        for length in [0, cipher.keyMaterialLength - 1, cipher.keyMaterialLength + 1] {
            #expect(
                H.errorCode { _ = try cipher.makeContext(key: SecretBytes([UInt8](repeating: 7, count: length))) }
                    == .invalidKeyLength)
        }
        let context = try cipher.makeContext(key: SecretBytes([UInt8](repeating: 7, count: cipher.keyMaterialLength)))
        let iv = [UInt8](repeating: 1, count: cipher.ivLength)
        for encrypt in [true, false] {
            #expect(H.errorCode { _ = try H.crypt(context, encrypt: encrypt, iv: Array(iv.dropLast()), data: [UInt8](repeating: 0, count: 16)) } == .invalidCiphertext)
            #expect(H.errorCode { _ = try H.crypt(context, encrypt: encrypt, iv: iv + [0], data: [UInt8](repeating: 0, count: 16)) } == .invalidCiphertext)
            let ragged = H.errorCode { _ = try H.crypt(context, encrypt: encrypt, iv: iv, data: [UInt8](repeating: 0, count: 17)) }
            #expect(ragged == (cipher.blockSize == 1 ? nil : .invalidCiphertext))
            #expect(try H.crypt(context, encrypt: encrypt, iv: iv, data: []) == [])
        }
    }
}
