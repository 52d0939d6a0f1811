/// Work the engine asks the host to do, polled with `pollEffect()`.
public enum IKEEffect: Sendable {
    case installChildSA(ChildSAInstallation)
    case removeChildSA(inboundSPI: UInt32, outboundSPI: UInt32)
    /// Sign these octets with the connection's private key (the engine holds no long-term
    /// private key). Answer with
    /// ``IKECompletion/signed(_:_:)`` through `handleCompletion(_:now:)`.
    case sign(SigningRequest)
    /// Validate the peer's certificate chain and match the identity it claimed. Answer
    /// with ``IKECompletion/certificatesValidated(_:_:)``.
    case validateCertificates(CertificateValidationRequest)
    /// Give this EAP message to the EAP method of the connection (RFC 7296 §2.16). Answer
    /// with ``IKECompletion/eap(_:_:)``; an answer that never comes ends the IKE SA after
    /// ``IKEEngineConfiguration/completionTimeout``.
    case eap(EAPExchangeRequest)
}
