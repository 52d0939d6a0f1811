import IKEWire

extension ProposalTemplate {
    /// The proposal as strongSwan prints it in its logs and in `swanctl --list-conns`,
    /// e.g. `IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048`, so
    /// an operator can compare the two daemons' views.
    public func strongSwanDescription(for proto: ProposalProtocol) -> String {
        var names: [String] = []
        for choice in encryption {
            let base = Self.strongSwanName(choice.id)
            names.append(choice.keyBits.map { "\(base)_\($0)" } ?? base)
        }
        names += integrity.map(Self.strongSwanName)
        names += pseudorandomFunctions.map(Self.strongSwanName)
        names += keyExchangeMethods.map(Self.strongSwanName)
        names += sequenceNumbers.map { $0 == .extendedSequenceNumbers ? "EXT_SEQ" : "NO_EXT_SEQ" }
        return "\(proto.label):" + names.joined(separator: "/")
    }

    static func strongSwanName(_ id: EncryptionAlgorithmID) -> String {
        switch id {
        case .des: "DES_CBC"
        case .tripleDES: "3DES_CBC"
        case .null: "NULL"
        case .aesCBC: "AES_CBC"
        case .aesCTR: "AES_CTR"
        case .aesCCM8: "AES_CCM_8"
        case .aesCCM12: "AES_CCM_12"
        case .aesCCM16: "AES_CCM_16"
        case .aesGCM8: "AES_GCM_8"
        case .aesGCM12: "AES_GCM_12"
        case .aesGCM16: "AES_GCM_16"
        case .nullAuthAESGMAC: "NULL_AES_GMAC"
        case .chacha20Poly1305: "CHACHA20_POLY1305"
        default: "UNKNOWN_1_\(id.rawValue)"
        }
    }

    static func strongSwanName(_ id: IntegrityAlgorithmID) -> String {
        switch id {
        case .hmacSHA1_96: "HMAC_SHA1_96"
        case .aesXCBC96: "AES_XCBC_96"
        case .aesCMAC96: "AES_CMAC_96"
        case .hmacSHA2_256_128: "HMAC_SHA2_256_128"
        case .hmacSHA2_384_192: "HMAC_SHA2_384_192"
        case .hmacSHA2_512_256: "HMAC_SHA2_512_256"
        default: "UNKNOWN_3_\(id.rawValue)"
        }
    }

    static func strongSwanName(_ id: PseudorandomFunctionID) -> String {
        switch id {
        case .hmacSHA1: "PRF_HMAC_SHA1"
        case .aes128XCBC: "PRF_AES128_XCBC"
        case .hmacSHA2_256: "PRF_HMAC_SHA2_256"
        case .hmacSHA2_384: "PRF_HMAC_SHA2_384"
        case .hmacSHA2_512: "PRF_HMAC_SHA2_512"
        case .aes128CMAC: "PRF_AES128_CMAC"
        default: "UNKNOWN_2_\(id.rawValue)"
        }
    }

    static func strongSwanName(_ id: KeyExchangeMethodID) -> String {
        switch id {
        case .none: "KE_NONE"
        case .modp1024: "MODP_1024"
        case .modp1536: "MODP_1536"
        case .modp2048: "MODP_2048"
        case .modp3072: "MODP_3072"
        case .modp4096: "MODP_4096"
        case .modp6144: "MODP_6144"
        case .modp8192: "MODP_8192"
        case .ecp256: "ECP_256"
        case .ecp384: "ECP_384"
        case .ecp521: "ECP_521"
        case .curve25519: "CURVE_25519"
        case .curve448: "CURVE_448"
        case .mlKEM512: "ML_KEM_512"
        case .mlKEM768: "ML_KEM_768"
        case .mlKEM1024: "ML_KEM_1024"
        default: "UNKNOWN_4_\(id.rawValue)"
        }
    }
}
