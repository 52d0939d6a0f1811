/// When to send our certificate in IKE_AUTH (swanctl's `send_cert`).
public enum CertificateSendPolicy: Hashable, Sendable {
    /// strongSwan's default: only when the peer sent a CERTREQ.
    case ifAsked
    case always
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
