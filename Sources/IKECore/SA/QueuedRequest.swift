/// A request of ours that waits for the window to free up (RFC 7296 §2.3: "An IKE
/// endpoint MUST wait for a response to each of its messages before sending a subsequent
/// message"). Queued requests are sent in order as responses arrive; one whose SA is
/// gone by then is skipped.
enum QueuedRequest: Sendable, Hashable {
    case deleteIKESA
    /// Delete the Child SA pair with this inbound SPI. `isRemoved` says the data plane
    /// already dropped it (hard expiry): the Delete only informs the peer.
    case deleteChildSA(inboundSPI: UInt32, isRemoved: Bool)
    case createChildSA(child: String)
    case rekeyChildSA(inboundSPI: UInt32)
    case rekeyIKESA
    /// Tell the peer an ESP packet arrived for an SPI we do not have (RFC 7296 §2.21.4).
    case notifyInvalidSPI(UInt32)
    /// MOBIKE: tell the peer the IKE SA moved (UPDATE_SA_ADDRESSES, RFC 4555 §3.5).
    case updateSAAddresses
    /// MOBIKE: tell the peer our changed set of addresses (RFC 4555 §3.6).
    case announceAddresses
}
