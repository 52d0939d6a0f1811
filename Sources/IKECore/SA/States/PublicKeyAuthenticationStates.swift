import IKEConfig
import IKEWire

/// Initiator: our IKE_AUTH request is built but for its AUTH, which the host signs.
struct AwaitingSignatureForAuthRequestState: Sendable {
    var request: IKECompletionID
    /// What `.sentAuthRequest` will hold once the request is sent.
    var next: SentAuthRequestState
}

/// Initiator: the responder's IKE_AUTH response, waiting for its chain to be validated.
struct AwaitingValidationOfAuthResponseState: Sendable {
    var request: IKECompletionID
    var sent: SentAuthRequestState
    /// The decrypted response.
    var payloads: [IKEPayload]
    var identification: IdentificationPayload
    var authentication: AuthenticationPayload
}

/// Responder: the initiator's IKE_AUTH request, waiting for its chain to be validated.
struct AwaitingValidationOfAuthRequestState: Sendable {
    var request: IKECompletionID
    var previous: AwaitingAuthRequestState
    var messageID: UInt32
    var payloads: [IKEPayload]
    var identification: IdentificationPayload
    var authentication: AuthenticationPayload
    /// The further connections that accept the initiator's identity, in order: the next
    /// is tried when the host refuses the chain for the CAs of the current one.
    var alternatives: [String] = []
}

/// Responder: the initiator is authenticated; our response waits for its AUTH.
struct AwaitingSignatureForAuthResponseState: Sendable {
    var request: IKECompletionID
    var previous: AwaitingAuthRequestState
    var messageID: UInt32
    /// The initiator's request, for the Child SA negotiated when the response is sent.
    var payloads: [IKEPayload]
}
