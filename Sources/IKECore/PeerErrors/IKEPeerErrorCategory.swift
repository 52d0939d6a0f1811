/// How a dropped datagram or a refused request went wrong, for counters and for the
/// operator: whether the peer sent garbage, broke the protocol, wants what we do not
/// offer, or sent something that was valid once.
public struct IKEPeerErrorCategory: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Bytes that do not parse, or break the payload rules of RFC 7296 §3.
    public static let malformed = IKEPeerErrorCategory(rawValue: 1)
    /// Well-formed, but against the protocol: a failed integrity check, a response that
    /// does not fit its request, a resource limit exceeded.
    public static let misbehaving = IKEPeerErrorCategory(rawValue: 2)
    /// Valid, but not something we do: an exchange we do not support, a proposal or
    /// selectors the configuration does not allow, a refusal by the peer.
    public static let incompatible = IKEPeerErrorCategory(rawValue: 3)
    /// Valid once: for an SA that is gone, outside the message-ID window, a
    /// retransmission already answered, a fragment of an earlier transmission.
    public static let stale = IKEPeerErrorCategory(rawValue: 4)
    /// Not the peer's doing: we could not build, protect or send a message (a local
    /// failure, reported with the same event so that it is counted).
    public static let local = IKEPeerErrorCategory(rawValue: 5)

    /// A stable snake_case name, for logs and metric labels.
    public var name: String {
        switch self {
        case .malformed: "malformed"
        case .misbehaving: "misbehaving"
        case .incompatible: "incompatible"
        case .stale: "stale"
        case .local: "local"
        default: "category_\(rawValue)"
        }
    }

    public var description: String { name }
}
