import IKEConfig
import IKEWire

/// One IKE SA as `cygnet status` shows it: a snapshot from ``IKEEngine/statuses``.
public struct IKESAStatus: Sendable, Equatable {
    /// Where the SA is in its life, in the words `cygnet status` prints.
    public enum Phase: String, Sendable, Equatable {
        /// IKE_SA_INIT or IKE_AUTH under way.
        case connecting
        case established
        /// A Delete of it is out, or it was replaced and waits for its Delete.
        case deleting
    }

    public var name: String
    public var phase: Phase
    public var isInitiator: Bool
    public var localSPI: UInt64
    public var remoteSPI: UInt64
    public var local: IKEEndpointAddress
    public var remote: IKEEndpointAddress
    public var localIdentity: IKEIdentity
    /// The identity the peer proved; `nil` before IKE_AUTH.
    public var remoteIdentity: IKEIdentity?
    /// The transforms of the chosen IKE proposal (empty before IKE_SA_INIT completes).
    public var transforms: [Transform]
    public var establishedAt: IKEInstant?
    public var rekeyAt: IKEInstant?
    public var reauthAt: IKEInstant?
    public var expiresAt: IKEInstant?
    /// The SA runs on the NAT-T port: a NAT was detected, encapsulation is forced, or
    /// MOBIKE moved it there (RFC 4555 §3.3).
    public var isOnNATTraversalPort: Bool
    /// The Child SAs' ESP travels in UDP (RFC 3948): a NAT was detected on either side,
    /// or encapsulation is forced (`encap = yes` on either side).
    public var isUDPEncapsulated: Bool
    /// NAT detection found this side's address translated (or encapsulation is forced
    /// from this side): it sends NAT keepalives (RFC 3948 §2.3).
    public var isLocalBehindNAT: Bool
    /// Initiator: the virtual IPs and attributes (DNS servers…) the responder assigned us.
    public var virtualIPs: AddressAssignment?
    /// Responder: the virtual IPs leased to the peer.
    public var peerVirtualIPs: [[UInt8]]
    /// Responder: the EAP identity the peer proved (RFC 7296 §2.16), when EAP
    /// authenticated it.
    public var remoteEAPIdentity: String? = nil
    /// Both sides sent MOBIKE_SUPPORTED (RFC 4555 §3.1).
    public var isMOBIKENegotiated = false
    /// How many times the SA moved to other addresses (MOBIKE or a NAT mapping change).
    public var addressUpdates = 0
    /// The peer's other addresses it announced (ADDITIONAL_IP4_ADDRESS and
    /// ADDITIONAL_IP6_ADDRESS, RFC 4555 §3.6).
    public var peerAdditionalAddresses: [[UInt8]] = []
    public var children: [ChildSAStatus]
}

/// One Child SA pair of an ``IKESAStatus``. Byte and packet counts live in the data plane.
public struct ChildSAStatus: Sendable, Equatable {
    public var name: String
    public var inboundSPI: UInt32
    public var outboundSPI: UInt32
    public var localTrafficSelectors: [TrafficSelector]
    public var remoteTrafficSelectors: [TrafficSelector]
    /// The transforms of the chosen ESP proposal.
    public var transforms: [Transform]
    public var mode: ChildSAConfiguration.Mode
    public var rekeyAt: IKEInstant?
    public var expiresAt: IKEInstant?
}
