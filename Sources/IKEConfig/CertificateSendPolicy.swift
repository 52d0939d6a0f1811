/// When to send our certificate in IKE_AUTH (swanctl's `send_cert`).
public enum CertificateSendPolicy: Hashable, Sendable {
    /// strongSwan's default: only when the peer sent a CERTREQ payload, whichever CAs it
    /// names (RFC 7296 §3.7: the initiator reads it in the IKE_SA_INIT response, the
    /// responder in the IKE_AUTH request).
    case ifAsked
    /// Whenever we authenticate with a signature.
    case always
    /// Never: the peer has our certificate already.
    case never

    public init?(_ text: String) {
        switch text.lowercased() {
        case "ifasked": self = .ifAsked
        case "always": self = .always
        case "never": self = .never
        default: return nil
        }
    }
}
