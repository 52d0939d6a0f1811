import IKEConfig

/// What the host asks the engine to hand an initiator (RFC 7296 §3.15.1), or what a
/// responder handed us: virtual IPs and the attributes that go with them.
public struct AddressAssignment: Hashable, Sendable {
    /// One virtual IP and the pool it came from.
    public struct Address: Hashable, Sendable, CustomStringConvertible {
        /// 4 or 16 bytes.
        public var address: [UInt8]
        /// The pool it was leased from (empty on the initiator, which does not know it).
        public var pool: String

        public init(address: [UInt8], pool: String = "") {
            self.address = address
            self.pool = pool
        }

        public var isIPv6: Bool { address.count == 16 }
        public var description: String { AddressPrefix(address: address, length: address.count * 8).description }
    }

    /// INTERNAL_IP4_ADDRESS, INTERNAL_IP6_ADDRESS (sent with prefix length 128).
    public var addresses: [Address]
    /// INTERNAL_IP4_DNS, INTERNAL_IP6_DNS.
    public var dnsServers: [[UInt8]]
    /// INTERNAL_IP4_NBNS.
    public var nbnsServers: [[UInt8]]
    /// INTERNAL_IP4_SUBNET, INTERNAL_IP6_SUBNET: the networks behind the responder
    /// (RFC 7296 §3.15.2).
    public var subnets: [AddressPrefix]

    public init(
        addresses: [Address], dnsServers: [[UInt8]] = [], nbnsServers: [[UInt8]] = [], subnets: [AddressPrefix] = []
    ) {
        self.addresses = addresses
        self.dnsServers = dnsServers
        self.nbnsServers = nbnsServers
        self.subnets = subnets
    }
}

/// Asks the host for virtual IPs for an initiator that sent a CFG_REQUEST (RFC 7296
/// §2.19): ``IKEEffect/assignAddresses(_:)``, answered with
/// ``IKECompletion/addressesAssigned(_:_:)``. The host leases them from ``pools`` (the
/// same identity gets the same address back while its lease lives) and returns them when
/// ``IKEEffect/releaseAddresses(_:)`` names them.
public struct AddressAssignmentRequest: Hashable, Sendable {
    public var id: IKECompletionID
    /// The connection (`pools` come from it).
    public var connection: String
    /// The identity the initiator proved in IKE_AUTH: whom the lease is for.
    public var peerIdentity: IKEIdentity
    /// The identity the initiator proved in EAP, when EAP authenticated it; a lease is
    /// then for it rather than for ``peerIdentity``.
    public var eapIdentity: String?
    /// One address per family asked for, 4 or 16 bytes: all zeros for any address of the
    /// family, otherwise the one the initiator would like (RFC 7296 §3.15.1: its previous
    /// one, say). Empty when it asked for attributes only.
    public var requestedAddresses: [[UInt8]]
    /// The pools of the connection, in order.
    public var pools: [String]

    public init(
        id: IKECompletionID, connection: String, peerIdentity: IKEIdentity, eapIdentity: String? = nil,
        requestedAddresses: [[UInt8]], pools: [String]
    ) {
        self.id = id
        self.connection = connection
        self.peerIdentity = peerIdentity
        self.eapIdentity = eapIdentity
        self.requestedAddresses = requestedAddresses
        self.pools = pools
    }

    /// Whom the lease is for: the EAP identity when there is one, else the IKE identity.
    public var leaseIdentity: String { eapIdentity ?? peerIdentity.description }
}
