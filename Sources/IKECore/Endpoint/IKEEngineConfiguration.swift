import IKEConfig
import IKECrypto

/// What an engine knows from the start: connections, secrets, transforms and timers.
public struct IKEEngineConfiguration: Sendable {
    public var peers: [PeerConfiguration]
    public var preSharedKeys: [PreSharedKey] {
        didSet { preSharedKeyIndex = Self.index(preSharedKeys) }
    }
    /// Positions in ``preSharedKeys`` of the secrets naming each identity (case-folded),
    /// in order, and of those naming a wildcard.
    private var preSharedKeyIndex: PreSharedKeyIndex
    public var provider: CryptoProvider
    public var retransmission: RetransmissionPolicy
    /// How long a responder keeps an IKE SA that has not completed IKE_AUTH.
    public var halfOpenTimeout: Duration
    /// How many IKE_SA_INIT retries with another group an initiator makes after
    /// INVALID_KE_PAYLOAD, and after COOKIE, before it gives up.
    public var maximumInitRetries: Int
    /// SHA-1 hashes of the SubjectPublicKeyInfo of the CAs we trust, sent in CERTREQ
    /// payloads (RFC 7296 §3.7) for connections that authenticate the peer with
    /// certificates and name no CA of their own
    /// (`PeerConfiguration.remoteCertificateAuthorities`); empty sends no
    /// CERTREQ for them. `IKECertificates` computes them.
    public var certificateAuthorityKeyHashes: [[UInt8]] = []
    /// Half-open IKE SAs (responder side, IKE_AUTH not yet done) from which on an
    /// IKE_SA_INIT request must carry a valid COOKIE (RFC 7296 §2.6); `nil` never asks,
    /// `0` always asks. Like strongSwan's `charon.cookie_threshold = 30` (where 0 means
    /// never).
    public var cookieThreshold: Int? = 30
    /// How long one COOKIE secret is used before a new one replaces it; cookies of the
    /// previous secret stay valid for one more lifetime.
    public var cookieSecretLifetime: Duration = .seconds(60)
    /// Half-open IKE SAs one source address may have; further IKE_SA_INIT requests from
    /// it are dropped unanswered. `nil` disables. strongSwan's `charon.block_threshold = 5`.
    public var maximumHalfOpenSAsPerAddress: Int? = 5
    /// Half-open IKE SAs in total; further IKE_SA_INIT requests are dropped unanswered.
    /// `nil` disables (strongSwan's `charon.init_limit_half_open`, off by default there);
    /// the default bounds the memory a flood of verified addresses can pin.
    public var maximumHalfOpenSAs: Int? = 10_000
    /// How many requests of the peer an established IKE SA accepts before answering the
    /// first (RFC 7296 §2.3), announced with SET_WINDOW_SIZE in IKE_AUTH when above one;
    /// strongSwan's `charon.window_size`, default 1. Our own requests go one at a time,
    /// which every peer window allows. Values below 1 count as 1.
    public var windowSize: UInt32 = 1 {
        didSet { windowSize = max(1, windowSize) }
    }
    /// How long the engine waits for the host to answer a sign or validate effect
    /// (``IKECompletion``) before it gives the IKE SA up.
    public var completionTimeout: Duration = .seconds(30)
    /// Which IKE and Child SA SPIs this engine hands out, when a host runs several engines
    /// (one per event loop) and routes datagrams to them by SPI: every local SPI modulo
    /// ``SPIShard/count`` is ``SPIShard/index``.
    public var spiShard = SPIShard(index: 0, count: 1)
    /// The NAT-T port (strongSwan's `charon.port_nat_t`, RFC 3948): datagrams to and from
    /// it carry the non-ESP marker, and an initiator behind a NAT moves its IKE SA there
    /// after IKE_SA_INIT, to the same port of the peer. Tests on loopback use another.
    public var natTraversalPort: UInt16 = 4500
    /// Fragment size and reassembly limits of IKE message fragmentation (RFC 7383).
    public var fragmentation = FragmentationPolicy()

    public init(
        peers: [PeerConfiguration], preSharedKeys: [PreSharedKey], provider: CryptoProvider = .default,
        retransmission: RetransmissionPolicy = RetransmissionPolicy(), halfOpenTimeout: Duration = .seconds(30),
        maximumInitRetries: Int = 3
    ) {
        self.peers = peers
        self.preSharedKeys = preSharedKeys
        self.preSharedKeyIndex = Self.index(preSharedKeys)
        self.provider = provider
        self.retransmission = retransmission
        self.halfOpenTimeout = halfOpenTimeout
        self.maximumInitRetries = maximumInitRetries
    }

    func peer(named name: String) -> PeerConfiguration? { peers.first { $0.name == name } }

    /// The CAs a CERTREQ names for `peers` (RFC 7296 §3.7), as strongSwan chooses them:
    /// for each connection that authenticates the peer with certificates its own CAs, or
    /// every trusted one when it names none; without duplicates.
    func certificateRequestHashes(for peers: [PeerConfiguration]) -> [[UInt8]] {
        var hashes: [[UInt8]] = []
        for peer in peers where peer.remoteAuthentication == .publicKey {
            let own = peer.remoteCertificateAuthorities.map(\.keyHash)
            for hash in own.isEmpty ? certificateAuthorityKeyHashes : own where !hashes.contains(hash) { hashes.append(hash) }
        }
        return hashes
    }

    /// The PSK shared by the two identities, as strongSwan looks it up: of the secrets that
    /// name the peer (`IKEIdentity.match(_:)`: exactly, or with a wildcard
    /// such as `*@example.org`), the one that matches it best, then our identity best,
    /// then the first.
    func preSharedKey(local: IKEIdentity, remote: IKEIdentity) -> SecretBytes? {
        var best: (position: Int, remote: IdentityMatch, local: IdentityMatch)?
        for position in preSharedKeyIndex.candidates(for: remote) {
            let identities = preSharedKeys[position].identities
            let remoteMatch = identities.map { remote.match($0) }.max() ?? .none
            let localMatch = identities.map { local.match($0) }.max() ?? .none
            guard remoteMatch > .any else { continue }
            if let current = best, (remoteMatch, localMatch) <= (current.remote, current.local) { continue }
            best = (position, remoteMatch, localMatch)
        }
        return best.map { SecretBytes(preSharedKeys[$0.position].secret) }
    }

    private static func index(_ keys: [PreSharedKey]) -> PreSharedKeyIndex {
        var index = PreSharedKeyIndex()
        for (position, key) in keys.enumerated() {
            for identity in Set(key.identities.map(\.caseFolded)) { index.byIdentity[identity, default: []].append(position) }
            if key.identities.contains(where: \.hasWildcard) { index.withWildcards.append(position) }
        }
        return index
    }
}

/// Where ``IKEEngineConfiguration/preSharedKeys`` name an identity, so a lookup reads only
/// the secrets that can match.
struct PreSharedKeyIndex: Sendable {
    var byIdentity: [IKEIdentity: [Int]] = [:]
    var withWildcards: [Int] = []

    /// Positions of the secrets that may name `identity`, in order.
    func candidates(for identity: IKEIdentity) -> [Int] {
        let exact = byIdentity[identity.caseFolded] ?? []
        return withWildcards.isEmpty ? exact : Array(Set(exact + withWildcards)).sorted()
    }
}
