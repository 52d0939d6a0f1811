import IKEConfig
import IKECrypto
import IKEWire

/// Responder: what the EAP rounds of IKE_AUTH (RFC 7296 §2.16) keep from the first request
/// until the last.
struct EAPAuthenticatorSession: Sendable {
    /// The IKE_SA_INIT messages (RealMessage1 and 2), for the AUTH payloads of the last round.
    var previous: AwaitingAuthRequestState
    /// The first IKE_AUTH request as decrypted: its IDi, its Child SA (SA, TSi, TSr), its
    /// notifies and Configuration payload are answered in the last round.
    var firstRequest: [IKEPayload]
    var identification: IdentificationPayload
    /// The identifier of the peer's last EAP Response, for the Success or Failure the
    /// engine builds (RFC 3748 §4.2: it matches the Response it answers).
    var lastIdentifier: UInt8 = 0
    /// EAP Responses received so far.
    var rounds = 0
    /// The Type-Data of the peer's EAP-Identity Response (RFC 3748 §5.1), when it sent one.
    var identityResponse: String?
    /// EAP-only authentication (RFC 5998): our first response carried no AUTH, so the
    /// method must be one of `EAPMethodChoice.eapOnlyMethods` and derive an MSK.
    var isEAPOnly = false
}

/// Responder: the host's EAP method is computing the next message.
struct AwaitingEAPAnswerAsAuthenticatorState: Sendable {
    var request: IKECompletionID
    var session: EAPAuthenticatorSession
    /// The IKE_AUTH request being answered.
    var messageID: UInt32
    /// What the response carries before the EAP payload: IDr, CERT and AUTH in the first
    /// round, nothing after.
    var head: [IKEPayload]
}

/// Responder: EAP Success sent; the next request carries the initiator's AUTH, computed
/// with ``msk``.
struct SentEAPSuccessState: Sendable {
    var session: EAPAuthenticatorSession
    /// The method's MSK; `nil` for a method without one, where SK_pi and SK_pr key the
    /// AUTH payloads.
    var msk: SecretBytes?
}

/// Initiator: the EAP rounds after the responder authenticated itself.
struct EAPPeerSession: Sendable {
    /// Our first IKE_AUTH request: the Child SA it asked for, answered in the last round.
    var sent: SentAuthRequestState
    /// The responder's IDr and the identity it proved with its AUTH.
    var identification: IdentificationPayload
    /// The method's MSK once it succeeded.
    var msk: SecretBytes?
    /// EAP-only authentication (RFC 5998): the responder sent no AUTH, so the method must
    /// be one of `EAPMethodChoice.eapOnlyMethods` and derive an MSK.
    var isEAPOnly = false

    var identity: IKEIdentity { IKEIdentity(identification) }
}

/// Initiator: the host's EAP method is answering the responder's EAP message.
struct AwaitingEAPAnswerAsPeerState: Sendable {
    var request: IKECompletionID
    var session: EAPPeerSession
    /// The message handed to the host is EAP Success: only ``EAPExchangeAnswer/succeeded(message:msk:)``
    /// answers it; before it only ``EAPExchangeAnswer/send(_:)`` does.
    var isSuccess: Bool
}
