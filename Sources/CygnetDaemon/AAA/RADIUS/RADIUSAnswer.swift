import IKECrypto

/// What the RADIUS server said to one EAP message of a conversation (RFC 3579 §2.6).
public enum RADIUSAnswer: Sendable, Equatable {
    /// Access-Challenge: send `eapMessage` to the peer and bring its response back with
    /// this challenge (``EAPRADIUSBackend/exchange(user:eapMessage:continuing:context:)``).
    case challenge(RADIUSChallenge)
    /// Access-Accept: the peer is authenticated.
    case accept(RADIUSAccept)
    /// Access-Reject: the peer is not.
    case reject(RADIUSReject)
}

/// An Access-Challenge: the next EAP request for the peer, and what the next
/// Access-Request of the conversation must carry.
public struct RADIUSChallenge: Sendable, Hashable {
    /// The EAP packet for the peer, reassembled from the EAP-Message attributes.
    public var eapMessage: [UInt8]
    /// The State attribute, echoed in the next Access-Request (RFC 2865 §5.24: "MUST be
    /// sent unmodified").
    public var state: [UInt8]?
    /// The server that holds the conversation: the next request goes to it alone, since
    /// no other server knows its State.
    public var server: String

    public init(eapMessage: [UInt8], state: [UInt8]?, server: String) {
        self.eapMessage = eapMessage
        self.state = state
        self.server = server
    }
}

/// An Access-Accept.
public struct RADIUSAccept: Sendable, Equatable {
    /// The EAP-Success for the peer, when the server sent one.
    public var eapMessage: [UInt8]?
    /// The MSK from MS-MPPE-Recv-Key and MS-MPPE-Send-Key (``MPPEKeys``), `nil` when the
    /// method has none (EAP-MD5) or the keys are missing or do not decrypt.
    public var msk: SecretBytes?
    /// Framed-IP-Address (RFC 2865 §5.8), the virtual IPv4 address the server chose;
    /// `nil` when absent or 255.255.255.255 / 255.255.255.254 (the NAS, that is the
    /// address pool, chooses).
    public var framedIPAddress: [UInt8]?
    /// The Class attributes, in order, for accounting (RFC 2865 §5.25).
    public var classes: [[UInt8]]
    /// Session-Timeout (RFC 2865 §5.27), in seconds.
    public var sessionTimeout: UInt32?
    /// The server that accepted.
    public var server: String

    public init(
        eapMessage: [UInt8]?, msk: SecretBytes?, framedIPAddress: [UInt8]?, classes: [[UInt8]], sessionTimeout: UInt32?, server: String
    ) {
        self.eapMessage = eapMessage
        self.msk = msk
        self.framedIPAddress = framedIPAddress
        self.classes = classes
        self.sessionTimeout = sessionTimeout
        self.server = server
    }
}

/// An Access-Reject, or an answer treated as one.
public struct RADIUSReject: Sendable, Hashable {
    /// The EAP-Failure for the peer, when the server sent one.
    public var eapMessage: [UInt8]?
    /// `true` when the server sent Access-Accept to the first message of a conversation,
    /// before any challenge: it authenticated nobody, and strongSwan's eap-radius plugin
    /// treats it as a reject too (some servers answer so when set to skip
    /// authentication).
    public var acceptedWithoutChallenge: Bool
    /// The server that rejected.
    public var server: String

    public init(eapMessage: [UInt8]?, acceptedWithoutChallenge: Bool, server: String) {
        self.eapMessage = eapMessage
        self.acceptedWithoutChallenge = acceptedWithoutChallenge
        self.server = server
    }
}
