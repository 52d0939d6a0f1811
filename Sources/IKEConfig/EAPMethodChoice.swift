import IKEWire

/// `auth = eap…`: which EAP method (RFC 3748) authenticates the initiator in IKE_AUTH
/// (RFC 7296 §2.16).
public enum EAPMethodChoice: Hashable, Sendable, CustomStringConvertible {
    /// `eap`: whichever method the two sides agree on (the authenticator proposes, the
    /// peer may answer with a Nak, RFC 3748 §5.3).
    case any
    /// `eap-md5`, `eap-mschapv2`, `eap-tls`: this method only.
    case method(EAPType)
    /// `eap-radius` (the authenticator's side): a RADIUS server (RFC 3579) runs the
    /// conversation and chooses the method.
    case radius

    /// The methods `auth = eap-NAME` names.
    public static let keywords: [String: EAPType] = ["md5": .md5Challenge, "mschapv2": .mschapv2, "tls": .tls]

    /// Parses `eap`, `eap-md5`, `eap-mschapv2`, `eap-tls` or `eap-radius` (any case).
    public init?(keyword: String) {
        let lower = keyword.lowercased()
        guard lower == "eap" || lower.hasPrefix("eap-") else { return nil }
        let name = lower.dropFirst(4)
        if name.isEmpty {
            self = .any
        } else if name == "radius" {
            self = .radius
        } else if let type = Self.keywords[String(name)] {
            self = .method(type)
        } else {
            return nil
        }
    }

    /// Whether a method that derives no MSK may authenticate the initiator: only where
    /// the configuration names one (`auth = eap-md5`). RFC 7296 §2.16: "EAP methods that
    /// do not establish a shared key SHOULD NOT be used, as they are subject to a number
    /// of man-in-the-middle attacks".
    public var allowsMethodWithoutKey: Bool { self == .method(.md5Challenge) }

    /// The methods EAP-only authentication (RFC 5998) may run: "EAP methods to be used
    /// with this extension MUST have the following properties: 1. The method provides
    /// mutual authentication of the peers. 2. The method is key-generating. 3. The
    /// method is resistant to dictionary attacks." (§4). Of Cygnet's, EAP-TLS; not
    /// MSCHAPv2 (a password hash, open to dictionary attacks) nor MD5-Challenge.
    public static let eapOnlyMethods: Set<EAPType> = [.tls]

    /// Whether `auth = …` can serve EAP-only authentication: `eap-tls`, or `eap`
    /// narrowed to ``eapOnlyMethods``.
    public var allowsEAPOnly: Bool {
        switch self {
        case .any: true
        case .method(let type): Self.eapOnlyMethods.contains(type)
        case .radius: false
        }
    }

    /// The swanctl keyword.
    public var description: String {
        switch self {
        case .any: "eap"
        case .radius: "eap-radius"
        case .method(let type): "eap-" + (Self.keywords.first { $0.value == type }?.key ?? "\(type.rawValue)")
        }
    }
}
