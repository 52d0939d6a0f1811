/// One `children { name { ... } }` section: the engine's ``ChildSAConfiguration`` plus
/// what only the daemon uses.
public struct ChildConfiguration: Hashable, Sendable {
    /// What the engine negotiates: its traffic selectors hold the fixed ones and the
    /// `dynamic` ones, which the engine resolves for each SA
    /// (``TrafficSelectorTemplate/isDynamic``).
    public var child: ChildSAConfiguration
    /// `local_ts` as configured (default `dynamic`).
    public var localTrafficSelectors: [TrafficSelectorSpecification]
    /// `remote_ts` as configured (default `dynamic`).
    public var remoteTrafficSelectors: [TrafficSelectorSpecification]
    /// `esp_proposals` as configured (default `default`).
    public var proposals: [ConfiguredProposal]
    /// `start_action` (default `none`).
    public var startAction: ChildAction
    /// `dpd_action` (default `none`, strongSwan's `clear`).
    public var dpdAction: ChildAction
    /// `close_action` (default `none`).
    public var closeAction: ChildAction
    /// Where the section starts.
    public var location: SourceLocation
    /// Where each key was set, by key name.
    public var keyLocations: [String: SourceLocation]

    public var name: String { child.name }

    public init(
        child: ChildSAConfiguration, localTrafficSelectors: [TrafficSelectorSpecification],
        remoteTrafficSelectors: [TrafficSelectorSpecification], proposals: [ConfiguredProposal], startAction: ChildAction,
        dpdAction: ChildAction, closeAction: ChildAction, location: SourceLocation, keyLocations: [String: SourceLocation]
    ) {
        self.child = child
        self.localTrafficSelectors = localTrafficSelectors
        self.remoteTrafficSelectors = remoteTrafficSelectors
        self.proposals = proposals
        self.startAction = startAction
        self.dpdAction = dpdAction
        self.closeAction = closeAction
        self.location = location
        self.keyLocations = keyLocations
    }
}
