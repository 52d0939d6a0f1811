import IKEWire
import Testing

@testable import IKECrypto

/// One AEAD known answer: key material = key ‖ salt, nonce = salt ‖ IV.
struct BoringAEADVector: Sendable, CustomTestStringConvertible {
    var name: String
    var key: String
    var salt: String
    var iv: String
    var aad: String
    var plaintext: String
    var ciphertext: String
    var tag: String

    var testDescription: String { name }
}

@Suite("BoringSSL AEADs (RFC 4106, RFC 5282, RFC 7634)")
struct BoringAEADTests {
    typealias H = BoringTestSupport

    static let p3 =
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
    static let p4 = String(p3.prefix(120))
    static let a4 = "feedfacedeadbeeffeedfacedeadbeefabaddad2"
    static let k3 = "feffe9928665731c6d6a8f9467308308"

    /// Source: McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", revised
    /// 2005, Appendix B, the test cases with a 96-bit IV (the only IV length RFC 4106 §3.1
    /// and RFC 5282 use): 1–4 (AES-128), 7–10 (AES-192), 13–16 (AES-256). The first 4
    /// bytes of each IV are the salt, the last 8 the per-message IV.
    static let gcmSpecCases: [BoringAEADVector] = [
        .init(name: "GCM TC1", key: String(repeating: "00", count: 16), salt: "00000000", iv: "0000000000000000",
              aad: "", plaintext: "", ciphertext: "", tag: "58e2fccefa7e3061367f1d57a4e7455a"),
        .init(name: "GCM TC2", key: String(repeating: "00", count: 16), salt: "00000000", iv: "0000000000000000",
              aad: "", plaintext: String(repeating: "00", count: 16), ciphertext: "0388dace60b6a392f328c2b971b2fe78",
              tag: "ab6e47d42cec13bdf53a67b21257bddf"),
        .init(name: "GCM TC3", key: k3, salt: "cafebabe", iv: "facedbaddecaf888", aad: "", plaintext: p3,
              ciphertext:
                "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
              tag: "4d5c2af327cd64a62cf35abd2ba6fab4"),
        .init(name: "GCM TC4", key: k3, salt: "cafebabe", iv: "facedbaddecaf888", aad: a4, plaintext: p4,
              ciphertext:
                "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
              tag: "5bc94fbc3221a5db94fae95ae7121a47"),
        .init(name: "GCM TC7", key: String(repeating: "00", count: 24), salt: "00000000", iv: "0000000000000000",
              aad: "", plaintext: "", ciphertext: "", tag: "cd33b28ac773f74ba00ed1f312572435"),
        .init(name: "GCM TC8", key: String(repeating: "00", count: 24), salt: "00000000", iv: "0000000000000000",
              aad: "", plaintext: String(repeating: "00", count: 16), ciphertext: "98e7247c07f0fe411c267e4384b0f600",
              tag: "2ff58d80033927ab8ef4d4587514f0fb"),
        .init(name: "GCM TC9", key: k3 + "feffe9928665731c", salt: "cafebabe", iv: "facedbaddecaf888", aad: "",
              plaintext: p3,
              ciphertext:
                "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256",
              tag: "9924a7c8587336bfb118024db8674a14"),
        .init(name: "GCM TC10", key: k3 + "feffe9928665731c", salt: "cafebabe", iv: "facedbaddecaf888", aad: a4,
              plaintext: p4,
              ciphertext:
                "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710",
              tag: "2519498e80f1478f37ba55bd6d27618c"),
        .init(name: "GCM TC13", key: String(repeating: "00", count: 32), salt: "00000000", iv: "0000000000000000",
              aad: "", plaintext: "", ciphertext: "", tag: "530f8afbc74536b9a963b4f1c4cb738b"),
        .init(name: "GCM TC14", key: String(repeating: "00", count: 32), salt: "00000000", iv: "0000000000000000",
              aad: "", plaintext: String(repeating: "00", count: 16), ciphertext: "cea7403d4d606b6e074ec5d3baf39d18",
              tag: "d0d1c8a799996bf0265b98b5d48ab919"),
        .init(name: "GCM TC15", key: k3 + k3, salt: "cafebabe", iv: "facedbaddecaf888", aad: "", plaintext: p3,
              ciphertext:
                "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
              tag: "b094dac5d93471bdec1a502270e3cc6c"),
        .init(name: "GCM TC16", key: k3 + k3, salt: "cafebabe", iv: "facedbaddecaf888", aad: a4, plaintext: p4,
              ciphertext:
                "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
              tag: "76fc6ece0f4e1768cddf8853bb2d551b"),
    ]

    /// Sources: RFC 8439 §2.8.2 (the AEAD example, nonce 07000000 ‖ 4041424344454647);
    /// RFC 7634 Appendix A (ESP: AAD = SPI ‖ sequence number) and Appendix B (IKEv2: AAD
    /// = IKE header ‖ SK payload header).
    static let chachaCases: [BoringAEADVector] = [
        .init(
            name: "RFC 8439 §2.8.2",
            key: "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", salt: "07000000",
            iv: "4041424344454647", aad: "50515253c0c1c2c3c4c5c6c7",
            plaintext:
                "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a204966204920636f756c64206f6666657220796f75206f6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73637265656e20776f756c642062652069742e",
            ciphertext:
                "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116",
            tag: "1ae10b594f09e26a7e902ecbd0600691"),
        .init(
            name: "RFC 7634 Appendix A (ESP)",
            key: "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", salt: "a0a1a2a3",
            iv: "1011121314151617", aad: "0102030400000005",
            plaintext:
                "45000054a6f200004001e778c6336405c000020508005b7a3a080000553bec100007362708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363701020204",
            ciphertext:
                "24039428b97f417e3c13753a4f05087b67c352e6a7fab1b982d466ef407ae5c614ee8099d52844eb61aa95dfab4c02f72aa71e7c4c4f64c9befe2facc638e8f3cbec163fac469b502773f6fb94e664da9165b82829f641e0",
            tag: "76aaa8266b7fb0f7b11b369907e1ad43"),
        .init(
            name: "RFC 7634 Appendix B (IKEv2)",
            key: "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", salt: "a0a1a2a3",
            iv: "1011121314151617", aad: "c0c1c2c3c4c5c6c7d0d1d2d3d4d5d6d72e202500000000090000004529000029",
            plaintext: "0000000c000040010000000a00", ciphertext: "610394701f8d017f7c12924889",
            tag: "6b71bfe25236efd7cdc67066906315b2"),
    ]

    static func check(_ vector: BoringAEADVector, algorithm: BoringAEAD) throws {
        let context = try algorithm.makeContext(keyMaterial: SecretBytes(H.hex(vector.key + vector.salt)))
        let iv = H.hex(vector.iv)
        let aad = H.hex(vector.aad)
        let sealed = try H.seal(context, iv: iv, aad: aad, plaintext: H.hex(vector.plaintext))
        #expect(sealed.ciphertext == H.hex(vector.ciphertext))
        #expect(sealed.icv == Array(H.hex(vector.tag).prefix(algorithm.icvLength)))
        let opened = try H.open(context, iv: iv, aad: aad, ciphertext: sealed.ciphertext, icv: sealed.icv)
        #expect(opened == H.hex(vector.plaintext))
    }

    @Test("AES-GCM-16 known answers (GCM spec Appendix B; RFC 4106 §3.1 nonce)", arguments: gcmSpecCases)
    func gcm16(_ vector: BoringAEADVector) throws {
        let algorithm = try #require(BoringAEAD.aesGCM(icvLength: 16, keyBits: vector.key.count * 4))
        try Self.check(vector, algorithm: algorithm)
    }

    @Test("AES-GCM-8/12 ICV is the truncated 16-byte tag (RFC 4106, RFC 5282)", arguments: gcmSpecCases, [8, 12])
    func gcmShortICV(_ vector: BoringAEADVector, icvLength: Int) throws {
        let algorithm = try #require(BoringAEAD.aesGCM(icvLength: icvLength, keyBits: vector.key.count * 4))
        #expect(algorithm.id == (icvLength == 8 ? .aesGCM8 : .aesGCM12))
        try Self.check(vector, algorithm: algorithm)
    }

    @Test("ChaCha20-Poly1305 known answers (RFC 8439 §2.8.2, RFC 7634 Appendix A/B)", arguments: chachaCases)
    func chacha(_ vector: BoringAEADVector) throws {
        try Self.check(vector, algorithm: .chacha20Poly1305)
    }

    @Test("Key material = key + 4-byte salt (RFC 4106 §8.1, RFC 5282 §7.1, RFC 7634 §2)")
    func keyMaterialLengths() {
        let lengths = BoringAEAD.all.map { "\($0.id.rawValue)/\($0.keyBits):\($0.keyMaterialLength)/\($0.icvLength)" }
        #expect(
            lengths == [
                "20/256:36/16", "20/192:28/16", "20/128:20/16", "19/256:36/12", "19/192:28/12", "19/128:20/12",
                "18/256:36/8", "18/192:28/8", "18/128:20/8", "28/256:36/16",
            ])
        #expect(BoringAEAD.all.allSatisfy { $0.ivLength == 8 })
        #expect(BoringAEAD.aesGCM(icvLength: 10, keyBits: 128) == nil)
        #expect(BoringAEAD.aesGCM(icvLength: 16, keyBits: 64) == nil)
    }

    @Test(
        "Tampered tag, ciphertext or AAD fails with authenticationFailed (RFC 4303 §3.4.4)",
        arguments: BoringAEAD.all)
    func tamper(_ algorithm: BoringAEAD) throws {
        var random = BoringTestRandom(seed: UInt64(algorithm.id.rawValue) << 16 | UInt64(algorithm.keyBits))
        let context = try algorithm.makeContext(keyMaterial: random.secretBytes(algorithm.keyMaterialLength))
        let iv = random.bytes(8)
        let aad = random.bytes(8)
        let plaintext = random.bytes(100)
        let sealed = try H.seal(context, iv: iv, aad: aad, plaintext: plaintext)
        #expect(sealed.ciphertext != plaintext)
        #expect(try H.open(context, iv: iv, aad: aad, ciphertext: sealed.ciphertext, icv: sealed.icv) == plaintext)

        var badTag = sealed.icv
        badTag[badTag.count - 1] ^= 0x01
        var badCiphertext = sealed.ciphertext
        badCiphertext[42] ^= 0x80
        var badAAD = aad
        badAAD[0] ^= 0x01
        var badIV = iv
        badIV[7] ^= 0x01
        let failures: [IKECryptoError.Code?] = [
            H.errorCode { _ = try H.open(context, iv: iv, aad: aad, ciphertext: sealed.ciphertext, icv: badTag) },
            H.errorCode { _ = try H.open(context, iv: iv, aad: aad, ciphertext: badCiphertext, icv: sealed.icv) },
            H.errorCode { _ = try H.open(context, iv: iv, aad: badAAD, ciphertext: sealed.ciphertext, icv: sealed.icv) },
            H.errorCode { _ = try H.open(context, iv: badIV, aad: aad, ciphertext: sealed.ciphertext, icv: sealed.icv) },
            H.errorCode { _ = try H.open(context, iv: iv, aad: aad, ciphertext: Array(sealed.ciphertext.dropLast()), icv: sealed.icv) },
        ]
        #expect(failures == Array(repeating: .authenticationFailed, count: 5))
    }

    @Test("Empty plaintext and empty AAD seal and open", arguments: BoringAEAD.all)
    func empty(_ algorithm: BoringAEAD) throws {
        var random = BoringTestRandom(seed: 7)
        let context = try algorithm.makeContext(keyMaterial: random.secretBytes(algorithm.keyMaterialLength))
        let iv = random.bytes(8)
        let sealed = try H.seal(context, iv: iv, aad: [], plaintext: [])
        #expect(sealed.ciphertext.isEmpty && sealed.icv.count == algorithm.icvLength)
        #expect(try H.open(context, iv: iv, aad: [], ciphertext: [], icv: sealed.icv) == [])
    }

    @Test("Wrong key material, IV or ICV lengths are typed errors", arguments: BoringAEAD.all)
    func badSizes(_ algorithm: BoringAEAD) throws {
        for length in [0, algorithm.keyMaterialLength - 4, algorithm.keyMaterialLength - 1, algorithm.keyMaterialLength + 1] {
            #expect(
                H.errorCode { _ = try algorithm.makeContext(keyMaterial: SecretBytes([UInt8](repeating: 1, count: length))) }
                    == .invalidKeyLength)
        }
        let context = try algorithm.makeContext(
            keyMaterial: SecretBytes([UInt8](repeating: 1, count: algorithm.keyMaterialLength)))
        let data = [UInt8](repeating: 0, count: 32)
        let icv = [UInt8](repeating: 0, count: algorithm.icvLength)
        #expect(H.errorCode { _ = try H.open(context, iv: [0, 1, 2], aad: [], ciphertext: data, icv: icv) } == .invalidCiphertext)
        #expect(H.errorCode { _ = try H.open(context, iv: Array(repeating: 0, count: 8), aad: [], ciphertext: data, icv: Array(icv.dropLast())) } == .invalidCiphertext)
        #expect(H.errorCode { _ = try H.open(context, iv: Array(repeating: 0, count: 8), aad: [], ciphertext: data, icv: icv + [0]) } == .invalidCiphertext)
        var buffer = data
        var shortICV = [UInt8](repeating: 0, count: algorithm.icvLength - 1)
        let sealError: IKECryptoError.Code? = H.errorCode {
            let outcome: Result<Void, IKECryptoError> = [UInt8](repeating: 0, count: 8).withUnsafeBytes { iv in
                buffer.withUnsafeMutableBytes { data in
                    shortICV.withUnsafeMutableBytes { icv in
                        Result { () throws(IKECryptoError) in
                            try context.seal(iv: iv, aad: UnsafeRawBufferPointer(start: nil, count: 0), data: data, icv: icv)
                        }
                    }
                }
            }
            try outcome.get()
        }
        #expect(sealError == .invalidCiphertext)
    }
}
