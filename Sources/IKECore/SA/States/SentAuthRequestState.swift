import IKEConfig
import IKEWire

/// Initiator: IKE_AUTH request sent, waiting for the response.
struct SentAuthRequestState: Sendable {
    /// Our IKE_SA_INIT response's counterpart: the responder's message, for its AUTH.
    var responderFirstMessage: [UInt8]
    /// Our IKE_SA_INIT request (RealMessage1), for the AUTH computed after EAP.
    var initiatorFirstMessage: [UInt8]
    /// The Child SA we asked for, with our inbound SPI and the proposals offered.
    var child: ChildSAConfiguration?
    var childInboundSPI: UInt32
    var childOffered: [Proposal]
    var offeredLocalSelectors: [TrafficSelector]
    var offeredRemoteSelectors: [TrafficSelector]
}
