/// Why an ESP packet was dropped or could not be sealed.
///
/// Equality compares ``code`` only, so a host can count drops by code (the raw values
/// are stable and suit a metrics label). The diagnostic text never holds key material
/// or packet contents.
public struct ESPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, extensible drop reason.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// The packet is shorter than its header, IV, trailer and ICV, or its ciphertext
        /// is not a whole number of cipher blocks (RFC 4303 §3.4).
        public static let truncated = Code(rawValue: 1)
        /// The SPI is not this SA's (RFC 4303 §3.4.2).
        public static let badSPI = Code(rawValue: 2)
        /// The sequence number was already received (RFC 4303 §3.4.3).
        public static let replayed = Code(rawValue: 3)
        /// The sequence number is left of the anti-replay window (RFC 4303 §3.4.3).
        public static let tooOld = Code(rawValue: 4)
        /// The ICV (or AEAD tag) did not verify (RFC 4303 §3.4.4).
        public static let icvFailure = Code(rawValue: 5)
        /// The Pad Length is impossible or the padding is not 1, 2, 3, … (RFC 4303 §2.4).
        public static let badPadding = Code(rawValue: 6)
        /// The next packet would make the sequence number cycle: the SA must be rekeyed
        /// (RFC 4303 §3.3.3).
        public static let sequenceNumberExhausted = Code(rawValue: 7)
        /// The algorithms, keys or window size cannot make an SA.
        public static let invalidConfiguration = Code(rawValue: 8)
        /// The caller's output buffer cannot hold the sealed packet.
        public static let bufferTooSmall = Code(rawValue: 9)
        /// The crypto library failed for a reason that is not the peer's doing.
        public static let cryptoFailure = Code(rawValue: 10)
        /// The SA reached a hard byte or packet lifetime: nothing more may be sealed or
        /// opened on it (RFC 4301 §4.4.2.1: "If a hard lifetime expires, the SA MUST be
        /// deleted").
        public static let lifetimeExpired = Code(rawValue: 11)
        /// The IP packet inside ESP (tunnel mode) or around it (transport mode) is not a
        /// well-formed IPv4 or IPv6 packet: a version that disagrees with the Next Header,
        /// a length field that lies, or a header chain Cygnet does not handle.
        public static let malformedIPPacket = Code(rawValue: 12)
        /// A transport-mode IP packet is a fragment: ESP protects whole datagrams only
        /// (RFC 4303 §3.3.4, §3.4.1).
        public static let ipFragment = Code(rawValue: 13)

        public var description: String {
            switch self {
            case .truncated: "truncated"
            case .badSPI: "bad SPI"
            case .replayed: "replayed"
            case .tooOld: "too old"
            case .icvFailure: "ICV failure"
            case .badPadding: "bad padding"
            case .sequenceNumberExhausted: "sequence number exhausted (rekey required)"
            case .invalidConfiguration: "invalid configuration"
            case .bufferTooSmall: "buffer too small"
            case .cryptoFailure: "crypto failure"
            case .lifetimeExpired: "lifetime expired (rekey required)"
            case .malformedIPPacket: "malformed IP packet"
            case .ipFragment: "IP fragment"
            default: "error \(rawValue)"
            }
        }
    }

    public var code: Code
    private var detail: String

    public init(_ code: Code, _ detail: String = "") {
        self.code = code
        self.detail = detail
    }

    /// Whether the SA must be rekeyed before anything more is sent on it.
    public var isRekeyRequired: Bool { code == .sequenceNumberExhausted || code == .lifetimeExpired }

    public var description: String { detail.isEmpty ? "\(code)" : "\(code): \(detail)" }

    public static func == (lhs: ESPError, rhs: ESPError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
