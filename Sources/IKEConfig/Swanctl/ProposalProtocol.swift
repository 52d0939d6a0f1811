/// Which kind of SA a proposal is for: the IKE SA (`proposals`) or a Child SA
/// (`esp_proposals`).
public enum ProposalProtocol: Hashable, Sendable {
    case ike
    case esp

    /// strongSwan's prefix when it prints a proposal (`IKE:`, `ESP:`).
    public var label: String {
        switch self {
        case .ike: "IKE"
        case .esp: "ESP"
        }
    }
}
