import Crypto
import Foundation
import IKEWire
import _CryptoExtras

/// Checks the signature in a peer's AUTH payload (RFC 7296 §2.15, RFC 4754, RFC 7427,
/// RFC 8420) against its public key.
public enum AuthenticationVerifier {
    /// Verifies `authData` of method `authMethod` over `octets` with `publicKey`.
    ///
    /// Method 14 data is parsed with bounds checks (the ASN.1 Length octet against the data,
    /// the AlgorithmIdentifier as strict DER); the scheme it names, like that of methods 1
    /// and 9–11, must fit the key: an RSA scheme needs an RSA key, method 9 a P-256 key
    /// (RFC 4754 §3 ties each method to one curve), method-14 ECDSA any supported curve,
    /// Ed25519 an Ed25519 key.
    ///
    /// - Returns: the scheme the peer used, for logs and policy (e.g. refusing method 1).
    /// - Throws: ``IKECryptoError/Code/invalidSignature`` (which maps to
    ///   AUTHENTICATION_FAILED) for every failure, with a message saying which check failed.
    @discardableResult
    public static func verify(
        octets: [UInt8], authMethod: AuthenticationMethod, authData: ArraySlice<UInt8>, publicKey: PublicKey
    ) throws(IKECryptoError) -> SignatureScheme {
        let scheme: SignatureScheme
        var signature = authData
        switch authMethod {
        case .rsaDigitalSignature: scheme = .rsaSHA1
        case .ecdsaSHA256P256: scheme = .ecdsaP256SHA256
        case .ecdsaSHA384P384: scheme = .ecdsaP384SHA384
        case .ecdsaSHA512P521: scheme = .ecdsaP521SHA512
        case .digitalSignature:
            (scheme, signature) = try SignatureAlgorithmIdentifier.parseAuthenticationData(authData)
        default:
            throw invalid("Auth Method \(authMethod) is not a signature method Cygnet verifies")
        }
        guard scheme.fits(publicKey.keyType) else {
            throw invalid("the peer signed with \(scheme), which does not fit its \(publicKey.keyType)")
        }
        guard try isValid(Array(signature), octets: octets, scheme: scheme, publicKey: publicKey) else {
            throw invalid("the \(scheme) signature does not verify with the peer's \(publicKey.keyType)")
        }
        return scheme
    }

    /// Convenience for a whole array.
    @discardableResult
    public static func verify(
        octets: [UInt8], authMethod: AuthenticationMethod, authData: [UInt8], publicKey: PublicKey
    ) throws(IKECryptoError) -> SignatureScheme {
        try verify(octets: octets, authMethod: authMethod, authData: authData[...], publicKey: publicKey)
    }

    /// Verifies a bare signature value (no method-14 header) made with `scheme`.
    static func isValid(_ signature: [UInt8], octets: [UInt8], scheme: SignatureScheme, publicKey: PublicKey)
        throws(IKECryptoError) -> Bool
    {
        switch (publicKey, scheme) {
        case (.rsa(let key), .rsaSHA1):
            return key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: Insecure.SHA1.hash(data: octets),
                padding: .insecurePKCS1v1_5)
        case (.rsa(let key), .rsaPKCS1v15(let hash)):
            let digest = try SignatureDigest.digest(hash, of: octets)
            return key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: digest, padding: .insecurePKCS1v1_5)
        case (.rsa(let key), .rsaPSS(let hash, let saltLength)):
            let digest = try SignatureDigest.digest(hash, of: octets)
            if saltLength == hash.digestLength {
                return key.isValidSignature(
                    _RSA.Signing.RSASignature(rawRepresentation: signature), for: digest, padding: .PSS)
            }
            return BoringRSAPSS.isValidSignature(
                signature, digest: digest.withUnsafeBytes { Array($0) }, hash: hash, saltLength: saltLength,
                publicKeyDER: Array(key.pkcs1DERRepresentation))
        case (.p256(let key), .ecdsaP256SHA256):
            // RFC 4754 §7: r and s each as a fixed-length big-endian integer.
            guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: SHA256.hash(data: octets))
        case (.p384(let key), .ecdsaP384SHA384):
            guard let parsed = try? P384.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: SHA384.hash(data: octets))
        case (.p521(let key), .ecdsaP521SHA512):
            guard let parsed = try? P521.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: SHA512.hash(data: octets))
        case (.p256(let key), .ecdsa(let hash)):
            let raw = try ECDSASignatureEncoding.rawFromDER(signature[...], coordinateLength: 32)
            guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
            return key.isValidSignature(parsed, for: try SignatureDigest.digest(hash, of: octets))
        case (.p384(let key), .ecdsa(let hash)):
            let raw = try ECDSASignatureEncoding.rawFromDER(signature[...], coordinateLength: 48)
            guard let parsed = try? P384.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
            return key.isValidSignature(parsed, for: try SignatureDigest.digest(hash, of: octets))
        case (.p521(let key), .ecdsa(let hash)):
            let raw = try ECDSASignatureEncoding.rawFromDER(signature[...], coordinateLength: 66)
            guard let parsed = try? P521.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
            return key.isValidSignature(parsed, for: try SignatureDigest.digest(hash, of: octets))
        case (.ed25519(let key), .ed25519):
            return key.isValidSignature(signature, for: octets)
        default:
            return false
        }
    }

    private static func invalid(_ message: String) -> IKECryptoError {
        IKECryptoError(.invalidSignature, message)
    }
}
