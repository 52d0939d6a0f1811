import IKEWire

/// Responder: the initiator is authenticated (after EAP, when it used EAP) and our AUTH is
/// made; the last IKE_AUTH response waits for the host to lease the virtual IPs its
/// CFG_REQUEST asked for.
struct AwaitingAddressAssignmentState: Sendable {
    var request: IKECompletionID
    var messageID: UInt32
    /// The initiator's (first) IKE_AUTH request, for the CFG_REPLY and the Child SA of the
    /// response.
    var payloads: [IKEPayload]
    /// The response so far (IDr, CERT and AUTH; only AUTH after EAP).
    var response: [IKEPayload]
}
