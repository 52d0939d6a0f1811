import IKECrypto
import IKEWire
import Testing

/// Method-14 Authentication Data (RFC 7427 §3) and its AlgorithmIdentifiers.
@Suite("Digital Signature AUTH data parsing (RFC 7427 §3, Appendix A; RFC 8420)")
struct DigitalSignatureParsingTests {
    typealias Support = SignatureTestSupport
    typealias Identifier = SignatureAlgorithmIdentifier

    /// The hex of RFC 7427 Appendix A (A.1.2–A.1.4, A.3.2–A.3.4, A.4.3) and RFC 8420 §2
    /// (id-Ed25519; the same string as RFC 8410 §3), with the scheme each names. The
    /// PSS SHA-384/512 rows are A.4.3 with RFC 4055's id-sha384/512 and salt 48/64.
    static let table: [(String, SignatureScheme, [UInt8])] = [
        ("300d06092a864886f70d01010b0500", .rsaPKCS1v15(.sha2_256), Identifier.sha256WithRSAEncryption),
        ("300d06092a864886f70d01010c0500", .rsaPKCS1v15(.sha2_384), Identifier.sha384WithRSAEncryption),
        ("300d06092a864886f70d01010d0500", .rsaPKCS1v15(.sha2_512), Identifier.sha512WithRSAEncryption),
        ("300a06082a8648ce3d040302", .ecdsa(.sha2_256), Identifier.ecdsaWithSHA256),
        ("300a06082a8648ce3d040303", .ecdsa(.sha2_384), Identifier.ecdsaWithSHA384),
        ("300a06082a8648ce3d040304", .ecdsa(.sha2_512), Identifier.ecdsaWithSHA512),
        (
            "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108"
                + "300d06096086480165030402010500a203020120", .rsaPSS(.sha2_256, saltLength: 32),
            Identifier.rsassaPSSSHA256
        ),
        (
            "304106092a864886f70d01010a3034a00f300d06096086480165030402020500a11c301a06092a864886f70d010108"
                + "300d06096086480165030402020500a203020130", .rsaPSS(.sha2_384, saltLength: 48),
            Identifier.rsassaPSSSHA384
        ),
        (
            "304106092a864886f70d01010a3034a00f300d06096086480165030402030500a11c301a06092a864886f70d010108"
                + "300d06096086480165030402030500a203020140", .rsaPSS(.sha2_512, saltLength: 64),
            Identifier.rsassaPSSSHA512
        ),
        ("300506032b6570", .ed25519, Identifier.ed25519),
    ]

    @Test("AlgorithmIdentifier constants are the RFC byte strings and parse back", arguments: table.indices)
    func constants(index: Int) throws {
        let (hex, scheme, constant) = Self.table[index]
        #expect(constant == Support.bytes(hex: hex))
        #expect(scheme.algorithmIdentifier == constant)
        #expect(try Identifier.parse(constant[...]) == scheme)
    }

    @Test("RFC 4055 §5: sha256WithRSAEncryption with absent parameters is accepted")
    func rsaAbsentNull() throws {
        #expect(try Identifier.parse(Support.bytes(hex: "300b06092a864886f70d01010b")[...]) == .rsaPKCS1v15(.sha2_256))
    }

    @Test("RFC 4055 §2.1: PSS hash AlgorithmIdentifiers without NULL are accepted; other salt lengths parse")
    func pssVariants() throws {
        // SHA-256, MGF1-SHA-256 (hash parameters absent), salt 20.
        let absent = "303d06092a864886f70d01010a3030a00d300b0609608648016503040201a11a301806092a864886f70d010108"
            + "300b0609608648016503040201a203020114"
        #expect(try Identifier.parse(Support.bytes(hex: absent)[...]) == .rsaPSS(.sha2_256, saltLength: 20))
    }

    @Test("Refused AlgorithmIdentifiers give invalidSignature", arguments: [
        // sha1WithRSAEncryption (RFC 7427 A.1.1): SHA-1 only under method 1.
        "300d06092a864886f70d0101050500",
        // ecdsa-with-SHA1 (A.3.1)
        "300906072a8648ce3d0401",
        // RSASSA-PSS with default (SHA-1) parameters (A.4.1)
        "300b06092a864886f70d01010a3000",
        "300b06092a864886f70d01010a",
        // PSS SHA-256 with MGF1-SHA-1
        "303d06092a864886f70d01010a3030a00f300d06096086480165030402010500a118301606092a864886f70d010108"
            + "300906052b0e03021a0500a203020120",
        // PSS with trailerField 2
        "304606092a864886f70d01010a3039a00f300d06096086480165030402010500a11c301a06092a864886f70d010108"
            + "300d06096086480165030402010500a203020120a303020102",
        // ecdsa-with-SHA256 with NULL parameters (RFC 5758 §3.2: MUST omit)
        "300c06082a8648ce3d0403020500",
        // Ed25519 with NULL parameters (RFC 8410 §3: MUST be absent)
        "300706032b65700500",
        // Ed448 (RFC 8420 allows it; swift-crypto has no Ed448)
        "300506032b6571",
        // DSA with SHA-256 (A.2.2)
        "300b0609608648016503040302",
        // an unknown OID
        "3006060455aa55aa",
        // Not DER: indefinite length, long-form short length, trailing data, wrong tag
        "308006032b65700000", "30810506032b6570", "300506032b657000", "310506032b6570", "3005060300000000",
    ])
    func refused(hex: String) throws {
        let error = #expect(throws: IKECryptoError.self) { try Identifier.parse(Support.bytes(hex: hex)[...]) }
        #expect(error?.code == .invalidSignature)
        #expect(error?.notifyType == .authenticationFailed)
    }

    /// A P-256 method-14 signature to corrupt.
    static func sample() throws -> (PrivateKey, [UInt8], AuthenticationSignature) {
        let key = try PrivateKey.generate(.p256)
        let octets = Array("IKE_AUTH octets".utf8)
        var random = SignatureTestRandom()
        return (key, octets, try key.sign(octets: octets, scheme: .ecdsa(.sha2_256), random: &random))
    }

    @Test("AUTH data truncated at every offset throws invalidSignature, never traps")
    func truncation() throws {
        let (key, octets, signature) = try Self.sample()
        for length in 0..<signature.data.count {
            #expect(throws: IKECryptoError(.invalidSignature)) {
                try AuthenticationVerifier.verify(
                    octets: octets, authMethod: .digitalSignature, authData: Array(signature.data[..<length]),
                    publicKey: key.publicKey)
            }
        }
    }

    @Test("Every ASN.1 Length value but the right one fails")
    func wrongLength() throws {
        let (key, octets, signature) = try Self.sample()
        for length in 0...255 where length != Identifier.ecdsaWithSHA256.count {
            var data = signature.data
            data[0] = UInt8(length)
            #expect(throws: IKECryptoError(.invalidSignature)) {
                try AuthenticationVerifier.verify(
                    octets: octets, authMethod: .digitalSignature, authData: data, publicKey: key.publicKey)
            }
        }
    }

    @Test("Any single-octet change of method-14 AUTH data fails, never traps")
    func bitFlips() throws {
        let (key, octets, signature) = try Self.sample()
        for offset in signature.data.indices {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var data = signature.data
                data[offset] ^= mask
                #expect(throws: IKECryptoError(.invalidSignature)) {
                    try AuthenticationVerifier.verify(
                        octets: octets, authMethod: .digitalSignature, authData: data, publicKey: key.publicKey)
                }
            }
        }
    }

    @Test("parseAuthenticationData splits header and signature")
    func split() throws {
        let data: [UInt8] = [UInt8(Identifier.ed25519.count)] + Identifier.ed25519 + [1, 2, 3]
        let (scheme, signature) = try Identifier.parseAuthenticationData(data[...])
        #expect(scheme == .ed25519)
        #expect(Array(signature) == [1, 2, 3])
        #expect(throws: IKECryptoError(.invalidSignature)) { try Identifier.parseAuthenticationData([][...]) }
        #expect(throws: IKECryptoError(.invalidSignature)) {
            try Identifier.parseAuthenticationData(([7] + Identifier.ed25519)[...])
        }
    }

    @Test("A non-DER ECDSA-Sig-Value is refused (RFC 7427 §3)")
    func nonDERSignatureValue() throws {
        let (key, octets, signature) = try Self.sample()
        let header = Array(signature.data[...Identifier.ecdsaWithSHA256.count])
        let value = Array(signature.data[(Identifier.ecdsaWithSHA256.count + 1)...])
        // Re-encode the outer SEQUENCE length in long form (BER, not DER).
        let ber = [0x30, 0x81] + value[1...]
        #expect(throws: IKECryptoError(.invalidSignature)) {
            try AuthenticationVerifier.verify(
                octets: octets, authMethod: .digitalSignature, authData: header + ber, publicKey: key.publicKey)
        }
        // The raw r ‖ s form under method 14 is not DER.
        var random = SignatureTestRandom()
        let method9 = try key.sign(octets: octets, scheme: .ecdsaP256SHA256, random: &random)
        #expect(throws: IKECryptoError(.invalidSignature)) {
            try AuthenticationVerifier.verify(
                octets: octets, authMethod: .digitalSignature, authData: header + method9.data,
                publicKey: key.publicKey)
        }
    }
}
