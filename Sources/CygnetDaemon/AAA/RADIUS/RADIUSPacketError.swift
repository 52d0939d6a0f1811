/// Why a RADIUS packet was refused: it does not decode (a length lies), it is not
/// authentic (an authenticator does not verify), or it answers nothing we asked. The
/// client drops such an answer silently, as RFC 2865 §3 and RFC 3579 §3.2 say, and counts
/// it by code.
public struct RADIUSPacketError: Error, Hashable, Sendable, CustomStringConvertible {
    /// One cause. The values are stable: they name metric labels.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        // Malformed.
        /// Fewer than the 20 octets of Code, Identifier, Length and Authenticator.
        public static let truncatedHeader = Code(rawValue: 1)
        /// Length is below 20 or above 4096 (RFC 2865 §3).
        public static let lengthOutOfRange = Code(rawValue: 2)
        /// Length is larger than the datagram (RFC 2865 §3: "it MUST be silently discarded").
        public static let lengthBeyondDatagram = Code(rawValue: 3)
        /// One octet left where an attribute's Type and Length should be.
        public static let attributeTruncated = Code(rawValue: 4)
        /// An attribute's Length is below 2, the size of Type and Length (RFC 2865 §5).
        public static let attributeLengthTooShort = Code(rawValue: 5)
        /// An attribute's Length reaches past the packet's Length.
        public static let attributeBeyondPacket = Code(rawValue: 6)
        /// To encode: an attribute value longer than 253 octets, or a packet longer than 4096.
        public static let tooLong = Code(rawValue: 7)

        // Not authentic.
        /// The Response Authenticator is not MD5(Code+ID+Length+RequestAuth+Attributes+Secret)
        /// (RFC 2865 §3).
        public static let badResponseAuthenticator = Code(rawValue: 20)
        /// The Message-Authenticator is not the HMAC-MD5 of the packet, has another length
        /// than 16, or appears twice (RFC 3579 §3.2).
        public static let badMessageAuthenticator = Code(rawValue: 21)
        /// An answer carries EAP-Message without Message-Authenticator (RFC 3579 §3.2).
        public static let missingMessageAuthenticator = Code(rawValue: 22)

        // Not ours.
        /// A code other than Access-Accept, Access-Reject or Access-Challenge.
        public static let unexpectedCode = Code(rawValue: 40)
        /// No outstanding request to that server has this Identifier: late, duplicated or
        /// never asked for.
        public static let unmatchedIdentifier = Code(rawValue: 41)
        /// From an address and port that is no configured server.
        public static let unexpectedSource = Code(rawValue: 42)

        /// A stable snake_case name, for logs and metric labels.
        public var name: String {
            switch self {
            case .truncatedHeader: "truncated_header"
            case .lengthOutOfRange: "length_out_of_range"
            case .lengthBeyondDatagram: "length_beyond_datagram"
            case .attributeTruncated: "attribute_truncated"
            case .attributeLengthTooShort: "attribute_length_too_short"
            case .attributeBeyondPacket: "attribute_beyond_packet"
            case .tooLong: "too_long"
            case .badResponseAuthenticator: "bad_response_authenticator"
            case .badMessageAuthenticator: "bad_message_authenticator"
            case .missingMessageAuthenticator: "missing_message_authenticator"
            case .unexpectedCode: "unexpected_code"
            case .unmatchedIdentifier: "unmatched_identifier"
            case .unexpectedSource: "unexpected_source"
            default: "code_\(rawValue)"
            }
        }

        public var description: String { name }
    }

    public var code: Code
    private var diagnostics: String

    public init(_ code: Code, _ diagnostics: String) {
        self.code = code
        self.diagnostics = diagnostics
    }

    /// An operator-facing sentence; it never holds a secret.
    public var description: String { "\(code.name): \(diagnostics)" }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
