import IKEConfig
import IKEWire

/// Virtual IPs through the Configuration payload in IKE_AUTH (RFC 7296 §2.19, §3.15):
/// the initiator asks with a CFG_REQUEST for its `vips`, the responder leases addresses
/// from the connection's pools through the host (``IKEEffect/assignAddresses(_:)``) and
/// answers with a CFG_REPLY, or with INTERNAL_ADDRESS_FAILURE and no Child SA.
extension IKEEngine {
    /// What the responder's IKE_AUTH response does about the initiator's CFG_REQUEST.
    enum ConfigurationAnswer {
        /// The host was asked for addresses; the response waits for its answer.
        case wait
        /// These payloads go into the response (a CFG_REPLY, INTERNAL_ADDRESS_FAILURE, or
        /// nothing); `allowsChildSA` is `false` after INTERNAL_ADDRESS_FAILURE (RFC 7296
        /// §3.15.4: "If this error is generated within an IKE_AUTH exchange, no Child SA
        /// will be created").
        case answer([IKEPayload], allowsChildSA: Bool)
        /// The CFG_REQUEST is malformed.
        case refuse(IKERefusal)
    }

    /// Responder: answers the CFG_REQUEST of the IKE_AUTH request `payloads`, asking the
    /// host for addresses the first time (`assigned` is `nil`) and answering with what it
    /// gave the second. A CP of another type than CFG_REQUEST (a CFG_REPLY sent to a
    /// responder) is ignored, as RFC 7296 §3.15 gives it no meaning in a request.
    mutating func answerConfigurationRequest(
        _ sa: inout IKESA, _ payloads: [IKEPayload], messageID: UInt32, response: [IKEPayload],
        assigned: Result<AddressAssignment, IKECompletionFailure>?, now: IKEInstant
    ) -> ConfigurationAnswer {
        guard let cp = payloads.configuration, cp.type == .request else { return .answer([], allowsChildSA: true) }
        let attributes: ConfigurationAttributes
        do {
            attributes = try ConfigurationAttributes(cp)
        } catch {
            return .refuse(error)
        }
        switch assigned {
        case nil:
            guard !sa.peer.pools.isEmpty else {
                // strongSwan answers a request for an address without pools the same way.
                guard attributes.addresses.isEmpty else {
                    return addressFailure(
                        &sa, IKECompletionFailure(.noAddressPool, "connection '\(sa.peer.name)' has no pools"))
                }
                return .answer([], allowsChildSA: true)
            }
            guard let identity = sa.remoteIdentity else { return .answer([], allowsChildSA: true) }
            let id = IKECompletionID(localSPI: sa.localSPI, step: .assignAddresses)
            sa.state = .awaitingAddressAssignment(AwaitingAddressAssignmentState(
                request: id, messageID: messageID, payloads: payloads, response: response))
            sa.completionDeadline = now + configuration.completionTimeout
            effects.append(.assignAddresses(AddressAssignmentRequest(
                id: id, connection: sa.peer.name, peerIdentity: identity, eapIdentity: sa.remoteEAPIdentity,
                requestedAddresses: attributes.addresses, pools: sa.peer.pools)))
            return .wait
        case .success(let assignment):
            if !attributes.addresses.isEmpty, assignment.addresses.isEmpty {
                return addressFailure(
                    &sa, IKECompletionFailure(.noAddressPool, "the host leased no address from \(sa.peer.pools)"))
            }
            if !assignment.addresses.isEmpty {
                sa.addressesLeasedToPeer = assignment.addresses
                events.append(.addressesAssigned(name: sa.peer.name, localSPI: sa.localSPI, assignment: assignment))
            }
            return .answer([.configuration(ConfigurationAttributes.reply(assignment))], allowsChildSA: true)
        case .failure(let failure):
            return addressFailure(&sa, failure)
        }
    }

    /// INTERNAL_ADDRESS_FAILURE (RFC 7296 §3.15.4): "If the responder encounters an error
    /// while attempting to assign an IP address to the initiator during the setup of the
    /// IKE SA, it responds with an INTERNAL_ADDRESS_FAILURE notification". The IKE SA
    /// stands, as in strongSwan.
    private mutating func addressFailure(_ sa: inout IKESA, _ failure: IKECompletionFailure) -> ConfigurationAnswer {
        events.append(.addressAssignmentFailed(name: sa.peer.name, localSPI: sa.localSPI, pools: sa.peer.pools, reason: failure))
        let refusal = IKERefusal(.internalAddressFailure, "no virtual IP for '\(sa.peer.name)': \(failure.reason)")
        return .answer([.notify(refusal.notify)], allowsChildSA: false)
    }

    /// Initiator: the CFG_REQUEST of our IKE_AUTH request, when the connection has `vips`.
    static func configurationRequest(_ peer: PeerConfiguration) -> [IKEPayload] {
        peer.virtualIPs.isEmpty ? [] : [.configuration(ConfigurationAttributes.request(virtualIPs: peer.virtualIPs))]
    }

    /// Initiator: takes the virtual IPs and attributes of the responder's CFG_REPLY (a CP
    /// of another type is ignored). Returns `false` when the reply is malformed and the
    /// IKE SA was closed.
    mutating func acceptConfigurationReply(_ sa: inout IKESA, _ payloads: [IKEPayload]) -> Bool {
        guard !sa.peer.virtualIPs.isEmpty, let cp = payloads.configuration, cp.type == .reply else { return true }
        let attributes: ConfigurationAttributes
        do {
            attributes = try ConfigurationAttributes(cp)
        } catch {
            close(&sa, IKECloseReason(.protocolError, "the responder's CFG_REPLY: \(error.text)", cause: .malformedConfiguration))
            return false
        }
        let assignment = AddressAssignment(
            addresses: attributes.addresses.filter { !$0.allSatisfy { $0 == 0 } }.map { AddressAssignment.Address(address: $0) },
            dnsServers: attributes.dnsServers, nbnsServers: attributes.nbnsServers, subnets: attributes.subnets)
        guard !assignment.addresses.isEmpty else { return true }
        sa.assignedVirtualIPs = assignment
        effects.append(.addVirtualIPs(assignment))
        events.append(.virtualIPsReceived(name: sa.peer.name, localSPI: sa.localSPI, assignment: assignment))
        return true
    }

    /// The SA is going: the host returns the peer's leases to their pools, and takes our
    /// virtual IPs off.
    mutating func releaseVirtualIPs(_ sa: inout IKESA) {
        if let leased = sa.addressesLeasedToPeer {
            effects.append(.releaseAddresses(leased))
            sa.addressesLeasedToPeer = nil
        }
        if let assigned = sa.assignedVirtualIPs {
            effects.append(.removeVirtualIPs(assigned))
            sa.assignedVirtualIPs = nil
        }
    }

    /// An address answer nobody waits for any more (the SA closed or timed out first):
    /// its leases go back at once.
    mutating func releaseUnwantedAddresses(_ completion: IKECompletion) {
        if case .addressesAssigned(_, .success(let assignment)) = completion, !assignment.addresses.isEmpty {
            effects.append(.releaseAddresses(assignment.addresses))
        }
    }
}

extension IKESA {
    /// What `dynamic` stands for on our side (strongSwan's rule): our virtual IPs once
    /// assigned; while we ask for some, any address of each family asked for (the
    /// responder narrows it to the one it assigns, RFC 7296 §2.9); else the address the
    /// IKE SA uses.
    var localDynamicAddresses: [[UInt8]] {
        if let assigned = assignedVirtualIPs { return assigned.addresses.map(\.address) }
        if !peer.virtualIPs.isEmpty, !state.isEstablished {
            return peer.virtualIPs.map { [UInt8](repeating: 0, count: $0.count) }
        }
        return [local.address]
    }

    /// What `dynamic` stands for on the peer's side: the virtual IPs we leased it, else
    /// its address.
    var remoteDynamicAddresses: [[UInt8]] {
        if let leased = addressesLeasedToPeer { return leased.map(\.address) }
        return [remote.address]
    }

    /// `local_ts` of `child` for this SA, `dynamic` resolved.
    func localSelectors(_ child: ChildSAConfiguration) -> [TrafficSelector] {
        child.localTrafficSelectors.flatMap { $0.resolved(to: localDynamicAddresses) }
    }

    /// `remote_ts` of `child` for this SA, `dynamic` resolved.
    func remoteSelectors(_ child: ChildSAConfiguration) -> [TrafficSelector] {
        child.remoteTrafficSelectors.flatMap { $0.resolved(to: remoteDynamicAddresses) }
    }
}
