import IKECrypto
import IKEWire

/// ⚠️ INSECURE, test-only (see ``InsecureCryptoProvider``): a "PRF" registered as
/// PRF_HMAC_SHA2_256 that is a non-cryptographic mix of key and data, 32 bytes out.
/// Any key length is accepted, as RFC 7296 §2.13 requires of a PRF.
public struct InsecurePseudorandomFunction: PseudorandomFunction {
    public let id: PseudorandomFunctionID

    public init(id: PseudorandomFunctionID = .hmacSHA2_256) { self.id = id }

    public var outputLength: Int { 32 }
    public var keyLength: Int { 32 }

    public func compute(key: SecretBytes, data: [UInt8]) -> SecretBytes {
        key.withUnsafeBytes { key in
            data.withUnsafeBytes { data in
                SecretBytes(count: outputLength) { InsecureMix.digest([key, data], count: outputLength, into: $0) }
            }
        }
    }
}
