import IKEWire

/// Why the engine dropped a datagram (or, for ``Code-swift.struct/localFailure``, could
/// not send one): a code for counters and tests, its category, and a sentence for the
/// operator. Equality compares ``code``.
///
/// RFC 7296 §2.21: most of these are silent, "an unauthenticated answer would only help
/// an attacker"; what the peer is told instead, when a request is refused, is an
/// ``IKERefusal``.
public struct IKEDropReason: Hashable, Sendable, CustomStringConvertible {
    /// One cause of a drop. The values are stable: they name metric labels.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        // Malformed.
        /// The datagram does not decode as an IKE message (RFC 7296 §2.21.1: nothing is sent).
        public static let malformedMessage = Code(rawValue: 1)
        /// The message, or its decrypted payloads, break the payload rules of the exchange.
        public static let payloadRulesBroken = Code(rawValue: 2)
        /// A datagram on the NAT-T port that is neither IKE, ESP nor a keepalive (RFC 3948 §2).
        public static let unclassifiableDatagram = Code(rawValue: 3)
        /// An ESP packet handed to the IKE engine (the host routes ESP to the data plane).
        public static let espPacket = Code(rawValue: 4)
        /// A payload the exchange needs is missing (an IKE_SA_INIT request without KE or Nonce).
        public static let missingPayload = Code(rawValue: 5)
        /// A fragment whose Fragment Number or Total Fragments is out of range (RFC 7383 §2.5).
        public static let invalidFragment = Code(rawValue: 6)
        /// A notification whose data has the wrong form for its type (an
        /// ADDITIONAL_IP4_ADDRESS that is not four octets, RFC 4555 §4.2.2) in a message
        /// that cannot be refused (a response); the notification is ignored.
        public static let malformedNotification = Code(rawValue: 7)

        // Misbehaving.
        /// An SK message or SKF fragment failed its integrity check or did not decrypt
        /// (RFC 7296 §2.21.2, RFC 7383 §2.6).
        public static let integrityCheckFailed = Code(rawValue: 20)
        /// A response that does not fit the request it answers (wrong state, what we did
        /// not offer, a missing or unusable KE).
        public static let responseMismatch = Code(rawValue: 21)
        /// A COOKIE notification of the wrong size, or one retry too many (RFC 7296 §2.6).
        public static let unusableCookie = Code(rawValue: 22)
        /// More fragments than ``FragmentationPolicy/maximumFragments`` (RFC 7383 §2.6).
        public static let tooManyFragments = Code(rawValue: 23)
        /// Fragments that add up to more than ``FragmentationPolicy/maximumMessageSize``.
        public static let messageTooLarge = Code(rawValue: 24)

        // Incompatible.
        /// An exchange type we do not implement.
        public static let unsupportedExchange = Code(rawValue: 40)
        /// The peer answered our request with an error notification (``IKEDropReason/peerNotify``).
        public static let peerRefused = Code(rawValue: 41)

        // Stale.
        /// No IKE SA has the SPI of the message (or the ESP packet's peer).
        public static let noIKESA = Code(rawValue: 60)
        /// A response to no outstanding request: late, replayed or never asked for (RFC 7296 §2.1).
        public static let noOutstandingRequest = Code(rawValue: 61)
        /// A request outside the message-ID window (RFC 7296 §2.3).
        public static let outsideWindow = Code(rawValue: 62)
        /// A retransmitted IKE_SA_INIT request for an SA that moved past IKE_SA_INIT.
        public static let retransmissionPastSAInit = Code(rawValue: 63)
        /// A fragment already held (RFC 7383 §2.6).
        public static let duplicateFragment = Code(rawValue: 64)
        /// A fragment of an earlier transmission, made with a larger fragment size
        /// (RFC 7383 §2.6: Total Fragments below that of the fragments held).
        public static let fragmentOfEarlierTransmission = Code(rawValue: 65)
        /// The fragments held of a message, discarded because a fragment announces more
        /// of them: the peer fragments its retransmission smaller (RFC 7383 §2.6).
        public static let fragmentsSuperseded = Code(rawValue: 69)
        /// A fragment other than the first of a request already answered (RFC 7383 §2.6.1).
        public static let retransmittedFragmentIgnored = Code(rawValue: 66)
        /// A host answer (``IKECompletion``) for an IKE SA that is gone.
        public static let completionForUnknownSA = Code(rawValue: 67)
        /// A host answer (``IKECompletion``) the IKE SA does not wait for (answered
        /// already, or for another step).
        public static let unexpectedCompletion = Code(rawValue: 68)

        // Local.
        /// We could not build, protect or send a message, or start a request.
        public static let localFailure = Code(rawValue: 80)

        /// The category of this cause.
        public var category: IKEPeerErrorCategory {
            switch self {
            case .malformedMessage, .payloadRulesBroken, .unclassifiableDatagram, .espPacket, .missingPayload,
                .invalidFragment, .malformedNotification:
                .malformed
            case .integrityCheckFailed, .responseMismatch, .unusableCookie, .tooManyFragments, .messageTooLarge:
                .misbehaving
            case .unsupportedExchange, .peerRefused:
                .incompatible
            case .noIKESA, .noOutstandingRequest, .outsideWindow, .retransmissionPastSAInit, .duplicateFragment,
                .fragmentOfEarlierTransmission, .fragmentsSuperseded, .retransmittedFragmentIgnored, .completionForUnknownSA, .unexpectedCompletion:
                .stale
            case .localFailure:
                .local
            default:
                .misbehaving
            }
        }

        /// A stable snake_case name, for logs and metric labels.
        public var name: String {
            switch self {
            case .malformedMessage: "malformed_message"
            case .payloadRulesBroken: "payload_rules_broken"
            case .unclassifiableDatagram: "unclassifiable_datagram"
            case .espPacket: "esp_packet"
            case .missingPayload: "missing_payload"
            case .invalidFragment: "invalid_fragment"
            case .malformedNotification: "malformed_notification"
            case .integrityCheckFailed: "integrity_check_failed"
            case .responseMismatch: "response_mismatch"
            case .unusableCookie: "unusable_cookie"
            case .tooManyFragments: "too_many_fragments"
            case .messageTooLarge: "message_too_large"
            case .unsupportedExchange: "unsupported_exchange"
            case .peerRefused: "peer_refused"
            case .noIKESA: "no_ike_sa"
            case .noOutstandingRequest: "no_outstanding_request"
            case .outsideWindow: "outside_window"
            case .retransmissionPastSAInit: "retransmission_past_sa_init"
            case .duplicateFragment: "duplicate_fragment"
            case .fragmentOfEarlierTransmission: "fragment_of_earlier_transmission"
            case .fragmentsSuperseded: "fragments_superseded"
            case .retransmittedFragmentIgnored: "retransmitted_fragment_ignored"
            case .completionForUnknownSA: "completion_for_unknown_sa"
            case .unexpectedCompletion: "unexpected_completion"
            case .localFailure: "local_failure"
            default: "code_\(rawValue)"
            }
        }

        public var description: String { name }
    }

    public var code: Code
    /// The error notification the peer answered with, for ``Code-swift.struct/peerRefused``.
    public var peerNotify: NotifyMessageType?
    /// An operator-facing sentence: what was dropped and why. May name addresses and
    /// SPIs, never key material.
    public var text: String

    public init(_ code: Code, _ text: String, peerNotify: NotifyMessageType? = nil) {
        self.code = code
        self.text = text
        self.peerNotify = peerNotify
    }

    /// The peer answered our request for `what` with the error notification `notify`.
    static func peerRefused(_ what: String, _ notify: NotifyMessageType) -> IKEDropReason {
        IKEDropReason(.peerRefused, "peer refused \(what): \(notify)", peerNotify: notify)
    }

    public var category: IKEPeerErrorCategory { code.category }

    public var description: String { "\(code.name): \(text)" }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code && lhs.peerNotify == rhs.peerNotify }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(peerNotify)
    }
}
