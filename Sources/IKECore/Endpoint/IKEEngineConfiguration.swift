import IKEConfig
import IKECrypto

/// What an engine knows from the start: connections, secrets, transforms and timers.
public struct IKEEngineConfiguration: Sendable {
    public var peers: [PeerConfiguration]
    public var preSharedKeys: [PreSharedKey]
    public var provider: CryptoProvider
    public var retransmission: RetransmissionPolicy
    /// How long a responder keeps an IKE SA that has not completed IKE_AUTH.
    public var halfOpenTimeout: Duration
    /// How many IKE_SA_INIT retries with another group an initiator makes after
    /// INVALID_KE_PAYLOAD, and after COOKIE, before it gives up.
    public var maximumInitRetries: Int

    public init(
        peers: [PeerConfiguration], preSharedKeys: [PreSharedKey], provider: CryptoProvider = .default,
        retransmission: RetransmissionPolicy = RetransmissionPolicy(), halfOpenTimeout: Duration = .seconds(30),
        maximumInitRetries: Int = 3
    ) {
        self.peers = peers
        self.preSharedKeys = preSharedKeys
        self.provider = provider
        self.retransmission = retransmission
        self.halfOpenTimeout = halfOpenTimeout
        self.maximumInitRetries = maximumInitRetries
    }

    func peer(named name: String) -> PeerConfiguration? { peers.first { $0.name == name } }

    /// The PSK shared by the two identities (strongSwan's lookup: a secret that names
    /// both, or failing that one that names the peer).
    func preSharedKey(local: IKEIdentity, remote: IKEIdentity) -> SecretBytes? {
        let both = preSharedKeys.first { $0.identities.contains(local) && $0.identities.contains(remote) }
        let either = both ?? preSharedKeys.first { $0.identities.contains(remote) }
        return either.map { SecretBytes($0.secret) }
    }
}
