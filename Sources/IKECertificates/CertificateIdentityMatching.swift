import IKEConfig
import IKEWire
import SwiftASN1
import X509

/// Matches an IKE identity (RFC 7296 §3.5) against an end-entity certificate, the way
/// strongSwan and the built-in clients do:
///
/// | ID type | matched against |
/// |---|---|
/// | ID_FQDN | a dNSName subjectAltName (case-insensitive, RFC 4945 §5.1.2.2 no wildcards) |
/// | ID_RFC822_ADDR | an rfc822Name subjectAltName (case-insensitive) |
/// | ID_IPV4_ADDR, ID_IPV6_ADDR | an iPAddress subjectAltName, byte for byte |
/// | ID_DER_ASN1_DN | the subject, DER compared |
/// | ID_KEY_ID and others | never matched from a certificate |
///
/// RFC 4945 §3.1: "Implementations MUST support ... matching ... the ID against the
/// contents of the certificate."
public enum CertificateIdentityMatching {
    /// Throws ``CertificateValidationFailure/Code/identityMismatch`` when `identity` is
    /// not in `certificate`.
    public static func check(_ identity: IKEIdentity, in certificate: Certificate) throws(CertificateValidationFailure) {
        let names: [GeneralName]
        do {
            names = Array(try certificate.extensions.subjectAlternativeNames ?? SubjectAlternativeNames())
        } catch {
            throw CertificateValidationFailure(
                .malformedCertificate, "the subjectAltName extension of '\(certificate.subject)' cannot be parsed: \(error)")
        }
        let matched: Bool
        switch identity.type {
        case .fqdn:
            let wanted = String(decoding: identity.data, as: UTF8.self).lowercased()
            matched = names.contains { if case .dnsName(let name) = $0 { name.lowercased() == wanted } else { false } }
        case .rfc822Address:
            let wanted = String(decoding: identity.data, as: UTF8.self).lowercased()
            matched = names.contains { if case .rfc822Name(let name) = $0 { name.lowercased() == wanted } else { false } }
        case .ipv4Address, .ipv6Address:
            matched = names.contains {
                if case .ipAddress(let address) = $0 { Array(address.bytes) == identity.data } else { false }
            }
        case .derASN1DN:
            var serializer = DER.Serializer()
            matched = (try? serializer.serialize(certificate.subject)) != nil && serializer.serializedBytes == identity.data
            if !matched {
                throw CertificateValidationFailure(
                    .identityMismatch,
                    "identity '\(describe(identity))' is not the certificate's subject '\(certificate.subject)'")
            }
        case .keyID:
            throw CertificateValidationFailure(
                .identityMismatch,
                "identity '\(describe(identity))' is an ID_KEY_ID, which a certificate never vouches for; "
                    + "use the certificate's subject or a subjectAltName as identity")
        default:
            throw CertificateValidationFailure(
                .identityMismatch, "identity '\(describe(identity))' of type \(identity.type) cannot be matched against a certificate")
        }
        guard matched else {
            throw CertificateValidationFailure(
                .identityMismatch,
                "identity '\(describe(identity))' not in the certificate's subjectAltNames [\(names.map(describe).joined(separator: ", "))]")
        }
    }

    /// ``check(_:in:)`` for a certificate in DER, as a TLS library hands it over (the
    /// other side's certificate of an EAP-TLS handshake).
    public static func check(_ identity: IKEIdentity, inDER der: [UInt8]) throws(CertificateValidationFailure) {
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: der)
        } catch {
            throw CertificateValidationFailure(.malformedCertificate, "not a DER X.509 certificate: \(error)")
        }
        try check(identity, in: certificate)
    }

    /// The identity as text for logs and `cygnet status`: addresses, names and e-mail
    /// addresses as written, a distinguished name in RFC 4514 form.
    public static func describe(_ identity: IKEIdentity) -> String {
        switch identity.type {
        case .derASN1DN:
            (try? DistinguishedName(derEncoded: DER.parse(identity.data))).map { "\($0)" } ?? identity.description
        default: identity.description
        }
    }

    static func describe(_ name: GeneralName) -> String {
        switch name {
        case .dnsName(let text): "DNS:\(text)"
        case .rfc822Name(let text): "email:\(text)"
        case .ipAddress(let address):
            [4, 16].contains(address.bytes.count) ? "IP:" + IPAddressText.format(address.bytes) : "IP:?"
        default: "\(name)"
        }
    }
}
