import IKEWire

/// A Child SA as configured (swanctl's `children { name { ... } }`).
public struct ChildSAConfiguration: Hashable, Sendable {
    public enum Mode: Hashable, Sendable {
        case tunnel, transport
    }

    public var name: String
    public var localTrafficSelectors: [TrafficSelectorTemplate]
    public var remoteTrafficSelectors: [TrafficSelectorTemplate]
    /// ESP proposals in order of preference; a key exchange method means PFS on rekey.
    public var proposals: [ProposalTemplate]
    public var mode: Mode
    /// `rekey_time`; `nil` is strongSwan's default (1 h), `.zero` never rekeys. See ``ChildLifetime``.
    public var rekeyTime: Duration?
    /// `life_time`; `nil` is `rekey_time` + 10 %.
    public var lifeTime: Duration?
    /// `rand_time`; `nil` is `life_time - rekey_time`.
    public var randTime: Duration?
    /// `rekey_bytes`; `nil` is `0` (off).
    public var rekeyBytes: UInt64?
    /// `rekey_packets`; `nil` is `0` (off).
    public var rekeyPackets: UInt64?
    /// `life_bytes`; `nil` is `rekey_bytes` + 10 %.
    public var lifeBytes: UInt64?
    /// `life_packets`; `nil` is `rekey_packets` + 10 %.
    public var lifePackets: UInt64?
    /// `rand_bytes`; `nil` is `life_bytes - rekey_bytes`.
    public var randBytes: UInt64?
    /// `rand_packets`; `nil` is `life_packets - rekey_packets`.
    public var randPackets: UInt64?

    /// The lifetimes with strongSwan's defaults filled in.
    public var lifetime: ChildLifetime {
        ChildLifetime(
            rekeyTime: rekeyTime, lifeTime: lifeTime, randTime: randTime, rekeyBytes: rekeyBytes, lifeBytes: lifeBytes,
            randBytes: randBytes, rekeyPackets: rekeyPackets, lifePackets: lifePackets, randPackets: randPackets)
    }

    public init(
        name: String, localTrafficSelectors: [TrafficSelectorTemplate], remoteTrafficSelectors: [TrafficSelectorTemplate],
        proposals: [ProposalTemplate], mode: Mode = .tunnel, rekeyTime: Duration? = nil, lifeTime: Duration? = nil,
        randTime: Duration? = nil, rekeyBytes: UInt64? = nil, rekeyPackets: UInt64? = nil, lifeBytes: UInt64? = nil,
        lifePackets: UInt64? = nil, randBytes: UInt64? = nil, randPackets: UInt64? = nil
    ) {
        self.name = name
        self.localTrafficSelectors = localTrafficSelectors
        self.remoteTrafficSelectors = remoteTrafficSelectors
        self.proposals = proposals
        self.mode = mode
        self.rekeyTime = rekeyTime
        self.lifeTime = lifeTime
        self.randTime = randTime
        self.rekeyBytes = rekeyBytes
        self.rekeyPackets = rekeyPackets
        self.lifeBytes = lifeBytes
        self.lifePackets = lifePackets
        self.randBytes = randBytes
        self.randPackets = randPackets
    }
}
