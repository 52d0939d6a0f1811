/// What to do with a Child SA at start, when the peer is found dead, or when the peer
/// closes it (swanctl's `start_action`, `dpd_action`, `close_action`).
///
/// strongSwan's spellings are accepted: `none` and `clear`; `start` and `restart`
/// (`parse_action` in strongSwan's `vici_config.c` maps them alike). Its `trap` and
/// `route` (negotiate when traffic appears) are not implemented: the interpreter reports
/// them.
public enum ChildAction: Hashable, Sendable, CustomStringConvertible {
    /// Do nothing (`start_action` default: wait for the peer; `dpd_action`: close).
    case none
    /// Negotiate now (`start_action`), or again (`dpd_action`, `close_action`).
    case start

    public init?(_ text: String) {
        switch text.lowercased() {
        case "none", "clear": self = .none
        case "start", "restart": self = .start
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .none: "none"
        case .start: "start"
        }
    }
}
