import IKEConfig
import IKEWire
import Testing

/// strongSwan's proposal keywords (`proposal_keywords_static.txt`) and rules
/// (`proposal.c`), checked against the proposals strongSwan prints for the same strings.
@Suite("Proposal keywords as strongSwan reads and prints them")
struct ProposalKeywordTests {
    /// Configured strings and what strongSwan 5.9/6.0 logs for them ("configured
    /// proposals: ..."), as seen in `swanctl --list-conns` and charon's logs.
    static let ikeStrings: [(String, String)] = [
        ("aes256gcm16-prfsha384-ecp384", "IKE:AES_GCM_16_256/PRF_HMAC_SHA2_384/ECP_384"),
        ("aes128-sha256-modp2048", "IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048"),
        ("aes256-sha256-x25519", "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE_25519"),
        ("chacha20poly1305-prfsha256-curve25519", "IKE:CHACHA20_POLY1305/PRF_HMAC_SHA2_256/CURVE_25519"),
        ("aes256gcm16-prfsha256-x25519", "IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE_25519"),
        ("aes256-sha1-modp1024", "IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024"),
        ("3des-sha1-modp1024", "IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024"),
        ("aes128-aes256-sha256-sha384-modp3072-ecp256", "IKE:AES_CBC_128/AES_CBC_256/HMAC_SHA2_256_128/HMAC_SHA2_384_192/PRF_HMAC_SHA2_256/PRF_HMAC_SHA2_384/MODP_3072/ECP_256"),
        ("aes128ctr-aesxcbc-prfaescmac-ecp521", "IKE:AES_CTR_128/AES_XCBC_96/PRF_AES128_CMAC/ECP_521"),
        ("aes-sha256-ecp256", "IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256"),
        ("aes256gcm16-prfsha512-mlkem768", "IKE:AES_GCM_16_256/PRF_HMAC_SHA2_512/ML_KEM_768"),
        ("AES256GCM16-PRFSHA384-ECP384", "IKE:AES_GCM_16_256/PRF_HMAC_SHA2_384/ECP_384"),
        ("aes128gcm-aes128gcm12-aes128gcm64-prfsha256-modp4096", "IKE:AES_GCM_16_128/AES_GCM_12_128/AES_GCM_8_128/PRF_HMAC_SHA2_256/MODP_4096"),
        ("aes192-sha512-prfsha256-modp2048-none", "IKE:AES_CBC_192/HMAC_SHA2_512_256/PRF_HMAC_SHA2_256/MODP_2048"),
    ]

    static let espStrings: [(String, String)] = [
        ("aes256gcm16", "ESP:AES_GCM_16_256/NO_EXT_SEQ"),
        ("aes128-sha256-modp2048", "ESP:AES_CBC_128/HMAC_SHA2_256_128/MODP_2048/NO_EXT_SEQ"),
        ("aes128gcm16-x25519-esn", "ESP:AES_GCM_16_128/CURVE_25519/EXT_SEQ"),
        ("aes256-sha1-noesn-esn", "ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ/EXT_SEQ"),
        ("chacha20poly1305", "ESP:CHACHA20_POLY1305/NO_EXT_SEQ"),
        ("null-sha256", "ESP:NULL/HMAC_SHA2_256_128/NO_EXT_SEQ"),
        ("aes256gcm16-prfsha256", "ESP:AES_GCM_16_256/NO_EXT_SEQ"),
        ("aes256-sha256-none", "ESP:AES_CBC_256/HMAC_SHA2_256_128/NO_EXT_SEQ"),
    ]

    @Test("IKE proposals print as strongSwan prints them", arguments: ikeStrings)
    func ikeRoundTrip(text: String, expected: String) throws {
        let templates = try ProposalParser.parse(text, for: .ike)
        #expect(templates.map { $0.strongSwanDescription(for: .ike) } == [expected])
    }

    @Test("ESP proposals print as strongSwan prints them", arguments: espStrings)
    func espRoundTrip(text: String, expected: String) throws {
        let templates = try ProposalParser.parse(text, for: .esp)
        #expect(templates.map { $0.strongSwanDescription(for: .esp) } == [expected])
    }

    @Test("default is strongSwan's classic and AEAD default proposals, without what Cygnet lacks")
    func defaults() throws {
        let ike = try ProposalParser.parse("default", for: .ike).map { $0.strongSwanDescription(for: .ike) }
        let groups = "ECP_256/ECP_384/ECP_521/CURVE_25519/MODP_3072/MODP_4096/MODP_6144/MODP_8192/MODP_2048"
        let prfs = "PRF_HMAC_SHA2_256/PRF_HMAC_SHA2_384/PRF_HMAC_SHA2_512/PRF_AES128_XCBC/PRF_AES128_CMAC/PRF_HMAC_SHA1"
        #expect(
            ike == [
                "IKE:AES_CBC_128/AES_CBC_192/AES_CBC_256/AES_CTR_128/AES_CTR_192/AES_CTR_256/HMAC_SHA2_256_128/HMAC_SHA2_384_192/HMAC_SHA2_512_256/AES_XCBC_96/AES_CMAC_96/HMAC_SHA1_96/\(prfs)/\(groups)",
                "IKE:AES_GCM_16_128/AES_GCM_16_192/AES_GCM_16_256/CHACHA20_POLY1305/AES_GCM_12_128/AES_GCM_12_192/AES_GCM_12_256/AES_GCM_8_128/AES_GCM_8_192/AES_GCM_8_256/\(prfs)/\(groups)",
            ])
        let esp = try ProposalParser.parse("DEFAULT", for: .esp).map { $0.strongSwanDescription(for: .esp) }
        #expect(
            esp == [
                "ESP:AES_CBC_128/AES_CBC_192/AES_CBC_256/HMAC_SHA2_256_128/HMAC_SHA2_384_192/HMAC_SHA2_512_256/HMAC_SHA1_96/AES_XCBC_96/NO_EXT_SEQ",
                "ESP:AES_GCM_16_128/AES_GCM_16_192/AES_GCM_16_256/NO_EXT_SEQ",
            ])
    }

    @Test("Every supported keyword parses in a proposal of its kind")
    func everySupportedKeyword() throws {
        for keyword in ProposalKeyword.supportedKeywords {
            let entry = try #require(ProposalKeyword.lookUp(keyword))
            let text: String
            let proto: ProposalProtocol
            switch try #require(entry.algorithm) {
            case .encryption(let id, _):
                let aead = [EncryptionAlgorithmID.aesGCM8, .aesGCM12, .aesGCM16, .chacha20Poly1305].contains(id)
                proto = id == .null ? .esp : .ike
                text = keyword + (aead ? "-prfsha256" : "-sha256") + (proto == .ike ? "-x25519" : "")
            case .integrity: (text, proto) = ("aes256-\(keyword)-x25519", .ike)
            case .pseudorandomFunction: (text, proto) = ("aes256gcm16-\(keyword)-x25519", .ike)
            case .keyExchange(let id): (text, proto) = ("aes256gcm16-prfsha256-\(keyword)", id == .none ? .esp : .ike)
            case .sequenceNumbers: (text, proto) = ("aes256gcm16-\(keyword)", .esp)
            }
            let templates = try ProposalParser.parse(text, for: proto)
            #expect(templates.count == 1, "\(text)")
        }
    }

    @Test(
        "Errors name the keyword, with the closest known one or the reason",
        arguments: [
            ("aes256gmc16-prfsha256-x25519", "unknown algorithm keyword 'aes256gmc16' in IKE proposal 'aes256gmc16-prfsha256-x25519'", "did you mean 'aes256gcm16'?", 0),
            ("aes256-sha256-ecp265", "unknown algorithm keyword 'ecp265' in IKE proposal 'aes256-sha256-ecp265'", "did you mean 'ecp256'?", 14),
            ("aes256-sha256-prfsha256-modp2048-blowfish", "'blowfish' (Blowfish) is a strongSwan keyword, but Cygnet does not implement that algorithm", "use e.g. aes256gcm16, aes256 or chacha20poly1305", 33),
            ("aes256-md5-modp2048", "'md5' (HMAC-MD5-96) is a strongSwan keyword, but Cygnet does not implement that algorithm", "use e.g. sha256", 7),
            ("aes256gcm16-prfsha256-ecp256bp", "'ecp256bp' (brainpoolP256r1 (28)) is a strongSwan keyword, but Cygnet does not implement that algorithm", "use e.g. x25519, ecp256, modp3072 or mlkem768", 22),
            ("aes256gcm16-ecp256", "a PRF algorithm is mandatory in IKE proposals ('aes256gcm16-ecp256' has none)", "add e.g. prfsha256 (an AEAD has no integrity algorithm to derive it from)", 0),
            ("aes256-prfsha256-ecp256", "an integrity algorithm is mandatory in IKE proposals with classic (non-AEAD) encryption algorithms ('aes256-prfsha256-ecp256')", "add e.g. sha256, or use an AEAD such as aes256gcm16", 0),
            ("sha256-prfsha256-ecp256", "an encryption algorithm is mandatory in IKE proposals ('sha256-prfsha256-ecp256' has none)", "add e.g. aes256gcm16 or aes256", 0),
            ("aes256--sha256", "empty algorithm keyword in 'aes256--sha256'", "check for a doubled or trailing '-'", 7),
            ("null-sha256-ecp256", "'null' encryption is only allowed in ESP proposals", "use e.g. aes256gcm16", 0),
            ("aes256gcm16-prfsha256-ecp256-esn", "'esn'/'noesn' only apply to ESP proposals", "remove it from the IKE proposal", 0),
        ] as [(String, String, String, Int)])
    func errors(text: String, message: String, hint: String, offset: Int) {
        #expect(throws: ProposalSyntaxError(message, hint: hint, offset: offset, isUnsupported: message.contains("does not implement"))) {
            try ProposalParser.parse(text, for: .ike)
        }
    }
}
