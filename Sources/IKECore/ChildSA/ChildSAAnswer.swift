import IKEWire

/// The Child SA of a response to our IKE_AUTH or CREATE_CHILD_SA request, checked
/// against what we asked for: the initiator's side of the negotiation whose responder
/// side is `ChildSANegotiation.swift`.
struct ChildSAAnswer {
    /// The accepted proposal, with the responder's SPI.
    var chosen: Proposal
    /// TSi and TSr as answered: our local and remote selectors.
    var localSelectors: [TrafficSelector]
    var remoteSelectors: [TrafficSelector]

    /// The SPI we send to.
    var outboundSPI: UInt32 { UInt32(bytes: chosen.spi) }

    /// The Child SA of `payloads` when it is one we may install: a proposal we offered
    /// (RFC 7296 §2.7: "the initiator MUST verify that the accepted proposal is one of the
    /// ones it offered") with a four-byte SPI, and traffic selectors within what we
    /// proposed — for a rekey, the old SA's (§2.9: "The responder is allowed to narrow
    /// the choices by selecting a subset of the traffic"; it may never widen them).
    static func check(
        _ payloads: [IKEPayload], offered: [Proposal], localSelectors: [TrafficSelector],
        remoteSelectors: [TrafficSelector]
    ) -> Result<ChildSAAnswer, IKEChildSAFailure> {
        guard let answer = payloads.securityAssociation,
            let chosen = ProposalSelection.verify(accepted: answer.proposals, offered: offered),
            chosen.spi.count == 4,
            let tsi = payloads.trafficSelectorInitiator,
            let tsr = payloads.trafficSelectorResponder
        else {
            return .failure(IKEChildSAFailure(
                .responseMismatch, "the answer is not one of the proposals we offered, or lacks SA, TSi or TSr"))
        }
        guard TrafficSelectorNarrowing.isNarrowing(tsi.selectors, of: localSelectors),
            TrafficSelectorNarrowing.isNarrowing(tsr.selectors, of: remoteSelectors)
        else {
            return .failure(IKEChildSAFailure(
                .trafficSelectorsWidened,
                "the peer answered \(tsi.selectors) === \(tsr.selectors) for our \(localSelectors) === "
                    + "\(remoteSelectors): a responder may only narrow traffic selectors; check its local_ts/remote_ts"))
        }
        return .success(ChildSAAnswer(chosen: chosen, localSelectors: tsi.selectors, remoteSelectors: tsr.selectors))
    }
}
