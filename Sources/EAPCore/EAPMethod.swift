import IKEWire

/// An authentication method Cygnet implements, in either role.
public enum EAPMethod: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// EAP-MD5-Challenge (RFC 3748 §5.4): a password check with no mutual authentication
    /// and no key.
    case md5Challenge
    /// EAP-MSCHAPv2 (draft-kamath-pppext-eap-mschapv2 over RFC 2759): mutual password
    /// authentication whose MPPE keys (RFC 3079) become the MSK.
    case mschapv2
    /// EAP-TLS (RFC 5216): mutual certificate authentication; the MSK comes from the TLS
    /// master secret (RFC 5216 §2.3).
    case tls

    /// The method's Type on the wire.
    public var type: EAPType {
        switch self {
        case .md5Challenge: .md5Challenge
        case .mschapv2: .mschapv2
        case .tls: .tls
        }
    }

    /// The method of a Type, if implemented.
    public init?(type: EAPType) {
        switch type {
        case .md5Challenge: self = .md5Challenge
        case .mschapv2: self = .mschapv2
        case .tls: self = .tls
        default: return nil
        }
    }

    /// Whether the method derives a Master Session Key (RFC 3748 §7.10). IKEv2 computes
    /// AUTH from the MSK when there is one (RFC 7296 §2.16); a method without one is open
    /// to a man in the middle, so the caller should accept it only where configured.
    public var generatesMSK: Bool {
        switch self {
        case .md5Challenge: false
        case .mschapv2, .tls: true
        }
    }

    public var description: String { type.description }
}
