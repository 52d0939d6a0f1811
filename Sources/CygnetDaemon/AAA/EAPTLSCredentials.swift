import EAPCore
import Foundation
import IKECertificates
import IKEConfig
import IKECrypto
import IKEWire

/// What EAP-TLS (RFC 5216) runs with in cygnetd, taken as strongSwan's eap-tls plugin
/// takes it from the same swanctl.conf:
///
/// - Our certificate is the connection's `local { certs }` (with the intermediates of
///   `x509ca/` that issued it, as for IKE) and its key the one of swanctl's `private/`,
///   `rsa/`, `ecdsa/` or `pkcs8/` that matches it: the gateway's (`local { auth = pubkey }`,
///   `remote { auth = eap-tls }`) serves as the TLS server certificate, the road
///   warrior's (`local { auth = eap-tls  certs = … }`) as the TLS client certificate.
/// - The other side's chain must lead to one of the connection's `remote { cacerts }`,
///   or to any CA of `x509ca/` when it names none.
/// - The other side's certificate must name whom it authenticates (``check(_:names:)``).
enum EAPTLSCredentials {
    /// The EAP-TLS configuration of a connection that may run EAP-TLS in either role
    /// (`auth = eap-tls` or `auth = eap` on either side), or `nil` when it has no
    /// certificate, no usable key or no CA to check the other side with.
    static func configuration(for peer: PeerConfiguration, key: PrivateKey?, trustAnchors: [[UInt8]])
        -> EAPTLSConfiguration?
    {
        guard mayRun(peer.localAuthentication) || mayRun(peer.remoteAuthentication), !peer.localCertificates.isEmpty,
            let keyPEM = key?.pemRepresentation
        else { return nil }
        let roots =
            peer.remoteCertificateAuthorities.isEmpty ? trustAnchors : peer.remoteCertificateAuthorities.map(\.certificate)
        guard !roots.isEmpty else { return nil }
        return EAPTLSConfiguration(
            certificateChainPEM: peer.localCertificates.flatMap(pem), privateKeyPEM: keyPEM,
            trustedRootsPEM: roots.flatMap(pem))
    }

    /// Whether `auth = …` may run EAP-TLS: `eap-tls`, or `eap` (any method).
    static func mayRun(_ authentication: AuthenticationConfiguration) -> Bool {
        authentication == .eap(.method(.tls)) || authentication == .eap(.any)
    }

    /// Refuses a certificate that validated but does not name `identity`, as strongSwan
    /// does: its TLS stack takes the other side's key only from a trusted certificate
    /// that matches the identity it authenticates, the EAP identity of the peer (the IKE
    /// identity when no `eap_id` is set) and the IKE identity of the server
    /// ("no trusted certificate found for '%Y' to verify TLS peer").
    static func check(_ certificate: [UInt8]?, names identity: IKEIdentity) -> EAPFailure? {
        guard let certificate else { return EAPFailure(.certificateMismatch, "no certificate to match '\(identity)' against") }
        do {
            try CertificateIdentityMatching.check(identity, inDER: certificate)
            return nil
        } catch {
            return EAPFailure(.certificateMismatch, "\(error)")
        }
    }

    /// The identity the peer's certificate must name: its EAP identity, read as strongSwan
    /// reads identity text (an e-mail address, an IPv4 address or a host name), or the IKE
    /// identity itself when the EAP identity is its text (no `eap_id`).
    static func identity(of eapIdentity: EAPIdentity, ikeIdentity: IKEIdentity) -> IKEIdentity {
        guard let text = eapIdentity.text else { return IKEIdentity(type: .fqdn, data: eapIdentity.bytes) }
        if text == ikeIdentity.description || eapIdentity.bytes == ikeIdentity.data { return ikeIdentity }
        return IKEIdentity(text)
    }

    /// A DER certificate as PEM, the form swift-nio-ssl reads.
    private static func pem(_ der: [UInt8]) -> [UInt8] {
        let body = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return Array("-----BEGIN CERTIFICATE-----\n\(body)\n-----END CERTIFICATE-----\n".utf8)
    }
}
