/// One proposal as written in the configuration, with the transforms it stands for.
public struct ConfiguredProposal: Hashable, Sendable {
    /// The item as written (`aes256gcm16-prfsha384-ecp384`, `default`).
    public var text: String
    public var template: ProposalTemplate
    /// Whether it came from the `default` keyword (strongSwan's default proposals).
    public var isDefault: Bool
    /// Where the item starts.
    public var location: SourceLocation

    public init(text: String, template: ProposalTemplate, isDefault: Bool, location: SourceLocation) {
        self.text = text
        self.template = template
        self.isDefault = isDefault
        self.location = location
    }
}
