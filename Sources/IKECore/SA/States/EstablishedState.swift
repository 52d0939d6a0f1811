/// Both sides authenticated: the IKE SA carries CREATE_CHILD_SA and INFORMATIONAL.
struct EstablishedState: Sendable {
    var children: [ChildSA]
    /// What our outstanding request is for, if any.
    var pending: PendingRequest?
    /// Child SAs the peer rekeyed through us, by the old SA's inbound SPI: the new SA's
    /// inbound SPI and the lowest nonce of that exchange, to settle a simultaneous rekey
    /// of the same SA (RFC 7296 §2.8.1).
    var peerRekeys: [UInt32: PeerRekey] = [:]
    /// The IKE SA the peer's rekey of this one created through us, with the lowest nonce
    /// of that exchange (RFC 7296 §2.8.1, simultaneous IKE SA rekey).
    var peerIKERekey: PeerIKERekey?

    struct PeerIKERekey: Sendable {
        var newLocalSPI: UInt64
        var lowestNonce: [UInt8]
    }

    struct PeerRekey: Sendable {
        var newInboundSPI: UInt32
        var lowestNonce: [UInt8]
    }

    enum PendingRequest: Sendable {
        case livenessCheck
        /// An INFORMATIONAL carrying a notification (INVALID_SPI); its answer only
        /// shows the peer is alive.
        case notification
        case deleteIKESA
        case createChildSA(PendingChildRequest)
        case rekeyIKESA(PendingIKERekey)
        /// Deleting the Child SA with this inbound SPI.
        case deleteChildSA(UInt32)
        /// A MOBIKE INFORMATIONAL (RFC 4555): an address update, an announcement of our
        /// addresses, or both.
        case mobike(MOBIKERequest)
    }
}
