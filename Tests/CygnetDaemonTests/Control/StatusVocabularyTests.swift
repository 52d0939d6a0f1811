import IKEWire
import Testing

@testable import CygnetDaemon

/// strongSwan's transform names, traffic selector text and durations.
@Suite("Status vocabulary: strongSwan's names, selector text, durations")
struct StatusVocabularyTests {
    static let nameCases: [(String, String)] = [
        (StrongSwanNames.encryption(.aesGCM16), "AES_GCM_16"),
        (StrongSwanNames.encryption(.aesCBC), "AES_CBC"),
        (StrongSwanNames.encryption(.chacha20Poly1305), "CHACHA20_POLY1305"),
        (StrongSwanNames.encryption(.tripleDES), "3DES_CBC"),
        (StrongSwanNames.encryption(.aesCTR), "AES_CTR"),
        (StrongSwanNames.encryption(EncryptionAlgorithmID(rawValue: 1024)), "(1024)"),
        (StrongSwanNames.integrity(.hmacSHA2_256_128), "HMAC_SHA2_256_128"),
        (StrongSwanNames.integrity(.hmacSHA1_96), "HMAC_SHA1_96"),
        (StrongSwanNames.integrity(.aesXCBC96), "AES_XCBC_96"),
        (StrongSwanNames.pseudorandomFunction(.hmacSHA2_256), "PRF_HMAC_SHA2_256"),
        (StrongSwanNames.pseudorandomFunction(.aes128XCBC), "PRF_AES128_XCBC"),
        (StrongSwanNames.keyExchange(.curve25519), "CURVE_25519"),
        (StrongSwanNames.keyExchange(.modp2048), "MODP_2048"),
        (StrongSwanNames.keyExchange(.ecp256), "ECP_256"),
        (StrongSwanNames.keyExchange(.ecp521), "ECP_521"),
        (StrongSwanNames.keyExchange(.modp1024), "MODP_1024"),
        (StrongSwanNames.keyExchange(.mlKEM768), "ML_KEM_768"),
    ]

    @Test("transform names as swanctl prints them", arguments: nameCases)
    func names(name: String, expected: String) {
        #expect(name == expected)
    }

    static func v4(_ start: [UInt8], _ end: [UInt8], protocol: UInt8 = 0, ports: ClosedRange<UInt16> = 0...65535)
        -> TrafficSelector
    {
        TrafficSelector(
            type: .ipv4AddressRange, ipProtocolID: `protocol`, startPort: ports.lowerBound, endPort: ports.upperBound,
            startAddress: start, endAddress: end)
    }

    static let selectorCases: [(TrafficSelector, String)] = [
        (v4([10, 1, 0, 0], [10, 1, 255, 255]), "10.1.0.0/16"),
        (v4([0, 0, 0, 0], [255, 255, 255, 255]), "0.0.0.0/0"),
        (v4([192, 0, 2, 7], [192, 0, 2, 7]), "192.0.2.7/32"),
        (v4([10, 0, 0, 5], [10, 0, 0, 9]), "10.0.0.5..10.0.0.9"),
        (v4([10, 0, 0, 1], [10, 0, 0, 255]), "10.0.0.1..10.0.0.255"),
        (v4([10, 1, 0, 0], [10, 1, 255, 255], protocol: 6, ports: 80...80), "10.1.0.0/16[tcp/80]"),
        (v4([10, 1, 0, 0], [10, 1, 255, 255], protocol: 17, ports: 1024...2047), "10.1.0.0/16[udp/1024-2047]"),
        (v4([10, 1, 0, 0], [10, 1, 255, 255], protocol: 6), "10.1.0.0/16[tcp]"),
        (v4([10, 1, 0, 0], [10, 1, 255, 255], ports: 53...53), "10.1.0.0/16[53]"),
        (v4([10, 1, 0, 0], [10, 1, 255, 255], protocol: 1, ports: 0x0800...0x0800), "10.1.0.0/16[icmp/8]"),
        (v4([10, 1, 0, 0], [10, 1, 255, 255], protocol: 1, ports: 0x0301...0x0301), "10.1.0.0/16[icmp/3(1)]"),
        (v4([10, 1, 0, 0], [10, 1, 255, 255], protocol: 99), "10.1.0.0/16[99]"),
        (
            TrafficSelector(
                type: .ipv4AddressRange, ipProtocolID: 17, startPort: 0xFFFF, endPort: 0, startAddress: [10, 0, 0, 0],
                endAddress: [10, 0, 0, 255]), "10.0.0.0/24[udp/OPAQUE]"
        ),
        (
            TrafficSelector(
                type: .ipv6AddressRange, startAddress: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 12),
                endAddress: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0xFF, count: 12)), "2001:db8::/32"
        ),
        (TrafficSelector(type: 10, data: [0, 1, 2]), "(TS_SECLABEL 000102)"),
    ]

    @Test("traffic selectors as strongSwan prints them", arguments: selectorCases)
    func selectors(selector: TrafficSelector, expected: String) {
        #expect(TrafficSelectorText.format(selector) == expected)
    }

    @Test(
        "durations: the two largest units",
        arguments: [
            (0, "0s"), (42, "42s"), (60, "1m"), (125, "2m5s"), (3600, "1h"), (14_280, "3h58m"), (90_061, "1d1h"),
            (-5, "0s"),
        ])
    func durations(seconds: Int, expected: String) {
        #expect(DurationText.format(seconds: seconds) == expected)
    }

    @Test("negotiated transforms: AEAD without integrity, no PFS, ESN")
    func negotiated() {
        let ike = NegotiatedTransforms([
            Transform(.aesGCM16, keyLength: 256), Transform(.hmacSHA2_256), Transform(.curve25519),
        ])
        #expect(ike.encryption == .aesGCM16 && ike.encryptionKeyBits == 256 && ike.integrity == nil)
        #expect(ike.prf == .hmacSHA2_256 && ike.keyExchange == .curve25519 && !ike.usesExtendedSequenceNumbers)
        let esp = NegotiatedTransforms([
            Transform(.aesCBC, keyLength: 128), Transform(.hmacSHA2_256_128), Transform(KeyExchangeMethodID.none),
            Transform(.extendedSequenceNumbers),
        ])
        #expect(esp.integrity == .hmacSHA2_256_128 && esp.keyExchange == nil && esp.usesExtendedSequenceNumbers)
    }
}
