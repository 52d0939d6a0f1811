import IKECrypto

/// The host's EAP method's answer to an ``EAPExchangeRequest``.
public enum EAPExchangeAnswer: Sendable {
    /// The next EAP packet to send: a Request (authenticator) or a Response (peer).
    case send([UInt8])
    /// The method completed successfully. The authenticator may give the EAP Success
    /// packet to send (`nil`: the engine builds it with the identifier of the peer's last
    /// Response); the peer gives none. `msk` is the method's Master Session Key (RFC 5247),
    /// the shared key of the last AUTH payloads (RFC 7296 §2.16); `nil` for a method that
    /// derives none (EAP-MD5), which the connection must allow
    /// (`EAPMethodChoice.allowsMethodWithoutKey`).
    case succeeded(message: [UInt8]?, msk: SecretBytes?)
    /// The method failed (a wrong password, an unacceptable method). The authenticator may
    /// give the EAP Failure packet to send (`nil`: the engine builds it).
    case failed(message: [UInt8]?)
}
