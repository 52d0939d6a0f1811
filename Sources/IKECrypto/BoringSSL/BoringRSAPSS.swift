import CCryptoBoringSSL
import IKEWire

/// RSASSA-PSS verification with any salt length, which swift-crypto's `_RSA` API lacks (its
/// `.PSS` padding fixes the salt length to the hash length).
///
/// RFC 7427 lets the signer choose the salt length and states it in the AlgorithmIdentifier
/// parameters (RFC 4055 §3.1 `saltLength`), so a peer may sign with, say, a 20-octet salt
/// over SHA-256. This calls BoringSSL's `RSA_verify_pss_mgf1` with the stated length.
enum BoringRSAPSS {
    /// Whether `signature` is a valid RSASSA-PSS signature of `digest` (made with `hash`, MGF1
    /// with the same hash, `saltLength` octets of salt) by the PKCS#1 RSAPublicKey `publicKeyDER`.
    static func isValidSignature(
        _ signature: [UInt8], digest: [UInt8], hash: HashAlgorithm, saltLength: Int, publicKeyDER: [UInt8]
    ) -> Bool {
        let md: OpaquePointer? =
            switch hash {
            case .sha2_256: CCryptoBoringSSL_EVP_sha256()
            case .sha2_384: CCryptoBoringSSL_EVP_sha384()
            case .sha2_512: CCryptoBoringSSL_EVP_sha512()
            default: nil
            }
        guard let md, saltLength >= 0, saltLength <= Int(Int32.max) else { return false }
        let rsa = publicKeyDER.withUnsafeBufferPointer { buffer in
            CCryptoBoringSSL_RSA_public_key_from_bytes(buffer.baseAddress, buffer.count)
        }
        guard let rsa else { return false }
        defer { CCryptoBoringSSL_RSA_free(rsa) }
        let result = signature.withUnsafeBufferPointer { signature in
            digest.withUnsafeBufferPointer { digest in
                CCryptoBoringSSL_RSA_verify_pss_mgf1(
                    rsa, digest.baseAddress, digest.count, md, md, Int32(saltLength), signature.baseAddress,
                    signature.count)
            }
        }
        // Verification failures leave errors on BoringSSL's thread-local queue; drop them.
        CCryptoBoringSSL_ERR_clear_error()
        return result == 1
    }
}
