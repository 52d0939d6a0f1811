/// The Code field of a RADIUS packet (RFC 2865 §3, IANA "RADIUS Packet Type Codes"): an
/// open set, so an unknown code survives decoding and prints as its number.
public struct RADIUSCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Access-Request (RFC 2865 §4.1).
    public static let accessRequest = RADIUSCode(rawValue: 1)
    /// Access-Accept (RFC 2865 §4.2).
    public static let accessAccept = RADIUSCode(rawValue: 2)
    /// Access-Reject (RFC 2865 §4.3).
    public static let accessReject = RADIUSCode(rawValue: 3)
    /// Accounting-Request (RFC 2866 §4.1).
    public static let accountingRequest = RADIUSCode(rawValue: 4)
    /// Accounting-Response (RFC 2866 §4.2).
    public static let accountingResponse = RADIUSCode(rawValue: 5)
    /// Access-Challenge (RFC 2865 §4.4).
    public static let accessChallenge = RADIUSCode(rawValue: 11)

    /// Whether a client receives this code in answer to an Access-Request.
    public var isAccessAnswer: Bool { self == .accessAccept || self == .accessReject || self == .accessChallenge }

    public var description: String {
        switch self {
        case .accessRequest: "Access-Request"
        case .accessAccept: "Access-Accept"
        case .accessReject: "Access-Reject"
        case .accountingRequest: "Accounting-Request"
        case .accountingResponse: "Accounting-Response"
        case .accessChallenge: "Access-Challenge"
        default: "RADIUS code \(rawValue)"
        }
    }
}
