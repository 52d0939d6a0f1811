import IKEWire

/// One connection as configured (swanctl's `connections { name { ... } }`): what the
/// engine needs to initiate to, or accept, a peer.
public struct PeerConfiguration: Hashable, Sendable {
    public var name: String
    /// IKE proposals in order of preference.
    public var proposals: [ProposalTemplate]
    public var localIdentity: IKEIdentity
    /// The identity the peer must prove; `nil` accepts any identity that has a secret.
    public var remoteIdentity: IKEIdentity?
    public var localAuthentication: AuthenticationConfiguration
    public var remoteAuthentication: AuthenticationConfiguration
    public var children: [ChildSAConfiguration]
    /// Liveness check interval (`dpd_delay`); `nil` disables it.
    public var livenessCheckInterval: Duration?
    /// Our certificate chain (swanctl's `local { certs = ... }`), DER, end entity first,
    /// then intermediates: sent in CERT payloads (X.509 Certificate - Signature, RFC 7296
    /// §3.6) when ``localAuthentication`` is ``AuthenticationConfiguration/publicKey``.
    /// The private key stays with the host, which signs on request.
    public var localCertificates: [[UInt8]]
    /// `send_cert`: when ``localCertificates`` go into IKE_AUTH (strongSwan's default:
    /// only when the peer sent a CERTREQ).
    public var sendCertificate: CertificateSendPolicy = .ifAsked
    /// `send_certreq`: whether we ask for the peer's certificate with CERTREQ payloads
    /// (RFC 7296 §3.7) naming our trusted CAs.
    public var sendCertificateRequest = true
    /// `local { auth = … }` beyond `pubkey`: which signature schemes we sign with.
    public var localSignatureConstraints: SignatureConstraints = .none
    /// `remote { auth = … }` beyond `pubkey`: which signature schemes, keys and
    /// certificate signatures we accept from the peer.
    public var remoteSignatureConstraints: SignatureConstraints = .none
    /// `local_addrs`: the addresses of ours an IKE SA of this connection may use; as
    /// responder, the connection is a candidate only for a request to one of them.
    public var localAddresses: [AddressSpecification] = [.any]
    /// `remote_addrs`: the peer's addresses; as responder, the connection is a candidate
    /// only for a request from one of them.
    public var remoteAddresses: [AddressSpecification] = [.any]
    /// `remote { cacerts }`: the CAs the peer's certificate chain must pass through (one
    /// of them); empty accepts a chain to any trusted CA. Named in our CERTREQ payloads.
    public var remoteCertificateAuthorities: [CertificateAuthority] = []
    /// `local { eap_id }`: the identity we answer EAP-Identity with when
    /// ``localAuthentication`` is ``AuthenticationConfiguration/eap(_:)``.
    public var localEAPIdentity: EAPIdentityChoice = .ikeIdentity
    /// `remote { eap_id }`: whom the EAP conversation authenticates when
    /// ``remoteAuthentication`` is ``AuthenticationConfiguration/eap(_:)``.
    public var remoteEAPIdentity: EAPIdentityChoice = .ikeIdentity

    /// EAP-only authentication (RFC 5998): EAP on both sides (`local` and `remote
    /// { auth = eap-tls }`). The initiator, the EAP peer, asks for it with
    /// EAP_ONLY_AUTHENTICATION; the responder, the EAP server, then sends no AUTH or CERT
    /// in its first IKE_AUTH response, and the AUTH payloads from the MSK after EAP
    /// Success authenticate both sides.
    public var isEAPOnly: Bool { localAuthentication.usesEAP && remoteAuthentication.usesEAP }
    /// `unique`: what a new IKE SA does to older ones with the same peer identity.
    public var uniqueness: UniquenessPolicy = .no
    /// `fragmentation`: whether IKE messages of this connection are fragmented (RFC 7383).
    public var fragmentation: Fragmentation = .yes
    /// swanctl's `encap = yes`: make the peer believe we are behind a NAT (a
    /// NAT_DETECTION_SOURCE_IP that matches no address), so both sides move to the NAT-T
    /// port and ESP travels in UDP (RFC 3948), as strongSwan does.
    public var forcesUDPEncapsulation = false
    /// MOBIKE (RFC 4555; swanctl `mobike`, on by default as in strongSwan): MOBIKE_SUPPORTED
    /// goes in IKE_AUTH, and once both sides sent it the IKE SA and its Child SAs may move
    /// to other addresses (UPDATE_SA_ADDRESSES).
    public var isMOBIKEEnabled = true
    /// `vips`: the virtual IPs we ask the responder for in IKE_AUTH (RFC 7296 §3.15.1),
    /// each 4 or 16 bytes; all zeros (`0.0.0.0`, `::`) asks for any address of the family.
    public var virtualIPs: [[UInt8]] = []
    /// `cygnet { ms_dh_downgrade = yes }` in the connection (after libreswan's
    /// `ms-dh-downgrade`): as responder, accept a Child SA rekey whose proposals carry the
    /// 1024-bit MODP group although `esp_proposals` do not name it, as the built-in
    /// Windows client rekeys its Child SAs even when they were negotiated without PFS.
    /// The group still needs the crypto provider's legacy transforms.
    public var toleratesKeyExchangeDowngradeOnRekey = false
    /// `pools`: the names of the address pools a responder hands virtual IPs out of, in
    /// order, to an initiator that asks for them (a CFG_REQUEST).
    public var pools: [String] = []
    /// `rekey_time`; `nil` is strongSwan's default (4 h), `.zero` never rekeys. See ``IKELifetime``.
    public var rekeyTime: Duration?
    /// `reauth_time`; `nil` is strongSwan's default (`0`, never).
    public var reauthTime: Duration?
    /// `over_time`; `nil` is 10 % of the longer of rekey and reauth time.
    public var overTime: Duration?
    /// `rand_time`; `nil` is `over_time`, at most half of the rekey/reauth time.
    public var randTime: Duration?

    /// The lifetimes with strongSwan's defaults filled in.
    public var lifetime: IKELifetime {
        IKELifetime(rekeyTime: rekeyTime, reauthTime: reauthTime, overTime: overTime, randTime: randTime)
    }

    public init(
        name: String, proposals: [ProposalTemplate], localIdentity: IKEIdentity, remoteIdentity: IKEIdentity?,
        localAuthentication: AuthenticationConfiguration, remoteAuthentication: AuthenticationConfiguration,
        children: [ChildSAConfiguration], livenessCheckInterval: Duration? = nil, localCertificates: [[UInt8]] = [],
        rekeyTime: Duration? = nil, reauthTime: Duration? = nil, overTime: Duration? = nil, randTime: Duration? = nil
    ) {
        self.name = name
        self.proposals = proposals
        self.localIdentity = localIdentity
        self.remoteIdentity = remoteIdentity
        self.localAuthentication = localAuthentication
        self.remoteAuthentication = remoteAuthentication
        self.children = children
        self.livenessCheckInterval = livenessCheckInterval
        self.localCertificates = localCertificates
        self.rekeyTime = rekeyTime
        self.reauthTime = reauthTime
        self.overTime = overTime
        self.randTime = randTime
    }
}

/// How one side authenticates (swanctl's `auth = psk | pubkey | eap…`; the signature
/// constraints of `auth = rsa/pss`, `ecdsa-sha384`, … are ``SignatureConstraints``).
public enum AuthenticationConfiguration: Hashable, Sendable, CustomStringConvertible {
    /// Pre-shared key (RFC 7296 §2.15), looked up in the secrets by identity.
    case preSharedKey
    /// Public key signature with a certificate (RFC 7296 §2.15, RFC 7427).
    case publicKey
    /// EAP (RFC 7296 §2.16), for the initiator only: it sends no AUTH in its first
    /// IKE_AUTH request, runs an EAP conversation with the responder, and both sides
    /// then compute AUTH with the method's MSK as the shared key.
    case eap(EAPMethodChoice)

    /// The swanctl keyword: `psk`, `pubkey`, `eap-mschapv2`, …
    public var description: String {
        switch self {
        case .preSharedKey: "psk"
        case .publicKey: "pubkey"
        case .eap(let method): method.description
        }
    }

    /// Whether this is ``eap(_:)``.
    public var usesEAP: Bool {
        if case .eap = self { true } else { false }
    }

    /// Whether this can be one side of EAP-only authentication (RFC 5998):
    /// ``EAPMethodChoice/allowsEAPOnly``.
    public var allowsEAPOnly: Bool {
        if case .eap(let method) = self { method.allowsEAPOnly } else { false }
    }
}
