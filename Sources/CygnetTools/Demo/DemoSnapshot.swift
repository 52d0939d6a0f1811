import IKECore

/// Both peers at rest between steps: each engine holds exactly one established IKE SA
/// with exactly one Child SA, each data plane holds exactly that Child SA, and the two
/// sides agree (one's inbound SPI is the other's outbound).
struct DemoSnapshot: Sendable {
    var initiatorIKESA: IKESAStatus
    var responderIKESA: IKESAStatus
    /// The Child SA as the initiator's engine reports it.
    var childSA: ChildSAStatus
    /// Whether the initiator's data plane got the Child SA as ESP in UDP.
    var isUDPEncapsulated: Bool

    /// The IKE SA's SPIs, initiator's first (the IKE header's order).
    var ikeSPIs: (initiator: UInt64, responder: UInt64) {
        initiatorIKESA.isInitiator
            ? (initiatorIKESA.localSPI, initiatorIKESA.remoteSPI) : (initiatorIKESA.remoteSPI, initiatorIKESA.localSPI)
    }

    /// `nil` while the peers are not at rest (a handshake, rekey or delete under way).
    init?(_ session: DemoSession) {
        guard let initiatorIKESA = Self.only(session.initiator), let responderIKESA = Self.only(session.responder),
            initiatorIKESA.localSPI == responderIKESA.remoteSPI, initiatorIKESA.remoteSPI == responderIKESA.localSPI,
            let childSA = initiatorIKESA.children.first, let peerChildSA = responderIKESA.children.first,
            childSA.inboundSPI == peerChildSA.outboundSPI, childSA.outboundSPI == peerChildSA.inboundSPI,
            let installed = session.initiator.dataPlane.onlyChildSA
        else { return nil }
        self.initiatorIKESA = initiatorIKESA
        self.responderIKESA = responderIKESA
        self.childSA = childSA
        isUDPEncapsulated = installed.isUDPEncapsulated
    }

    /// The peer's one established IKE SA with one Child SA, installed in its data plane.
    private static func only(_ peer: DemoPeer) -> IKESAStatus? {
        let statuses = peer.engine.statuses
        guard statuses.count == 1, let status = statuses.first, status.phase == .established,
            status.children.count == 1, let child = status.children.first, let installed = peer.dataPlane.onlyChildSA,
            installed.inboundSPI == child.inboundSPI, installed.outboundSPI == child.outboundSPI
        else { return nil }
        return status
    }
}
