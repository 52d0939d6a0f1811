import Crypto
import Foundation
import IKEWire

/// The hash of the signed octets for a scheme, as a swift-crypto `Digest` so it can be
/// passed to the signing APIs (which open the existential).
enum SignatureDigest {
    static func digest(_ hash: HashAlgorithm, of octets: [UInt8]) throws(IKECryptoError) -> any Digest {
        switch hash {
        case .sha1: Insecure.SHA1.hash(data: octets)
        case .sha2_256: SHA256.hash(data: octets)
        case .sha2_384: SHA384.hash(data: octets)
        case .sha2_512: SHA512.hash(data: octets)
        default: throw IKECryptoError(.invalidSignature, "no digest for hash algorithm \(hash)")
        }
    }
}
