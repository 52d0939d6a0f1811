import Crypto
import Foundation
import IKEConfig
import IKECore
import IKECrypto
import IKEWire
import SwiftASN1
@_spi(FixedExpiryValidationTime) import X509

/// Validates a peer's CERT payloads (RFC 7296 §3.6: end entity first, then
/// intermediates) up to configured CA certificates with swift-certificates' `Verifier`
/// and `RFC5280Policy`, at a validation time the caller passes in, matches the claimed
/// identity against the end entity, and hands back its public key for the engine to
/// verify AUTH with.
///
/// This is the host's half of ``IKEEffect/validateCertificates(_:)``:
/// ``complete(_:at:)`` turns a request into the ``IKECompletion`` for
/// `IKEEngine.handleCompletion(_:now:)`.
public struct CertificateValidator: Sendable {
    /// The CAs a chain must lead to.
    public var trustAnchors: [Certificate]

    public init(trustAnchors: [Certificate]) {
        self.trustAnchors = trustAnchors
    }

    /// Trust anchors from PEM text holding one or more `CERTIFICATE` blocks.
    public init(trustAnchorsPEM pem: String) throws(CertificateValidationFailure) {
        self.init(trustAnchors: try Self.certificates(pem: pem))
    }

    /// SHA-1 hashes of the anchors' SubjectPublicKeyInfo: the Certification Authority
    /// field of a CERTREQ (RFC 7296 §3.7), for ``IKEEngineConfiguration/certificateAuthorityKeyHashes``.
    public var certificateRequestHashes: [[UInt8]] { trustAnchors.compactMap(Self.keyHash) }

    /// A CA a connection names, with the hash a CERTREQ names it by; `nil` when `der` is
    /// not a certificate.
    public static func certificateAuthority(der: [UInt8]) -> CertificateAuthority? {
        guard let certificate = try? Certificate(derEncoded: der), let hash = keyHash(of: certificate) else { return nil }
        return CertificateAuthority(certificate: der, keyHash: hash)
    }

    /// The SHA-1 hash of a certificate's SubjectPublicKeyInfo (RFC 7296 §3.7).
    static func keyHash(of certificate: Certificate) -> [UInt8]? {
        var serializer = DER.Serializer()
        guard (try? serializer.serialize(certificate.publicKey)) != nil else { return nil }
        return Array(Insecure.SHA1.hash(data: serializer.serializedBytes))
    }

    /// Validates `chain` (DER, end entity first) at `time` and checks `identity` against
    /// the end entity and each certificate's signature against `constraints`. With
    /// `authorities` (a connection's `remote { cacerts }`), the chain must also pass
    /// through one of them.
    ///
    /// - Returns: the end entity's public key.
    public func validate(
        chain: [[UInt8]], identity: IKEIdentity, constraints: SignatureConstraints = .none, at time: Date,
        through authorities: [Certificate] = []
    ) async -> Result<IKECrypto.PublicKey, CertificateValidationFailure> {
        do {
            return .success(try await validateThrowing(
                chain: chain, identity: identity, constraints: constraints, at: time, through: authorities))
        } catch let failure as CertificateValidationFailure {
            return .failure(failure)
        } catch {
            return .failure(CertificateValidationFailure(.untrustedChain, "\(error)"))
        }
    }

    /// Answers an engine's request, through the CAs of its connection if it names any.
    public func complete(_ request: CertificateValidationRequest, at time: Date) async -> IKECompletion {
        var authorities: [Certificate] = []
        for der in request.certificateAuthorities {
            guard let authority = try? Certificate(derEncoded: der) else {
                let failure = CertificateValidationFailure(
                    .malformedCertificate, "a CA certificate of connection '\(request.connection)' is not DER X.509")
                return .certificatesValidated(request.id, .failure(failure.completionFailure))
            }
            authorities.append(authority)
        }
        let result = await validate(
            chain: request.certificates, identity: request.claimedIdentity, constraints: request.signatureConstraints,
            at: time, through: authorities)
        return .certificatesValidated(request.id, result.mapError(\.completionFailure))
    }

    private func validateThrowing(
        chain: [[UInt8]], identity: IKEIdentity, constraints: SignatureConstraints, at time: Date,
        through authorities: [Certificate]
    ) async throws -> IKECrypto.PublicKey {
        guard !chain.isEmpty else {
            throw CertificateValidationFailure(.malformedCertificate, "the peer sent no certificate")
        }
        var certificates: [Certificate] = []
        for (index, der) in chain.enumerated() {
            do {
                certificates.append(try Certificate(derEncoded: der))
            } catch {
                throw CertificateValidationFailure(
                    .malformedCertificate,
                    "CERT payload \(index + 1) (\(index == 0 ? "end entity" : "intermediate")) is not a DER X.509 certificate: \(error)")
            }
        }
        guard let leaf = certificates.first else {
            throw CertificateValidationFailure(.malformedCertificate, "the peer sent no certificate")
        }
        let name = Self.name(of: leaf)
        // Dates first, so the operator reads "expired" rather than "no chain".
        for certificate in certificates {
            let which = certificate == leaf ? "certificate for '\(name)'" : "intermediate CA '\(certificate.subject)'"
            if certificate.notValidAfter < time {
                throw CertificateValidationFailure(.expired, "\(which) expired \(Self.day(certificate.notValidAfter))")
            }
            if certificate.notValidBefore > time {
                throw CertificateValidationFailure(
                    .notYetValid, "\(which) is not valid before \(Self.day(certificate.notValidBefore)); check the clocks")
            }
        }
        var verifier = Verifier(rootCertificates: CertificateStore(trustAnchors + authorities)) {
            RFC5280Policy(fixedExpiryValidationTime: time)
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(certificates.dropFirst()))
        switch result {
        case .validCertificate(let validated):
            try Self.checkSignatures(of: Array(validated), against: constraints)
            // strongSwan's `cacerts` constraint: one of the connection's CAs in the chain.
            if !authorities.isEmpty, !validated.contains(where: authorities.contains) {
                throw CertificateValidationFailure(
                    .certificateAuthorityMismatch,
                    "chain of '\(name)' (issued by '\(leaf.issuer)') passes through none of the connection's CAs ("
                        + authorities.map { "'\($0.subject)'" }.joined(separator: ", ") + ")")
            }
        case .couldNotValidate(let failures):
            let details = failures.map { "\($0.policyFailureReason)" }
            let anchors = trustAnchors.map { "'\($0.subject)'" }.joined(separator: ", ")
            throw CertificateValidationFailure(
                .untrustedChain,
                "chain of '\(name)' (issued by '\(leaf.issuer)', \(certificates.count) certificate(s) sent) "
                    + "does not lead to a configured CA (\(anchors.isEmpty ? "none configured" : anchors))"
                    + (details.isEmpty ? "" : ": " + details.joined(separator: "; ")))
        }
        try CertificateIdentityMatching.check(identity, in: leaf)
        return try Self.publicKey(of: leaf)
    }

    /// Refuses a validated chain (end entity first, the trust anchor last) in which a
    /// certificate is signed with a scheme `remote { auth = … }` does not allow. As in
    /// strongSwan, every signature up to the trust anchor counts; the anchor's own does
    /// not.
    static func checkSignatures(of chain: [Certificate], against constraints: SignatureConstraints)
        throws(CertificateValidationFailure)
    {
        guard !constraints.chainRules.isEmpty else { return }
        for (certificate, issuer) in zip(chain, chain.dropFirst()) {
            let algorithm = certificate.signatureAlgorithm
            guard let scheme = scheme(of: algorithm), constraints.allowsCertificateSignature(scheme) else {
                throw CertificateValidationFailure(
                    .signatureNotAllowed,
                    "'\(name(of: certificate))' is signed with \(algorithm) by '\(issuer.subject)', which remote auth = "
                        + "\(constraints.text) does not allow (without ike: it constrains the certificate chain too)")
            }
        }
    }

    /// The signature scheme of a certificate's signature algorithm, if IKE has one like it.
    static func scheme(of algorithm: Certificate.SignatureAlgorithm) -> SignatureScheme? {
        switch algorithm {
        case .sha1WithRSAEncryption: .rsaSHA1
        case .sha256WithRSAEncryption: .rsaPKCS1v15(.sha2_256)
        case .sha384WithRSAEncryption: .rsaPKCS1v15(.sha2_384)
        case .sha512WithRSAEncryption: .rsaPKCS1v15(.sha2_512)
        case .ecdsaWithSHA256: .ecdsa(.sha2_256)
        case .ecdsaWithSHA384: .ecdsa(.sha2_384)
        case .ecdsaWithSHA512: .ecdsa(.sha2_512)
        case .ed25519: .ed25519
        default: nil
        }
    }

    /// The end entity's key as IKECrypto's ``IKECrypto/PublicKey``.
    public static func publicKey(of certificate: Certificate) throws(CertificateValidationFailure) -> IKECrypto.PublicKey {
        let key = certificate.publicKey
        if let p256 = P256.Signing.PublicKey(key) { return .p256(p256) }
        if let p384 = P384.Signing.PublicKey(key) { return .p384(p384) }
        if let p521 = P521.Signing.PublicKey(key) { return .p521(p521) }
        if let ed25519 = Curve25519.Signing.PublicKey(key) { return .ed25519(ed25519) }
        // RSA through IKECrypto's SubjectPublicKeyInfo reader, which checks the size.
        var serializer = DER.Serializer()
        do {
            try serializer.serialize(key)
            return try IKECrypto.PublicKey(derRepresentation: serializer.serializedBytes)
        } catch {
            throw CertificateValidationFailure(
                .unsupportedKey, "the key of '\(name(of: certificate))' cannot be used for IKE authentication: \(error)")
        }
    }

    /// Certificates from PEM text.
    public static func certificates(pem: String) throws(CertificateValidationFailure) -> [Certificate] {
        do {
            return try PEMDocument.parseMultiple(pemString: pem).map { try Certificate(pemDocument: $0) }
        } catch {
            throw CertificateValidationFailure(.malformedCertificate, "not PEM certificates: \(error)")
        }
    }

    /// The DER of each `CERTIFICATE` block of PEM text, in order: what
    /// `PeerConfiguration.localCertificates` holds.
    public static func derCertificates(pem: String) throws(CertificateValidationFailure) -> [[UInt8]] {
        do {
            return try PEMDocument.parseMultiple(pemString: pem).filter { $0.discriminator == "CERTIFICATE" }
                .map { Array($0.derBytes) }
        } catch {
            throw CertificateValidationFailure(.malformedCertificate, "not PEM certificates: \(error)")
        }
    }

    /// The name to show for a certificate: its first dNSName or rfc822Name, else subject.
    static func name(of certificate: Certificate) -> String {
        if let names = try? certificate.extensions.subjectAlternativeNames {
            for name in names {
                switch name {
                case .dnsName(let text), .rfc822Name(let text): return text
                default: continue
                }
            }
        }
        return "\(certificate.subject)"
    }

    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }
}
