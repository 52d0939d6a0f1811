import IKECrypto
import SwiftASN1
import X509

/// Our own certificate chain, from DER files the host loaded.
public enum LocalCertificateChain {
    /// `leaf` followed by the intermediate CAs among `candidates` that issued it, nearest
    /// first, without the self-signed root (the peer has it, or has no use for it); at
    /// most four levels. Unparsable input yields `[leaf]`.
    public static func chain(leaf: [UInt8], candidates: [[UInt8]]) -> [[UInt8]] {
        guard var current = try? Certificate(derEncoded: leaf) else { return [leaf] }
        let parsed = candidates.compactMap { der in (try? Certificate(derEncoded: der)).map { (der, $0) } }
        var chain = [leaf]
        for _ in 0..<4 {
            guard current.issuer != current.subject,
                let (der, issuer) = parsed.first(where: { $0.1.subject == current.issuer }),
                issuer.issuer != issuer.subject, !chain.contains(der)
            else { break }
            chain.append(der)
            current = issuer
        }
        return chain
    }

    /// The public key of a DER certificate; `nil` when it does not parse or its key is of
    /// no use for IKE.
    public static func publicKey(of der: [UInt8]) -> PublicKey? {
        guard let certificate = try? Certificate(derEncoded: der) else { return nil }
        return try? CertificateValidator.publicKey(of: certificate)
    }
}

extension CertificateValidator {
    /// Trust anchors from DER certificates; those that do not parse are skipped.
    public init(trustAnchorsDER: [[UInt8]]) {
        self.init(trustAnchors: trustAnchorsDER.compactMap { try? Certificate(derEncoded: $0) })
    }
}
