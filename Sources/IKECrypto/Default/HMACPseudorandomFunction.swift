import Crypto
import Foundation
import IKEWire

/// PRF_HMAC_SHA1 (RFC 2104) and PRF_HMAC_SHA2_256/384/512 (RFC 4868 §2.1).
public struct HMACPseudorandomFunction<Hash: HashFunction>: PseudorandomFunction {
    public let id: PseudorandomFunctionID

    public init(id: PseudorandomFunctionID) { self.id = id }

    public var outputLength: Int { Hash.Digest.byteCount }
    /// RFC 4868 §2.1.1 and RFC 7296 §2.13: the preferred key length is the output length.
    public var keyLength: Int { Hash.Digest.byteCount }

    public func compute(key: SecretBytes, data: [UInt8]) -> SecretBytes {
        let symmetricKey = key.withUnsafeBytes { SymmetricKey(data: $0) }
        let mac = HMAC<Hash>.authenticationCode(for: data, using: symmetricKey)
        return mac.withUnsafeBytes { SecretBytes($0) }
    }
}
