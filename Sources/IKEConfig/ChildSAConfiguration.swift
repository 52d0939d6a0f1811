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

    public init(
        name: String, localTrafficSelectors: [TrafficSelectorTemplate], remoteTrafficSelectors: [TrafficSelectorTemplate],
        proposals: [ProposalTemplate], mode: Mode = .tunnel
    ) {
        self.name = name
        self.localTrafficSelectors = localTrafficSelectors
        self.remoteTrafficSelectors = remoteTrafficSelectors
        self.proposals = proposals
        self.mode = mode
    }
}
