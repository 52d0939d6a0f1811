import Crypto
import IKECrypto
import IKEWire
import Testing

@testable import ESPCore

/// One published ESP packet: the SA's keys, SPI and (full) sequence number, the IV its
/// author chose, and the plaintext (payload ‖ padding ‖ Pad Length ‖ Next Header) and
/// ciphertext ‖ ICV of the packet after SPI, sequence number and IV.
struct ESPPacketVector: Sendable, CustomTestStringConvertible {
    var name: String
    var encryption: EncryptionAlgorithm
    /// The encryption key material (key ‖ salt for the AEADs), hex.
    var key: String
    var spi: UInt32
    var sequenceNumber: UInt64
    var usesExtendedSequenceNumbers: Bool
    var iv: String
    /// Payload ‖ padding ‖ Pad Length ‖ Next Header, hex.
    var plaintext: String
    /// Ciphertext ‖ ICV as published, hex (for a cipher with HMAC, without the ICV: the
    /// test appends one made by swift-crypto's HMAC).
    var sealed: String

    var testDescription: String { name }

    var plaintextBytes: [UInt8] { ESPKnownAnswerTests.hex(plaintext) }
    var nextHeader: ESPNextHeader { ESPNextHeader(rawValue: plaintextBytes.last ?? 0) }
    var padLength: Int { Int(plaintextBytes.dropLast().last ?? 0) }
    var payload: [UInt8] { Array(plaintextBytes.dropLast(2 + padLength)) }

    /// SPI ‖ low 32 bits of the sequence number ‖ IV ‖ ciphertext ‖ ICV: the ESP packet
    /// on the wire (RFC 4303 §2; with ESN only the low half is sent, §2.2.1).
    var packet: [UInt8] {
        withUnsafeBytes(of: spi.bigEndian) { Array($0) }
            + withUnsafeBytes(of: UInt32(truncatingIfNeeded: sequenceNumber).bigEndian) { Array($0) }
            + ESPKnownAnswerTests.hex(iv) + ESPKnownAnswerTests.hex(sealed)
    }
}

@Suite("ESP known answers: published packets open and seal byte for byte (RFC 4106, RFC 7634, RFC 3602)")
struct ESPKnownAnswerTests {
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8.filter { $0 != UInt8(ascii: " ") })
        var bytes: [UInt8] = []
        var index = 0
        while index + 1 < digits.count {
            bytes.append(UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) ?? 0)
            index += 2
        }
        return bytes
    }

    static func gcm(_ keyBits: Int) -> EncryptionAlgorithm { .aead(BoringAEAD.aesGCM(icvLength: 16, keyBits: keyBits)!) }

    /// Source: D. McGrew, "Test Cases for the use of Galois/Counter Mode (GCM) and Galois
    /// Message Authentication Code (GMAC) in IPsec ESP", draft-mcgrew-gcm-test-01 §4, the
    /// AES-GCM (not GMAC) cases, 16-byte ICV. Each packet's AAD is SPI ‖ sequence number,
    /// 12 bytes for the ESN cases (RFC 4106 §5). The draft's Next Header is 1 throughout.
    static let gcmVectors: [ESPPacketVector] = [
        .init(
            name: "AES-128, ESN, SPI 4321 (DNS over UDP)", encryption: gcm(128),
            key: "4c80cdefbb5d10da906ac73c3613a634 2e443b68", spi: 0x0000_4321,
            sequenceNumber: 0x8765_4321_0000_0000, usesExtendedSequenceNumbers: true, iv: "4956ed7e3b244cfe",
            plaintext:
                "45000048699a000080114db7c0a80102c0a801010a9bf15638d301000001000000000000045f736970045f756470037369700963796265726369747902646b000021000101020201",
            sealed:
                "fecf537e729d5b07dc30df528dd22b768d1b98736696a6fd348509fa13ceac34cfa2436f14a3f3cf65925bf1f4a13c5d15b21e1884f5ff6247aeabb786b93bce61bc17d768fd9732 459018148f6cbe722fd04796562dfdb4"
        ),
        .init(
            name: "AES-128, SPI a5f8, sequence 10", encryption: gcm(128),
            key: "feffe9928665731c6d6a8f9467308308 cafebabe", spi: 0x0000_a5f8, sequenceNumber: 10,
            usesExtendedSequenceNumbers: false, iv: "facedbaddecaf888",
            plaintext:
                "4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d001000001000000000000037369700963796265726369747902646b00000100010001",
            sealed:
                "deb22cd9b07c72c16e3a65beeb8df304a5a5897d33ae530f1ba76d5d114d2a5c3de81827c10e9a4f51330d0eec416642cfbb85a5b47e48a4ec3b9ba95d918bd1 83b70d3aa8bc6ee4c309e9d85a41ad4a"
        ),
        .init(
            name: "AES-256, SPI 4a2cbfe3, sequence 2 (TCP SYN)", encryption: gcm(256),
            key: "abbccddef00112233445566778899aababbccddef00112233445566778899aab 11223344", spi: 0x4a2c_bfe3,
            sequenceNumber: 2, usesExtendedSequenceNumbers: false, iv: "0102030405060708",
            plaintext:
                "4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee0000000007002400020bf0000020405b40101040201020201",
            sealed:
                "ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5d763748a637985771d347f0545659f14e99def842d8e b335f4eecfdbf831824b4c4915956c96"
        ),
        .init(
            name: "AES-128, zero key, SPI 0, sequence 1 (ICMP)", encryption: gcm(128),
            key: "00000000000000000000000000000000 00000000", spi: 0, sequenceNumber: 1,
            usesExtendedSequenceNumbers: false, iv: "0000000000000000",
            plaintext:
                "4500003c99c500008001cb7a40679318010101010800075c020044006162636465666768696a6b6c6d6e6f707172737475767761626364656667686901020201",
            sealed:
                "4688daf2f973a392732909c331d56d60f694abaa414b5e7ff5fdcdfff5e9a284456476492719ffb64de7d9dca1e1d894bc3bd57873ed4d181d19d4d5c8c18af3 f821d496eeb096e98ad2b69e4799c71d"
        ),
        .init(
            name: "AES-128, ESN, SPI 42f67e3f (ICMP)", encryption: gcm(128),
            key: "3de09874b388e6491988d0c3607eae1f 57690e43", spi: 0x42f6_7e3f,
            sequenceNumber: 0x1010_1010_1010_1010, usesExtendedSequenceNumbers: true, iv: "4e280000a2fca1a3",
            plaintext:
                "4500003c99c300008001cb7c40679318010101010800085c020043006162636465666768696a6b6c6d6e6f707172737475767761626364656667686901020201",
            sealed:
                "fba2caa4853cf9f0f22cb10d86dd83b0fec75691cf1a04b00d1138ec9c35791765acbd8701ad79845bf9fe3fba487bc91755e6662b4c8d0d1f5e22739530320a e0d731cc978ecafaeae88f00e80d6e48"
        ),
        .init(
            name: "AES-128, ESN, SPI 42f67e3f (short ICMP)", encryption: gcm(128),
            key: "3de09874b388e6491988d0c3607eae1f 57690e43", spi: 0x42f6_7e3f,
            sequenceNumber: 0x1010_1010_1010_1010, usesExtendedSequenceNumbers: true, iv: "4e280000a2fca1a3",
            plaintext: "4500001c42a200008001441f406793b6e00000020a00f5ff01020201",
            sealed: "fba2ca845e5df9f0f22c3e6e86dd831e1fc65792cd1af9130e1379ed 369f071f35e034be95f112e4e7d05d35"
        ),
        .init(
            name: "AES-192, SPI a5f8, sequence 10 (Pad Length 0)", encryption: gcm(192),
            key: "feffe9928665731c6d6a8f9467308308feffe9928665731c cafebabe", spi: 0x0000_a5f8, sequenceNumber: 10,
            usesExtendedSequenceNumbers: false, iv: "facedbaddecaf888",
            plaintext: "45000028a4ad4000400678800a01038f0a010612802306b8cb712602dd6bb03e501016d075680001",
            sealed:
                "a5b1f8066029aea40e598b8122de02420938b3ab33f828e687b8858b5bfbdbd0315b27452144cc77 95457b9652037f5318027b5b4cd7a636"
        ),
        .init(
            name: "AES-128, ESN, SPI 100, sequence 1 (DNS)", encryption: gcm(128),
            key: "abbccddef00112233445566778899aab decaf888", spi: 0x0000_0100, sequenceNumber: 1,
            usesExtendedSequenceNumbers: true, iv: "cafedebaceface74",
            plaintext:
                "4500004933ba00007f119106c3fb1d10c2b1d326c02831ce0035dd7b800302d500004e20001e8c18d75b81dc91baa0476b91b924b280389d92c963bac046ec959b6266c04722b14923010101",
            sealed:
                "18a6fd42f72cbf4ab2a2ea901f73d814e3e7f243d95412e1c349c1d2fbec168f9190feebaf2cb01984e65863965d7472b79da345e0e780191f0d2f0e0f496c226f2127b27db35724e7845d68 651f57e65f354f75ff17015769623436"
        ),
        .init(
            name: "AES-256, ESN, SPI 17405e67 (Pad Length 0)", encryption: gcm(256),
            key: "abbccddef00112233445566778899aababbccddef00112233445566778899aab 73616c74", spi: 0x1740_5e67,
            sequenceNumber: 0x156f_3126_dd0d_b99b, usesExtendedSequenceNumbers: true, iv: "616e640169766563",
            plaintext: "45080028732c00004006e9f90a0106120a01038f06b88023dd6bafbecb71260250101f646d540001",
            sealed:
                "f2d69ecdbd5a0d5b8d5ef38bad4da58d1f278fde98ef67549d524a3018d9a57ff4d3a31ce673119e 451626c2415771e3b7eebca614c89b35"
        ),
        .init(
            name: "AES-128, ESN, SPI 42f67e3f (DNS)", encryption: gcm(128),
            key: "3de09874b388e6491988d0c3607eae1f 57690e43", spi: 0x42f6_7e3f,
            sequenceNumber: 0x1010_1010_1010_1010, usesExtendedSequenceNumbers: true, iv: "4e280000a2fca1a3",
            plaintext:
                "45000049333e00007f119182c3fb1d10c2b1d326c02831ce0035cb458003025b000001e0001e8c18d65759d52284a0352c71475c8880391c764d6e5ee0496b325ae270c03899493915010101",
            sealed:
                "fba2cad12fc1f9f00d3cebf305410db83d7784b607323d220f24b0a97d54182800cadb0f68d99ef0e0c0c89ae9bea8884e52d65bc1afd0740f742444747b5b39ab533163aad4550ee5160975 cdb608c5769189609763b8e18caa81e2"
        ),
        .init(
            name: "AES-256, ESN, SPI 17405e67 (text)", encryption: gcm(256),
            key: "abbccddef00112233445566778899aababbccddef00112233445566778899aab 73616c74", spi: 0x1740_5e67,
            sequenceNumber: 0x156f_3126_dd0d_b99b, usesExtendedSequenceNumbers: true, iv: "616e640169766563",
            plaintext:
                "636973636f0172756c657301746865016e6574776501646566696e6501746865746563686e6f6c6f67696573017468617477696c6c01646566696e65746f6d6f72726f7701020201",
            sealed:
                "d4b7ed86a1777f2ea13d6973d324c69e7b43f826fb56831226508bebd2dceb18d0a6df10e5487df074113e14c641024e3e6773d91a62ee429b043a10e3efe6b012a49363412364f8 c0cac587f249e56b11e24f30e44ccc76"
        ),
        .init(
            name: "AES-128, SPI 335467ae, sequence 2^32 - 1, empty payload", encryption: gcm(128),
            key: "7d773d00c144c525ac619d18c84a3f47 d9664267", spi: 0x3354_67ae, sequenceNumber: 0xFFFF_FFFF,
            usesExtendedSequenceNumbers: false, iv: "43457e9182443bc6", plaintext: "01020201",
            sealed: "437f866b cb3f699fe9b0822bac961c4504bef270"
        ),
        .init(
            name: "AES-128, ESN, SPI 100, sequence 1 (text)", encryption: gcm(128),
            key: "abbccddef00112233445566778899aab decaf888", spi: 0x0000_0100, sequenceNumber: 1,
            usesExtendedSequenceNumbers: true, iv: "cafedebaceface74", plaintext: "746f016265016f72016e6f7401746f0162650001",
            sealed: "29c9fc69a197d038ccdd14e2ddfcaa0543332164 412503524303ed3c6c5f283843af8c3e"
        ),
        .init(
            name: "AES-256, ESN, SPI 796b6963, sequence 2^64 - 1", encryption: gcm(256),
            key: "6c6567616c697a656d6172696a75616e61616e64646f69746265666f72656961 7475726e", spi: 0x796b_6963,
            sequenceNumber: .max, usesExtendedSequenceNumbers: true, iv: "333021696765746d",
            plaintext:
                "45000030da3a00008001df3bc0a80005c0a800010800c6cd020007006162636465666768696a6b6c6d6e6f707172737401020201",
            sealed:
                "f97ab2aa356d8edce17644ac8c78e25dd24dedbb29ebf1b64a274b39b49c3a864cd3d78ca4ae68a32b42458fb57dbe821dcc63b9 d0937ba2945f669368661a329fb4c053"
        ),
    ]

    /// Source: RFC 7634 Appendix A, the tunnel-mode ESP example (an ICMP echo request in
    /// IPv4; KEYMAT 80…9f ‖ a0a1a2a3).
    static let chachaVector = ESPPacketVector(
        name: "RFC 7634 Appendix A", encryption: .aead(BoringAEAD.chacha20Poly1305),
        key: "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f a0a1a2a3", spi: 0x0102_0304,
        sequenceNumber: 5, usesExtendedSequenceNumbers: false, iv: "1011121314151617",
        plaintext:
            "45000054a6f200004001e778c6336405c000020508005b7a3a080000553bec100007362708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363701020204",
        sealed:
            "24039428b97f417e3c13753a4f05087b67c352e6a7fab1b982d466ef407ae5c614ee8099d52844eb61aa95dfab4c02f72aa71e7c4c4f64c9befe2facc638e8f3cbec163fac469b502773f6fb94e664da9165b82829f641e0 76aaa8266b7fb0f7b11b369907e1ad43"
    )

    /// Source: RFC 3602 §4, cases #5–#8: AES-128-CBC ESP packets (transport mode ICMP,
    /// tunnel mode IPv4), published without an ICV; the tests add an HMAC-SHA-256-128
    /// ICV (RFC 4868) computed by swift-crypto, an implementation independent of ours.
    static let cbcVectors: [ESPPacketVector] = [
        .init(
            name: "RFC 3602 case #5 (transport, 64-byte ICMP)", encryption: .cipher(BoringCipher.aesCBC(keyBits: 128)!),
            key: "90d382b410eeba7ad938c46cec1a82bf", spi: 0x4321, sequenceNumber: 1, usesExtendedSequenceNumbers: false,
            iv: "e96e8c08ab465763fd098d45dd3ff893",
            plaintext:
                "08000ebda70a00008e9c083db95b070008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637 0102030405060708090a0b0c0d0e 0e01",
            sealed:
                "f663c25d325c18c6a9453e194e120849a4870b66cc6b9965330013b4898dc856a4699e523a55db080b59ec3a8e4b7e52775b07d1db34ed9c538ab50c551b874aa269add047ad2d5913ac19b7cfbad4a6"
        ),
        .init(
            name: "RFC 3602 case #6 (transport, 28-byte ICMP)", encryption: .cipher(BoringCipher.aesCBC(keyBits: 128)!),
            key: "90d382b410eeba7ad938c46cec1a82bf", spi: 0x4321, sequenceNumber: 8, usesExtendedSequenceNumbers: false,
            iv: "69d08df7d203329db093fc4924e5bd80",
            plaintext: "0800b5e8a80a0500a69c083d0b660e00777777777777777777777777 0102 0201",
            sealed: "f51995881ec4e0c4488987ce742e8109689bb379d2d750c0d915dca346a89f75"
        ),
        .init(
            name: "RFC 3602 case #7 (tunnel, IPv4 ICMP)", encryption: .cipher(BoringCipher.aesCBC(keyBits: 128)!),
            key: "0123456789abcdef0123456789abcdef", spi: 0x8765, sequenceNumber: 2, usesExtendedSequenceNumbers: false,
            iv: "f4e765244f6407adf13dc1380f673f37",
            plaintext:
                "45000054090400004001f988c0a87b03c0a87bc808009f76a90a0100b49c083d02a2040008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637 0102030405060708090a 0a04",
            sealed:
                "773b5241a4c449225e4f3ce5ed611b0c237ca96cf74a93013c1b0ea1a0cf70f8e4ecaec78ac53aad7a0f022b859243c647752e94a859352b8a4d4d2decd136e5c177f132ad3fbfb2201ac9904c74ee0a109e0ca1e4dfe9d5a100b842f1c22f0d"
        ),
        .init(
            name: "RFC 3602 case #8 (tunnel, IPv4 ICMP)", encryption: .cipher(BoringCipher.aesCBC(keyBits: 128)!),
            key: "0123456789abcdef0123456789abcdef", spi: 0x8765, sequenceNumber: 5, usesExtendedSequenceNumbers: false,
            iv: "85d47224b5f3dd5d2101d4ea8dffab22",
            plaintext:
                "45000044090c00004001f990c0a87b03c0a87bc80800d63caa0a0200c69c083da3de0300ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff 0102030405060708090a 0a04",
            sealed:
                "15b92683819596a8047232cc00f7048fe45318e11f8a0f62ede3c3fc61203bb50f980a08c9843fd3a1b06d5c07ff9639b7eb7dfb3512e5de435e7207ed971ef3d2726d9b5ef6affc6d17a0decbb13892"
        ),
    ]

    /// The integrity key the CBC cases are given (RFC 3602 has none).
    static let hmacKey = (0..<32).map { UInt8($0) &* 7 &+ 1 }

    static func sa(_ vector: ESPPacketVector) throws -> ESPSecurityAssociation {
        let isAEAD: Bool = if case .aead = vector.encryption { true } else { false }
        var sa = try ESPSecurityAssociation(
            spi: vector.spi, encryption: vector.encryption, encryptionKey: SecretBytes(hex(vector.key)),
            integrity: isAEAD ? nil : CryptoProvider.default.integrityAlgorithms[.hmacSHA2_256_128],
            integrityKey: SecretBytes(isAEAD ? [] : hmacKey), usesExtendedSequenceNumbers: vector.usesExtendedSequenceNumbers)
        // Place the SA just before the vector's sequence number: the sender's counter and
        // the receiver's window (so the ESN high half is inferred, RFC 4303 Appendix A).
        sa.lastSequenceNumber = vector.sequenceNumber - 1
        if vector.sequenceNumber > 1 { sa.replayWindow.accept(vector.sequenceNumber - 1) }
        return sa
    }

    /// The vector's packet, with the independent HMAC-SHA-256-128 ICV appended for a
    /// cipher (over the packet, plus the ESN high half with ESN: RFC 4303 §3.3.2.2).
    static func expectedPacket(_ vector: ESPPacketVector) -> [UInt8] {
        guard case .cipher = vector.encryption else { return vector.packet }
        var covered = vector.packet
        if vector.usesExtendedSequenceNumbers {
            covered += withUnsafeBytes(of: UInt32(truncatingIfNeeded: vector.sequenceNumber >> 32).bigEndian) { Array($0) }
        }
        let mac = HMAC<SHA256>.authenticationCode(for: covered, using: SymmetricKey(data: hmacKey))
        return vector.packet + Array(mac).prefix(16)
    }

    static func checkOpen(_ vector: ESPPacketVector) throws {
        var inbound = try sa(vector)
        var packet = expectedPacket(vector)
        let opened = try inbound.open(&packet)
        #expect(opened.sequenceNumber == vector.sequenceNumber)
        #expect(opened.nextHeader == vector.nextHeader)
        #expect(Array(packet[opened.payloadRange]) == vector.payload)
        #expect(inbound.replayWindow.top == vector.sequenceNumber)
        // A flipped ICV bit is refused (RFC 4303 §3.4.4.2).
        var forged = expectedPacket(vector)
        forged[forged.count - 1] ^= 1
        var fresh = try sa(vector)
        #expect(espError { _ = try fresh.open(&forged) } == .icvFailure)
    }

    /// Seals the vector's payload with the vector's IV through the test-only seam and
    /// compares every byte; `false` when the vector's padding is not the minimal one Cygnet
    /// makes (then only `open` could be checked).
    static func checkSeal(_ vector: ESPPacketVector) throws -> Bool {
        var outbound = try sa(vector)
        let expected = expectedPacket(vector)
        guard outbound.sealedLength(payloadLength: vector.payload.count) == expected.count else { return false }
        var packet = [UInt8](repeating: 0, count: expected.count)
        let iv = hex(vector.iv)
        let payload = vector.payload
        let result: Result<Int, ESPError> = payload.withUnsafeBytes { payload in
            iv.withUnsafeBytes { iv in
                packet.withUnsafeMutableBytes { output in
                    Result { () throws(ESPError) in
                        try outbound.seal(payload: payload, nextHeader: vector.nextHeader, into: output, explicitIV: iv)
                    }
                }
            }
        }
        #expect(try result.get() == expected.count)
        #expect(packet == expected)
        #expect(outbound.lastSequenceNumber == vector.sequenceNumber)
        return true
    }

    @Test("draft-mcgrew-gcm-test-01 §4 AES-GCM packets open (RFC 4106, ESN inferred per RFC 4303 Appendix A)",
          arguments: gcmVectors)
    func gcmOpen(_ vector: ESPPacketVector) throws {
        try Self.checkOpen(vector)
    }

    @Test("draft-mcgrew-gcm-test-01 §4 AES-GCM packets seal byte for byte (IV given through the test seam)",
          arguments: gcmVectors)
    func gcmSeal(_ vector: ESPPacketVector) throws {
        // Every case pads minimally (to the 4-byte boundary of RFC 4303 §2.4), as Cygnet does.
        #expect(try Self.checkSeal(vector))
    }

    @Test("RFC 7634 Appendix A: the ChaCha20-Poly1305 ESP example opens and seals byte for byte")
    func chacha() throws {
        try Self.checkOpen(Self.chachaVector)
        #expect(try Self.checkSeal(Self.chachaVector))
    }

    @Test("RFC 3602 §4 cases #5–#8: AES-CBC packets with an independent HMAC-SHA-256-128 ICV open and seal byte for byte",
          arguments: cbcVectors)
    func cbc(_ vector: ESPPacketVector) throws {
        try Self.checkOpen(vector)
        #expect(try Self.checkSeal(vector))
    }

    @Test("AES-CBC + HMAC-SHA-256 with ESN: our ICV equals swift-crypto's over packet ‖ ESN high half (RFC 4303 §2.2.1)")
    func cbcESNIndependentICV() throws {
        var vector = Self.cbcVectors[2]
        vector.usesExtendedSequenceNumbers = true
        vector.sequenceNumber = 0x0000_0007_0000_0002
        try Self.checkOpen(vector)
        #expect(try Self.checkSeal(vector))
    }

    @Test("The derived IVs: the sequence number for AEADs (RFC 4106 §3.1), unpredictable for CBC (RFC 3602 §2.3)")
    func derivedIVs() throws {
        var gcm = try Self.sa(Self.gcmVectors[1])
        let packet = try gcm.seal(Array(repeating: 0, count: 20), nextHeader: .udp)
        #expect(Array(packet[8..<16]) == [0, 0, 0, 0, 0, 0, 0, 10])
        // The CBC IV is E_K(0 ‖ SPI ‖ sequence number) with AES-128 (one block, zero IV).
        var cbc = try Self.sa(Self.cbcVectors[0])
        let sealed = try cbc.seal(Array(repeating: 0, count: 20), nextHeader: .udp)
        var block: [UInt8] = [0, 0, 0, 0, 0, 0, 0x43, 0x21, 0, 0, 0, 0, 0, 0, 0, 1]
        let cipher = try BoringCipher.aesCBC(keyBits: 128)!.makeContext(key: SecretBytes(Self.hex(Self.cbcVectors[0].key)))
        let zero = [UInt8](repeating: 0, count: 16)
        let result: Result<Void, IKECryptoError> = zero.withUnsafeBytes { zero in
            block.withUnsafeMutableBytes { block in
                Result { () throws(IKECryptoError) in try cipher.encrypt(iv: zero, data: block) }
            }
        }
        try result.get()
        #expect(Array(sealed[8..<24]) == block)
    }
}
