/// Work the engine asks the host to do, polled with `pollEffect()`.
public enum IKEEffect: Sendable {
    case installChildSA(ChildSAInstallation)
    case removeChildSA(inboundSPI: UInt32, outboundSPI: UInt32)
    /// An installed Child SA pair moved with its IKE SA: new outer addresses, or a switch
    /// to or from UDP encapsulation; its keys and counters stay. No answer.
    case updateChildSA(ChildSAPathUpdate)
    /// Sign these octets with the connection's private key (the engine holds no long-term
    /// private key). Answer with
    /// ``IKECompletion/signed(_:_:)`` through `handleCompletion(_:now:)`.
    case sign(SigningRequest)
    /// Validate the peer's certificate chain and match the identity it claimed. Answer
    /// with ``IKECompletion/certificatesValidated(_:_:)``.
    case validateCertificates(CertificateValidationRequest)
    /// Responder: lease virtual IPs for an initiator that asked for them. Answer with
    /// ``IKECompletion/addressesAssigned(_:_:)``.
    case assignAddresses(AddressAssignmentRequest)
    /// Responder: the IKE SA that held these leases is gone (or the answer to an
    /// ``assignAddresses(_:)`` came too late); return them to their pools. No answer.
    case releaseAddresses([AddressAssignment.Address])
    /// Initiator: the responder assigned us these virtual IPs and attributes: put the
    /// addresses on the interface the Child SAs' traffic leaves by, before the Child SAs
    /// that follow use them. No answer.
    case addVirtualIPs(AddressAssignment)
    /// Initiator: the IKE SA that got these virtual IPs is gone; take them off. No answer.
    case removeVirtualIPs(AddressAssignment)
    /// Give this EAP message to the EAP method of the connection (RFC 7296 §2.16). Answer
    /// with ``IKECompletion/eap(_:_:)``; an answer that never comes ends the IKE SA after
    /// ``IKEEngineConfiguration/completionTimeout``.
    case eap(EAPExchangeRequest)
}
