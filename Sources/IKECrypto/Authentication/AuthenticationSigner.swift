import Crypto
import Foundation
import IKEWire
import _CryptoExtras

/// Makes the signature of an AUTH payload over the octets RFC 7296 §2.15 defines (built by
/// `AuthenticationOctets`).
///
/// A protocol so that a host can sign through an agent, HSM or privilege-separated helper
/// (signing is an effect the engine asks the host to complete: `Docs/architecture.md`), and so
/// that tests can substitute a deterministic fake. ``PrivateKey`` is the in-process signer.
public protocol AuthenticationSigner: Sendable {
    /// The kind of key the signer holds, for ``SignatureScheme/preferred(for:peerHashes:preferPSS:)``.
    var keyType: KeyType { get }

    /// Signs `octets` with `scheme` and returns the AUTH payload's method and data.
    ///
    /// - Throws: ``IKECryptoError/Code/invalidSignature`` when the scheme does not fit the
    ///   key, ``IKECryptoError/Code/internalFailure`` when the library fails.
    func sign(octets: [UInt8], scheme: SignatureScheme, random: inout some RandomSource) throws(IKECryptoError)
        -> AuthenticationSignature
}

extension PrivateKey: AuthenticationSigner {
    /// Signs with swift-crypto.
    ///
    /// RSA PKCS#1 v1.5 and Ed25519 signatures are deterministic. ECDSA and RSASSA-PSS need
    /// fresh randomness (the nonce k, the salt), which swift-crypto draws from BoringSSL's
    /// own generator: it cannot be injected, so `random` is not used for them. A test that
    /// needs a byte-for-byte reproducible transcript with those schemes must sign through a
    /// deterministic fake ``AuthenticationSigner``; the engine only asks for the signature
    /// and never depends on its bytes beyond verification.
    public func sign(octets: [UInt8], scheme: SignatureScheme, random: inout some RandomSource) throws(IKECryptoError)
        -> AuthenticationSignature
    {
        guard scheme.fits(keyType) else {
            throw IKECryptoError(.invalidSignature, "cannot sign \(scheme) with an \(keyType) key")
        }
        let value: [UInt8]
        do {
            switch (self, scheme) {
            case (.rsa(let key), .rsaSHA1):
                let digest = Insecure.SHA1.hash(data: octets)
                value = Array(try key.signature(for: digest, padding: .insecurePKCS1v1_5).rawRepresentation)
            case (.rsa(let key), .rsaPKCS1v15(let hash)):
                let digest = try SignatureDigest.digest(hash, of: octets)
                value = Array(try key.signature(for: digest, padding: .insecurePKCS1v1_5).rawRepresentation)
            case (.rsa(let key), .rsaPSS(let hash, let saltLength)):
                guard saltLength == hash.digestLength else {
                    throw IKECryptoError(.invalidSignature,
                        "Cygnet signs RSASSA-PSS only with salt length = hash length (\(hash.digestLength))")
                }
                let digest = try SignatureDigest.digest(hash, of: octets)
                value = Array(try key.signature(for: digest, padding: .PSS).rawRepresentation)
            case (.p256(let key), .ecdsaP256SHA256):
                value = Array(try key.signature(for: SHA256.hash(data: octets)).rawRepresentation)
            case (.p384(let key), .ecdsaP384SHA384):
                value = Array(try key.signature(for: SHA384.hash(data: octets)).rawRepresentation)
            case (.p521(let key), .ecdsaP521SHA512):
                value = Array(try key.signature(for: SHA512.hash(data: octets)).rawRepresentation)
            case (.p256(let key), .ecdsa(let hash)):
                value = Array(try key.signature(for: try SignatureDigest.digest(hash, of: octets)).derRepresentation)
            case (.p384(let key), .ecdsa(let hash)):
                value = Array(try key.signature(for: try SignatureDigest.digest(hash, of: octets)).derRepresentation)
            case (.p521(let key), .ecdsa(let hash)):
                value = Array(try key.signature(for: try SignatureDigest.digest(hash, of: octets)).derRepresentation)
            case (.ed25519(let key), .ed25519):
                // RFC 8420 §2: Ed25519 signs the octets themselves ("Identity" hash).
                value = Array(try key.signature(for: octets))
            default:
                throw IKECryptoError(.invalidSignature, "cannot sign \(scheme) with an \(keyType) key")
            }
        } catch let error as IKECryptoError {
            throw error
        } catch {
            throw IKECryptoError(.internalFailure, "signing with \(scheme) failed")
        }
        return try AuthenticationSignature(scheme: scheme, signatureValue: value)
    }
}
