import IKEConfig
import IKEWire

/// MOBIKE in IKE_AUTH (RFC 4555 §3.2–§3.4): MOBIKE_SUPPORTED both ways, and the peer's
/// additional addresses, both in IKE_AUTH and in INFORMATIONAL requests (§3.6).
extension IKEEngine {
    /// The most additional addresses of the peer kept; later ones in an announcement are
    /// ignored (strongSwan sends at most eight).
    static var maximumPeerAdditionalAddresses: Int { 16 }

    /// MOBIKE_SUPPORTED for our IKE_AUTH message with the SA payload, when the connection
    /// has `mobike = yes`. RFC 4555 §3.2: "Implementations that wish to use MOBIKE for a
    /// particular IKE_SA MUST include a MOBIKE_SUPPORTED notification in the IKE_AUTH
    /// exchange (in case of multiple IKE_AUTH exchanges, in the message containing the SA
    /// payload)." §4.2.1: "The notification data field MUST be left empty".
    static func mobikeSupported(_ peer: PeerConfiguration) -> [IKEPayload] {
        peer.isMOBIKEEnabled ? [.notify(NotifyPayload(type: .mobikeSupported))] : []
    }

    /// Responder: the initiator's IKE_AUTH request (the one with SAi2) is answered now.
    /// MOBIKE is negotiated when it sent MOBIKE_SUPPORTED and the chosen connection has
    /// `mobike = yes`; returns our MOBIKE_SUPPORTED for the response then.
    mutating func negotiateMOBIKE(_ sa: inout IKESA, request payloads: [IKEPayload]) -> [IKEPayload] {
        guard sa.peer.isMOBIKEEnabled, payloads.hasNotification(.mobikeSupported) else { return [] }
        establishMOBIKE(&sa, payloads)
        return Self.mobikeSupported(sa.peer)
    }

    /// Initiator: the responder's last IKE_AUTH response (the one with SAr2). We sent
    /// MOBIKE_SUPPORTED when the connection has `mobike = yes`; with the responder's, MOBIKE
    /// is negotiated.
    mutating func noteMOBIKE(_ sa: inout IKESA, response payloads: [IKEPayload]) {
        guard sa.peer.isMOBIKEEnabled, payloads.hasNotification(.mobikeSupported) else { return }
        establishMOBIKE(&sa, payloads)
    }

    /// MOBIKE is on: the SA's addresses are the first verified pair (RFC 4555 §3.7), and the
    /// peer's additional addresses of its IKE_AUTH message are kept (§3.4: "The recipient
    /// stores this information, but no other action is taken at this time"). Announced
    /// addresses with wrong data are ignored (an IKE_AUTH message is not refused for them).
    private mutating func establishMOBIKE(_ sa: inout IKESA, _ payloads: [IKEPayload]) {
        sa.isMOBIKENegotiated = true
        sa.mobikeResponder.verify(sa.path)
        do {
            if let addresses = try Self.announcedAddresses(payloads) { sa.peerAdditionalAddresses = addresses }
        } catch {
            drop(.malformedNotification, "IKE_AUTH: additional address of the peer ignored: \(error)")
        }
    }

    /// The peer's additional addresses announced in `payloads` (RFC 4555 §3.6): "The new
    /// list of addresses replaces the old information"; NO_ADDITIONAL_ADDRESSES empties it;
    /// `nil` when there is no announcement. An ADDITIONAL_IP4_ADDRESS or
    /// ADDITIONAL_IP6_ADDRESS whose data is not an address of its family (§4.2.2) throws.
    static func announcedAddresses(_ payloads: [IKEPayload]) throws(IKEWireError) -> [[UInt8]]? {
        var addresses: [[UInt8]] = []
        var isAnnounced = false
        for notify in payloads.notifications {
            switch notify.type {
            case .additionalIP4Address, .additionalIP6Address:
                isAnnounced = true
                let address = try notify.additionalAddress()
                if addresses.count < maximumPeerAdditionalAddresses, !addresses.contains(address) {
                    addresses.append(address)
                }
            case .noAdditionalAddresses:
                isAnnounced = true
            default:
                continue
            }
        }
        return isAnnounced ? addresses : nil
    }

    /// A rekeyed IKE SA carries MOBIKE on: RFC 4555 §2 calls "initiator" "the party who
    /// originally initiated the first IKE_SA (in a series of possibly several rekeyed
    /// IKE_SAs)", and strongSwan's rekeyed SA inherits the extension and the peer's
    /// addresses. The verified address pairs go too, and a return routability check under
    /// way starts again on the new SA (its request belonged to the old one).
    func inheritMobility(from old: IKESA, to new: inout IKESA) {
        new.isMOBIKENegotiated = old.isMOBIKENegotiated
        new.isMOBIKEInitiator = old.isMOBIKEInitiator
        new.peerAdditionalAddresses = old.peerAdditionalAddresses
        new.mobikeResponder.verifiedPaths = old.mobikeResponder.verifiedPaths
        new.mobikeResponder.check = old.mobikeResponder.check
    }
}
