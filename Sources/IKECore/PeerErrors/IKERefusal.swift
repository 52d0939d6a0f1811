import IKECrypto
import IKEWire

/// Why we refused a peer's request, and the error notification that tells it so. Equality
/// compares ``code``.
///
/// Every refusal of a request goes through ``Code-swift.struct/notifyType``, the one
/// table from cause to the Notify type RFC 7296 §3.10.1 names for it.
public struct IKERefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// One cause of a refusal.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// A payload the request needs is missing or unusable.
        public static let malformedRequest = Code(rawValue: 1)
        /// The peer's key exchange public value is invalid (RFC 7296 §3.4, RFC 6989).
        public static let invalidKeyExchangeValue = Code(rawValue: 2)
        /// A request the SA's state does not allow: IKE_AUTH on an established SA, an
        /// INFORMATIONAL before IKE_AUTH completed.
        public static let exchangeNotAllowed = Code(rawValue: 3)
        /// A CREATE_CHILD_SA before IKE_AUTH completed.
        public static let childSANotAllowed = Code(rawValue: 4)
        /// No proposal of the peer is acceptable (RFC 7296 §2.7).
        public static let noProposalChosen = Code(rawValue: 5)
        /// The peer's traffic selectors are outside what every child allows (RFC 7296 §2.9).
        public static let trafficSelectorsUnacceptable = Code(rawValue: 6)
        /// The KE payload is not for the chosen group (RFC 7296 §1.3); the notification
        /// names the group we want.
        public static let keyExchangeGroupMismatch = Code(rawValue: 7)
        /// A collision with an exchange in progress (RFC 7296 §2.25).
        public static let collision = Code(rawValue: 8)
        /// A rekey of a Child SA we do not have (RFC 7296 §3.10.1).
        public static let childSANotFound = Code(rawValue: 9)
        /// The peer's authentication failed (RFC 7296 §2.21.2).
        public static let authenticationFailed = Code(rawValue: 10)
        /// The IKE SA has ``IKEEngine/maximumChildSAs`` Child SAs already (RFC 7296
        /// §3.10.1, NO_ADDITIONAL_SAS).
        public static let childSALimitReached = Code(rawValue: 11)
        /// A CREATE_CHILD_SA on an IKE SA that a rekey already replaced (RFC 7296 §2.18):
        /// the peer is to use the new one.
        public static let ikeSAReplaced = Code(rawValue: 12)
        /// No connection's `local_addrs` and `remote_addrs` include the addresses an
        /// IKE_SA_INIT request travelled between; answered NO_PROPOSAL_CHOSEN, as strongSwan does.
        public static let noMatchingConnection = Code(rawValue: 13)
        /// A payload of a type we do not know, marked critical (RFC 7296 §2.5); the
        /// notification names its type.
        public static let unsupportedCriticalPayload = Code(rawValue: 14)
        /// No virtual IP could be assigned for the initiator's CFG_REQUEST (RFC 7296
        /// §3.15.4); no Child SA is created in that IKE_AUTH.
        public static let internalAddressFailure = Code(rawValue: 20)
        /// An address update carried NO_NATS_ALLOWED whose addresses and ports are not
        /// those of the IP header (RFC 4555 §3.9): a NAT (or an attacker) rewrote them;
        /// the SA does not move.
        public static let unexpectedNATDetected = Code(rawValue: 21)

        /// The Notify type that refuses a request for this cause (RFC 7296 §3.10.1).
        public var notifyType: NotifyMessageType {
            switch self {
            case .malformedRequest, .invalidKeyExchangeValue, .exchangeNotAllowed: .invalidSyntax
            case .childSANotAllowed, .childSALimitReached: .noAdditionalSAs
            case .noProposalChosen, .noMatchingConnection: .noProposalChosen
            case .trafficSelectorsUnacceptable: .tsUnacceptable
            case .keyExchangeGroupMismatch: .invalidKEPayload
            case .collision, .ikeSAReplaced: .temporaryFailure
            case .childSANotFound: .childSANotFound
            case .authenticationFailed: .authenticationFailed
            case .unsupportedCriticalPayload: .unsupportedCriticalPayload
            case .internalAddressFailure: .internalAddressFailure
            case .unexpectedNATDetected: .unexpectedNATDetected
            default: .invalidSyntax
            }
        }

        /// The category of this cause.
        public var category: IKEPeerErrorCategory {
            switch self {
            case .malformedRequest, .invalidKeyExchangeValue: .malformed
            case .exchangeNotAllowed, .childSANotAllowed, .authenticationFailed, .childSALimitReached: .misbehaving
            case .noProposalChosen, .noMatchingConnection, .trafficSelectorsUnacceptable, .keyExchangeGroupMismatch,
                .unsupportedCriticalPayload, .unexpectedNATDetected:
                .incompatible
            case .collision, .childSANotFound, .ikeSAReplaced: .stale
            case .internalAddressFailure: .local
            default: .misbehaving
            }
        }

        /// A stable snake_case name, for logs and metric labels.
        public var name: String {
            switch self {
            case .malformedRequest: "malformed_request"
            case .invalidKeyExchangeValue: "invalid_key_exchange_value"
            case .exchangeNotAllowed: "exchange_not_allowed"
            case .childSANotAllowed: "child_sa_not_allowed"
            case .noProposalChosen: "no_proposal_chosen"
            case .trafficSelectorsUnacceptable: "ts_unacceptable"
            case .keyExchangeGroupMismatch: "key_exchange_group_mismatch"
            case .collision: "collision"
            case .childSANotFound: "child_sa_not_found"
            case .authenticationFailed: "authentication_failed"
            case .childSALimitReached: "child_sa_limit_reached"
            case .ikeSAReplaced: "ike_sa_replaced"
            case .noMatchingConnection: "no_matching_connection"
            case .unsupportedCriticalPayload: "unsupported_critical_payload"
            case .internalAddressFailure: "internal_address_failure"
            case .unexpectedNATDetected: "unexpected_nat_detected"
            default: "code_\(rawValue)"
            }
        }

        public var description: String { name }
    }

    public var code: Code
    /// An operator-facing sentence; for a negotiation, it names both sides' offers.
    public var text: String
    /// The Protocol ID and SPI of the notification (the Child SA of CHILD_SA_NOT_FOUND).
    var notifyProtocolID: SecurityProtocolID = .none
    var notifySPI: [UInt8] = []
    /// The Notification Data (the group INVALID_KE_PAYLOAD asks for).
    var notifyData: [UInt8] = []

    public init(_ code: Code, _ text: String) {
        self.code = code
        self.text = text
    }

    /// INVALID_KE_PAYLOAD naming `group` (RFC 7296 §1.3: the responder must "indicate its
    /// preferred Diffie-Hellman group in the INVALID_KE_PAYLOAD Notify payload").
    static func keyExchangeGroupMismatch(wanted group: KeyExchangeMethodID, _ text: String) -> IKERefusal {
        var refusal = IKERefusal(.keyExchangeGroupMismatch, text)
        refusal.notifyData = [UInt8(group.rawValue >> 8), UInt8(group.rawValue & 0xFF)]
        return refusal
    }

    /// The refusal of `what` when a key exchange or key derivation failed with `error`.
    ///
    /// A transform the crypto provider lacks (a configured proposal it cannot serve) is
    /// NO_PROPOSAL_CHOSEN, RFC 7296 §3.10.1: "This can be sent in any case where the offered
    /// proposals ... are not acceptable for the responder." Anything else is the peer's
    /// public value: INVALID_SYNTAX (RFC 7296 §3.4, RFC 6989).
    static func keyExchangeFailed(_ error: IKECryptoError, _ what: String) -> IKERefusal {
        error.code == .unsupportedTransform
            ? IKERefusal(
                .noProposalChosen,
                "NO_PROPOSAL_CHOSEN for \(what): the crypto provider lacks one of its transforms (\(error)); remove it from the proposals")
            : IKERefusal(.invalidKeyExchangeValue, "\(what): the key exchange failed: \(error)")
    }

    /// UNSUPPORTED_CRITICAL_PAYLOAD for a payload of `type` in `what`. RFC 7296 §2.5: "In
    /// that Notify payload, the Notification Data contains the one-octet payload type."
    static func unsupportedCriticalPayload(_ type: PayloadType, in what: String) -> IKERefusal {
        var refusal = IKERefusal(
            .unsupportedCriticalPayload,
            "UNSUPPORTED_CRITICAL_PAYLOAD for \(what): payload type \(type.rawValue) is marked critical and unknown to Cygnet")
        refusal.notifyData = [type.rawValue]
        return refusal
    }

    /// CHILD_SA_NOT_FOUND for the SPI the peer named (RFC 7296 §3.10.1).
    static func childSANotFound(spi: [UInt8], _ text: String) -> IKERefusal {
        var refusal = IKERefusal(.childSANotFound, text)
        refusal.notifyProtocolID = .esp
        refusal.notifySPI = spi
        return refusal
    }

    public var category: IKEPeerErrorCategory { code.category }

    /// The error notification that answers the refused request.
    public var notify: NotifyPayload {
        NotifyPayload(protocolID: notifyProtocolID, spi: notifySPI, type: code.notifyType, data: notifyData)
    }

    public var description: String { "\(code.name): \(text)" }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
