/// The Code field of an EAP packet (RFC 3748 §4; IANA "Packet Codes"). Open: an unknown
/// code survives a round trip and prints as its number.
public struct EAPCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// 1, sent by the authenticator (RFC 3748 §4.1).
    public static let request = EAPCode(rawValue: 1)
    /// 2, the peer's answer to a Request (RFC 3748 §4.1).
    public static let response = EAPCode(rawValue: 2)
    /// 3, the authenticator's verdict: authenticated (RFC 3748 §4.2).
    public static let success = EAPCode(rawValue: 3)
    /// 4, the authenticator's verdict: not authenticated (RFC 3748 §4.2).
    public static let failure = EAPCode(rawValue: 4)

    /// Whether packets of this code carry a Type field (Request and Response do).
    public var hasType: Bool { self == .request || self == .response }

    public var description: String {
        switch self {
        case .request: "Request"
        case .response: "Response"
        case .success: "Success"
        case .failure: "Failure"
        default: "code \(rawValue)"
        }
    }
}
