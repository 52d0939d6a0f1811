/// Responder: IKE_SA_INIT answered, waiting for IKE_AUTH. The SA is half-open.
struct AwaitingAuthRequestState: Sendable {
    /// The initiator's IKE_SA_INIT request, as received (RealMessage1).
    var initiatorFirstMessage: [UInt8]
    /// Our IKE_SA_INIT response, as sent (RealMessage2).
    var responderFirstMessage: [UInt8]
}
