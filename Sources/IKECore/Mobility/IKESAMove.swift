import IKEConfig
import IKEWire

/// Moving an IKE SA and its Child SAs to other addresses, for MOBIKE (RFC 4555 §3.5) and
/// for a NAT that changed its mapping (RFC 7296 §2.23).
extension IKEEngine {
    /// Moves `sa` to `path`; a move to other addresses is counted and reported.
    mutating func moveIKESA(_ sa: inout IKESA, to path: IKEPath, cause: IKEAddressUpdateCause) {
        let old = sa.path
        guard old != path else { return }
        sa.local = path.local
        sa.remote = path.remote
        sa.addressUpdates += 1
        events.append(.ikeSAAddressesUpdated(
            name: sa.peer.name, localSPI: sa.localSPI, oldLocal: old.local, oldRemote: old.remote, newLocal: path.local,
            newRemote: path.remote, cause: cause))
    }

    /// Tells the host that every installed Child SA of `sa` now runs on the IKE SA's
    /// addresses, encapsulated as ``IKESA/isUDPEncapsulated`` says (RFC 4555 §3.3: "the
    /// tunnel header IP addresses (and port, if doing UDP encapsulation) are taken from
    /// the IKE_SA").
    mutating func updateChildSAPaths(_ sa: IKESA) {
        for child in sa.state.children {
            effects.append(.updateChildSA(ChildSAPathUpdate(
                inboundSPI: child.inboundSPI, outboundSPI: child.outboundSPI, localAddress: sa.local,
                remoteAddress: sa.remote, isUDPEncapsulated: sa.isUDPEncapsulated)))
        }
    }

    /// An authenticated message (a request, or the response to our request) arrived on
    /// `path`, another pair of addresses than the established SA's. RFC 7296 §2.23: "When
    /// such a validated packet is found, a host that does not support other methods of
    /// recovery such as IKEv2 Mobility and Multihoming (MOBIKE) [MOBIKE], and that is not
    /// behind a NAT, SHOULD send all packets (including retransmission packets) to the IP
    /// address and port in the validated packet, and SHOULD store this as the new address
    /// and port combination for the SA ... A host behind a NAT SHOULD NOT do this type of
    /// dynamic address update ... Also, dynamic address update should only be done in
    /// response to a new packet; otherwise, an attacker can revert the addresses with old
    /// replayed packets." So the SA and its Child SAs follow only a peer found behind a NAT
    /// (``IKESA/followsPeerAddress``), only on a message never processed before
    /// (`isNewMessage`: a request with a higher Message ID than any before, or the response
    /// to our outstanding request; a retransmission moves nothing), and never with MOBIKE:
    /// RFC 4555 §3.8, "The host not behind a NAT MUST NOT use these dynamic updates for
    /// IKEv2 packets", and the peer moves the SA with UPDATE_SA_ADDRESSES instead (strongSwan,
    /// too, does "only implicit updates without MOBIKE"). ESP never moves an SA here: the
    /// data plane reports nothing that could.
    mutating func followNATMappingChange(_ sa: inout IKESA, to path: IKEPath, isNewMessage: Bool) {
        guard isNewMessage, sa.state.isEstablished, !sa.isMOBIKENegotiated, sa.followsPeerAddress, path != sa.path
        else { return }
        moveIKESA(&sa, to: path, cause: .natMappingChange)
        updateChildSAPaths(sa)
    }
}

extension IKESA {
    /// The addresses the SA runs between.
    var path: IKEPath { IKEPath(local: local, remote: remote) }
}
