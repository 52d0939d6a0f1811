import IKECrypto
import IKEWire

@testable import ESPCore

/// The cipher suites the tests run over.
enum ESPTestSuite: String, CaseIterable, Sendable, CustomStringConvertible {
    case aesGCM16_128, aesGCM16_256, aesGCM12_192, aesGCM8_128, chacha20Poly1305
    case aesCBC128_hmacSHA256, aesCBC256_hmacSHA512, aesCTR256_hmacSHA384, null_hmacSHA256

    var description: String { rawValue }

    var encryption: EncryptionAlgorithm {
        switch self {
        case .aesGCM16_128: .aead(BoringAEAD.aesGCM(icvLength: 16, keyBits: 128)!)
        case .aesGCM16_256: .aead(BoringAEAD.aesGCM(icvLength: 16, keyBits: 256)!)
        case .aesGCM12_192: .aead(BoringAEAD.aesGCM(icvLength: 12, keyBits: 192)!)
        case .aesGCM8_128: .aead(BoringAEAD.aesGCM(icvLength: 8, keyBits: 128)!)
        case .chacha20Poly1305: .aead(BoringAEAD.chacha20Poly1305)
        case .aesCBC128_hmacSHA256: .cipher(BoringCipher.aesCBC(keyBits: 128)!)
        case .aesCBC256_hmacSHA512: .cipher(BoringCipher.aesCBC(keyBits: 256)!)
        case .aesCTR256_hmacSHA384: .cipher(BoringCipher.aesCTR(keyBits: 256)!)
        case .null_hmacSHA256: .cipher(BoringCipher.null)
        }
    }

    var integrity: (any IntegrityAlgorithm)? {
        let provider = CryptoProvider.default
        switch self {
        case .aesGCM16_128, .aesGCM16_256, .aesGCM12_192, .aesGCM8_128, .chacha20Poly1305: return nil
        case .aesCBC128_hmacSHA256, .null_hmacSHA256: return provider.integrityAlgorithms[.hmacSHA2_256_128]
        case .aesCBC256_hmacSHA512: return provider.integrityAlgorithms[.hmacSHA2_512_256]
        case .aesCTR256_hmacSHA384: return provider.integrityAlgorithms[.hmacSHA2_384_192]
        }
    }

    static func key(_ count: Int, seed: UInt8) -> SecretBytes {
        SecretBytes((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) })
    }

    var encryptionKey: SecretBytes { Self.key(encryption.keyMaterialLength, seed: 3) }
    var integrityKey: SecretBytes { Self.key(integrity?.keyLength ?? 0, seed: 101) }

    /// A matching outbound/inbound pair.
    func pair(spi: UInt32 = 0xC0FF_EE01, esn: Bool = false, window: Int = 1024) throws
        -> (outbound: ESPSecurityAssociation, inbound: ESPSecurityAssociation)
    {
        let make = {
            try ESPSecurityAssociation(
                spi: spi, encryption: encryption, encryptionKey: encryptionKey, integrity: integrity,
                integrityKey: integrityKey, usesExtendedSequenceNumbers: esn, replayWindowSize: window)
        }
        return (try make(), try make())
    }
}

func payload(_ count: Int, seed: UInt8 = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &+ Int(seed)) }
}

/// The error `body` throws, or `nil`.
func espError(_ body: () throws -> Void) -> ESPError.Code? {
    do {
        try body()
        return nil
    } catch let error as ESPError {
        return error.code
    } catch {
        return ESPError.Code(rawValue: .max)  // not an ESPError: never what a test expects
    }
}
