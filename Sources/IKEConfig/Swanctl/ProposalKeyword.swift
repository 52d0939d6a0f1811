import IKEWire

/// One algorithm keyword of strongSwan's proposal syntax (`aes256gcm16`, `prfsha384`,
/// `ecp384`, ...; strongSwan's `proposal_keywords_static.txt`) and what it stands for.
public struct ProposalKeyword: Hashable, Sendable {
    /// The transform a keyword names.
    public enum Algorithm: Hashable, Sendable {
        case encryption(EncryptionAlgorithmID, keyBits: Int?)
        case integrity(IntegrityAlgorithmID)
        case pseudorandomFunction(PseudorandomFunctionID)
        case keyExchange(KeyExchangeMethodID)
        case sequenceNumbers(SequenceNumbersID)
    }

    public var keyword: String
    /// `nil` for keywords strongSwan knows whose algorithm Cygnet does not implement.
    public var algorithm: Algorithm?
    /// What the keyword stands for, for messages ("Camellia-CBC", "MD5", ...).
    public var name: String

    public init(_ keyword: String, _ algorithm: Algorithm?, name: String) {
        self.keyword = keyword
        self.algorithm = algorithm
        self.name = name
    }

    /// Whether Cygnet's crypto layer implements the keyword's algorithm.
    public var isSupported: Bool { algorithm != nil }

    /// Every keyword, supported or not, by name.
    public static let table: [String: ProposalKeyword] = Dictionary(
        (supported + unsupported).map { ($0.keyword, $0) }, uniquingKeysWith: { first, _ in first })

    /// The supported keywords, in a stable order (for hints and documentation).
    public static let supportedKeywords: [String] = supported.map(\.keyword)

    /// The keyword for `text` (keywords are case-insensitive, as strongSwan's lookup is).
    public static func lookUp(_ text: String) -> ProposalKeyword? { table[text.lowercased()] }

    static let supported: [ProposalKeyword] = {
        var keywords: [ProposalKeyword] = []
        func encryption(_ keyword: String, _ id: EncryptionAlgorithmID, _ bits: Int?, _ name: String) {
            keywords.append(ProposalKeyword(keyword, .encryption(id, keyBits: bits), name: name))
        }
        encryption("aes", .aesCBC, 128, "AES-CBC-128")
        for bits in [128, 192, 256] {
            encryption("aes\(bits)", .aesCBC, bits, "AES-CBC-\(bits)")
            encryption("aes\(bits)ctr", .aesCTR, bits, "AES-CTR-\(bits)")
            for (suffix, id, icv) in [
                ("8", EncryptionAlgorithmID.aesGCM8, 8), ("64", .aesGCM8, 8), ("12", .aesGCM12, 12),
                ("96", .aesGCM12, 12), ("16", .aesGCM16, 16), ("128", .aesGCM16, 16), ("", .aesGCM16, 16),
            ] {
                encryption("aes\(bits)gcm\(suffix)", id, bits, "AES-GCM-\(bits) with a \(icv)-byte ICV")
            }
        }
        encryption("chacha20poly1305", .chacha20Poly1305, nil, "ChaCha20-Poly1305")
        encryption("3des", .tripleDES, nil, "3DES")
        encryption("null", .null, nil, "NULL encryption")
        func integrity(_ keyword: String, _ id: IntegrityAlgorithmID, _ name: String) {
            keywords.append(ProposalKeyword(keyword, .integrity(id), name: name))
        }
        integrity("sha", .hmacSHA1_96, "HMAC-SHA1-96")
        integrity("sha1", .hmacSHA1_96, "HMAC-SHA1-96")
        integrity("sha256", .hmacSHA2_256_128, "HMAC-SHA2-256-128")
        integrity("sha2_256", .hmacSHA2_256_128, "HMAC-SHA2-256-128")
        integrity("sha384", .hmacSHA2_384_192, "HMAC-SHA2-384-192")
        integrity("sha2_384", .hmacSHA2_384_192, "HMAC-SHA2-384-192")
        integrity("sha512", .hmacSHA2_512_256, "HMAC-SHA2-512-256")
        integrity("sha2_512", .hmacSHA2_512_256, "HMAC-SHA2-512-256")
        integrity("aesxcbc", .aesXCBC96, "AES-XCBC-96")
        integrity("aescmac", .aesCMAC96, "AES-CMAC-96")
        func prf(_ keyword: String, _ id: PseudorandomFunctionID, _ name: String) {
            keywords.append(ProposalKeyword(keyword, .pseudorandomFunction(id), name: name))
        }
        prf("prfsha1", .hmacSHA1, "PRF-HMAC-SHA1")
        prf("prfsha256", .hmacSHA2_256, "PRF-HMAC-SHA2-256")
        prf("prfsha384", .hmacSHA2_384, "PRF-HMAC-SHA2-384")
        prf("prfsha512", .hmacSHA2_512, "PRF-HMAC-SHA2-512")
        prf("prfaesxcbc", .aes128XCBC, "PRF-AES128-XCBC")
        prf("prfaescmac", .aes128CMAC, "PRF-AES128-CMAC")
        func keyExchange(_ keyword: String, _ id: KeyExchangeMethodID, _ name: String) {
            keywords.append(ProposalKeyword(keyword, .keyExchange(id), name: name))
        }
        keyExchange("none", .none, "no key exchange")
        keyExchange("modpnone", .none, "no key exchange")
        keyExchange("modp1024", .modp1024, "1024-bit MODP group (2)")
        keyExchange("modp1536", .modp1536, "1536-bit MODP group (5)")
        keyExchange("modp2048", .modp2048, "2048-bit MODP group (14)")
        keyExchange("modp3072", .modp3072, "3072-bit MODP group (15)")
        keyExchange("modp4096", .modp4096, "4096-bit MODP group (16)")
        keyExchange("modp6144", .modp6144, "6144-bit MODP group (17)")
        keyExchange("modp8192", .modp8192, "8192-bit MODP group (18)")
        keyExchange("ecp256", .ecp256, "256-bit random ECP group (19)")
        keyExchange("ecp384", .ecp384, "384-bit random ECP group (20)")
        keyExchange("ecp521", .ecp521, "521-bit random ECP group (21)")
        keyExchange("curve25519", .curve25519, "Curve25519 (31)")
        keyExchange("x25519", .curve25519, "Curve25519 (31)")
        keyExchange("mlkem768", .mlKEM768, "ML-KEM-768 (36)")
        keyExchange("mlkem1024", .mlKEM1024, "ML-KEM-1024 (37)")
        keywords.append(ProposalKeyword("esn", .sequenceNumbers(.extendedSequenceNumbers), name: "extended sequence numbers"))
        keywords.append(ProposalKeyword("noesn", .sequenceNumbers(.noExtendedSequenceNumbers), name: "32-bit sequence numbers"))
        return keywords
    }()

    /// Keywords strongSwan knows that name algorithms Cygnet does not implement.
    static let unsupported: [ProposalKeyword] = {
        var keywords: [(String, String)] = [("des", "DES"), ("chacha20poly1305compat", "ChaCha20-Poly1305 (draft compat)")]
        for bits in [128, 192, 256] {
            for suffix in ["8", "64", "12", "96", "16", "128", ""] {
                keywords.append(("aes\(bits)ccm\(suffix)", "AES-CCM-\(bits)"))
            }
            keywords.append(("aes\(bits)gmac", "AES-GMAC-\(bits) (ENCR_NULL_AUTH_AES_GMAC)"))
            for suffix in ["", "ctr"] { keywords.append(("camellia\(bits)\(suffix)", "Camellia-\(bits)")) }
            for suffix in ["8", "64", "12", "96", "16", "128"] {
                keywords.append(("camellia\(bits)ccm\(suffix)", "Camellia-CCM-\(bits)"))
            }
            keywords.append(("blowfish\(bits)", "Blowfish-\(bits)"))
            keywords.append(("serpent\(bits)", "Serpent-\(bits)"))
            keywords.append(("twofish\(bits)", "Twofish-\(bits)"))
        }
        keywords += [
            ("camellia", "Camellia-CBC"), ("blowfish", "Blowfish"), ("cast128", "CAST-128"), ("serpent", "Serpent"),
            ("twofish", "Twofish"), ("sha1_160", "HMAC-SHA1-160"), ("sha256_96", "HMAC-SHA2-256-96 (pre-RFC 4868)"),
            ("sha2_256_96", "HMAC-SHA2-256-96 (pre-RFC 4868)"), ("md5", "HMAC-MD5-96"), ("md5_128", "HMAC-MD5-128"),
            ("camelliaxcbc", "Camellia-XCBC-96"), ("prfmd5", "PRF-HMAC-MD5"), ("prfcamelliaxcbc", "PRF-Camellia128-XCBC"),
            ("modpnull", "the NULL MODP group"), ("modp768", "768-bit MODP group (1)"),
            ("modp1024s160", "1024-bit MODP group with 160-bit subgroup (22)"),
            ("modp2048s224", "2048-bit MODP group with 224-bit subgroup (23)"),
            ("modp2048s256", "2048-bit MODP group with 256-bit subgroup (24)"), ("ecp192", "192-bit random ECP group (25)"),
            ("ecp224", "224-bit random ECP group (26)"), ("ecp224bp", "brainpoolP224r1 (27)"),
            ("ecp256bp", "brainpoolP256r1 (28)"), ("ecp384bp", "brainpoolP384r1 (29)"), ("ecp512bp", "brainpoolP512r1 (30)"),
            ("curve448", "Curve448 (32)"), ("x448", "Curve448 (32)"), ("mlkem512", "ML-KEM-512 (35)"),
        ]
        for level in ["1", "3", "5"] {
            for family in ["kyber", "ntrup", "saber", "bike", "frodoa", "frodos", "hqc"] {
                keywords.append(("\(family)\(level)", "the experimental \(family) key exchange"))
            }
        }
        keywords += [("ntru112", "NTRU"), ("ntru128", "NTRU"), ("ntru192", "NTRU"), ("ntru256", "NTRU"), ("ntrur3", "NTRU")]
        return keywords.map { ProposalKeyword($0.0, nil, name: $0.1) }
    }()
}
