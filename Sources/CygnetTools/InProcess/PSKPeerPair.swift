import IKEConfig
import IKECore
import IKEWire

/// Both ends of one PSK connection with one Child SA, for running two engines in one
/// process: `cygnet bench handshake --in-memory` and `cygnet demo`. Each side gets the
/// same connection and child names, with identities and subnets swapped.
struct PSKPeerPair: Sendable {
    /// The connection's name on both sides (what `IKECommand.initiate` names).
    var connection: String
    /// The Child SA configuration's name on both sides.
    var child: String
    var ikeProposals: [ProposalTemplate]
    var espProposals: [ProposalTemplate]
    var initiatorIdentity: IKEIdentity
    var responderIdentity: IKEIdentity
    /// The initiator's protected subnet, an IPv4 prefix (`10.0.0.1/32`); the responder's
    /// remote traffic selector.
    var initiatorSubnet: String
    var responderSubnet: String
    var secret: [UInt8]
    var uniqueness: UniquenessPolicy = .no
    /// `encap = yes` on both sides: ESP in UDP without a NAT (RFC 3948), which is how
    /// the demo frames everything on one socket.
    var forcesUDPEncapsulation = false

    /// `aes256gcm16-prfsha256-x25519`.
    static let defaultIKEProposal = ProposalTemplate(
        encryption: [.init(.aesGCM16, keyBits: 256)], pseudorandomFunctions: [.hmacSHA2_256],
        keyExchangeMethods: [.curve25519])
    /// ESP `aes256gcm16` (no PFS, no ESN).
    static let defaultESPProposal = ProposalTemplate(encryption: [.init(.aesGCM16, keyBits: 256)])

    /// The initiator's engine configuration.
    var initiator: IKEEngineConfiguration {
        configuration(
            local: initiatorIdentity, remote: responderIdentity, localSubnet: initiatorSubnet, remoteSubnet: responderSubnet)
    }

    /// The responder's engine configuration.
    var responder: IKEEngineConfiguration {
        configuration(
            local: responderIdentity, remote: initiatorIdentity, localSubnet: responderSubnet, remoteSubnet: initiatorSubnet)
    }

    private func configuration(local: IKEIdentity, remote: IKEIdentity, localSubnet: String, remoteSubnet: String)
        -> IKEEngineConfiguration
    {
        let child = ChildSAConfiguration(
            name: child,
            localTrafficSelectors: [TrafficSelectorTemplate(ipv4Prefix: localSubnet)].compactMap { $0 },
            remoteTrafficSelectors: [TrafficSelectorTemplate(ipv4Prefix: remoteSubnet)].compactMap { $0 },
            proposals: espProposals)
        var peer = PeerConfiguration(
            name: connection, proposals: ikeProposals, localIdentity: local, remoteIdentity: remote,
            localAuthentication: .preSharedKey, remoteAuthentication: .preSharedKey, children: [child])
        peer.uniqueness = uniqueness
        peer.forcesUDPEncapsulation = forcesUDPEncapsulation
        return IKEEngineConfiguration(
            peers: [peer], preSharedKeys: [PreSharedKey(identities: [local, remote], secret: secret)])
    }
}
