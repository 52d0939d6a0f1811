/// One IKE SA in a ``StatusReport``, with vici's key names (`local-host`,
/// `initiator-spi`, `encr-alg`, ...). Times are whole seconds relative to the moment the
/// daemon took the snapshot. Optional fields are absent from the JSON when they do not
/// apply (no `remote-id` before IKE_AUTH, no `integ-alg` with an AEAD cipher), as in vici.
public struct IKESAReport: Codable, Hashable, Sendable {
    /// The connection's name.
    public var name: String
    /// `CONNECTING`, `ESTABLISHED` or `DELETING` (strongSwan's `ike_sa_state_names`).
    public var state: String
    /// Whether we sent the IKE_SA_INIT request.
    public var initiator: Bool
    /// Our address of the SA.
    public var localHost: String
    public var localPort: Int
    /// Our identity.
    public var localID: String
    /// The peer's address.
    public var remoteHost: String
    public var remotePort: Int
    /// The identity the peer proved; absent before IKE_AUTH completes.
    public var remoteID: String?
    /// The EAP identity the peer proved (escaped like the other identities); absent when
    /// EAP did not authenticate it.
    public var remoteEAPID: String?
    /// 16 lower-case hex digits, the bytes of the IKE header in order.
    public var initiatorSPI: String
    /// 16 hex digits; all zeros while the initiator waits for the IKE_SA_INIT response.
    public var responderSPI: String
    /// strongSwan's name of the encryption algorithm (`AES_GCM_16`, `AES_CBC`, ...).
    public var encrAlg: String?
    /// The Key Length attribute, in bits.
    public var encrKeysize: Int?
    /// strongSwan's name of the integrity algorithm; absent with an AEAD cipher.
    public var integAlg: String?
    /// strongSwan's name of the pseudorandom function (`PRF_HMAC_SHA2_256`, ...).
    public var prfAlg: String?
    /// strongSwan's name of the key exchange method (`CURVE_25519`, `MODP_2048`, ...).
    public var dhGroup: String?
    /// Seconds since the SA was established.
    public var established: Int?
    /// Seconds until the SA is rekeyed.
    public var rekeyTime: Int?
    /// Seconds until the SA is reauthenticated.
    public var reauthTime: Int?
    /// Seconds until the SA expires (its hard lifetime).
    public var lifeTime: Int?
    /// The SA runs on the NAT-T port: a NAT was detected on either side (or
    /// encapsulation is forced).
    public var natAny: Bool
    /// The IKE SA's Child SAs.
    public var childSAs: [ChildSAReport]
    /// The virtual IPs the peer assigned us; absent when none.
    public var localVIPs: [String]?
    /// The DNS servers the peer gave us with them (INTERNAL_IP4_DNS, INTERNAL_IP6_DNS);
    /// absent when none.
    public var localDNS: [String]?
    /// The virtual IPs we leased the peer; absent when none.
    public var remoteVIPs: [String]?
    /// `true` when MOBIKE (RFC 4555) was negotiated; absent otherwise.
    public var mobike: Bool?
    /// How many times the SA moved to other addresses (MOBIKE, or a NAT mapping change,
    /// RFC 7296 §2.23); absent when it never did.
    public var addressUpdates: Int?
    /// The peer's additional addresses (ADDITIONAL_IP4_ADDRESS, ADDITIONAL_IP6_ADDRESS,
    /// RFC 4555 §3.6); absent when none.
    public var remoteAdditionalHosts: [String]?

    public init(
        name: String, state: String, initiator: Bool, localHost: String, localPort: Int, localID: String,
        remoteHost: String, remotePort: Int, remoteID: String?, initiatorSPI: String, responderSPI: String,
        encrAlg: String? = nil, encrKeysize: Int? = nil, integAlg: String? = nil, prfAlg: String? = nil,
        dhGroup: String? = nil, established: Int? = nil, rekeyTime: Int? = nil, reauthTime: Int? = nil,
        lifeTime: Int? = nil, natAny: Bool = false, childSAs: [ChildSAReport] = [], localVIPs: [String]? = nil,
        remoteVIPs: [String]? = nil, remoteEAPID: String? = nil, localDNS: [String]? = nil, mobike: Bool? = nil,
        addressUpdates: Int? = nil, remoteAdditionalHosts: [String]? = nil
    ) {
        self.mobike = mobike
        self.addressUpdates = addressUpdates
        self.remoteAdditionalHosts = remoteAdditionalHosts
        self.localDNS = localDNS
        self.remoteEAPID = remoteEAPID
        self.localVIPs = localVIPs
        self.remoteVIPs = remoteVIPs
        self.name = name
        self.state = state
        self.initiator = initiator
        self.localHost = localHost
        self.localPort = localPort
        self.localID = localID
        self.remoteHost = remoteHost
        self.remotePort = remotePort
        self.remoteID = remoteID
        self.initiatorSPI = initiatorSPI
        self.responderSPI = responderSPI
        self.encrAlg = encrAlg
        self.encrKeysize = encrKeysize
        self.integAlg = integAlg
        self.prfAlg = prfAlg
        self.dhGroup = dhGroup
        self.established = established
        self.rekeyTime = rekeyTime
        self.reauthTime = reauthTime
        self.lifeTime = lifeTime
        self.natAny = natAny
        self.childSAs = childSAs
    }

    enum CodingKeys: String, CodingKey {
        case name, state, initiator
        case localHost = "local-host"
        case localPort = "local-port"
        case localID = "local-id"
        case remoteHost = "remote-host"
        case remotePort = "remote-port"
        case remoteID = "remote-id"
        case remoteEAPID = "remote-eap-id"
        case initiatorSPI = "initiator-spi"
        case responderSPI = "responder-spi"
        case encrAlg = "encr-alg"
        case encrKeysize = "encr-keysize"
        case integAlg = "integ-alg"
        case prfAlg = "prf-alg"
        case dhGroup = "dh-group"
        case established
        case rekeyTime = "rekey-time"
        case reauthTime = "reauth-time"
        case lifeTime = "life-time"
        case natAny = "nat-any"
        case childSAs = "child-sas"
        case localVIPs = "local-vips"
        case localDNS = "local-dns"
        case remoteVIPs = "remote-vips"
        case mobike
        case addressUpdates = "address-updates"
        case remoteAdditionalHosts = "remote-additional-hosts"
    }
}
