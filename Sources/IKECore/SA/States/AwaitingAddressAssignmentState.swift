import IKEWire

/// Responder: the initiator is authenticated and our AUTH is made; the IKE_AUTH response
/// waits for the host to lease the virtual IPs its CFG_REQUEST asked for.
struct AwaitingAddressAssignmentState: Sendable {
    var request: IKECompletionID
    var messageID: UInt32
    /// The initiator's request, for the CFG_REPLY and the Child SA of the response.
    var payloads: [IKEPayload]
    /// Our AUTH payload, made already.
    var authentication: AuthenticationPayload
}
